// The CommandRunner used in production: execa with reject:false, no shell, killed at the deadline.
import { execa } from 'execa';
import type { CommandResult, CommandRunner, RunOptions } from './command.js';

const DEFAULT_TIMEOUT_MS = 20_000;

export const execaRunner: CommandRunner = async (command, args, options: RunOptions = {}) => {
  const timeout = Math.max(
    1,
    Math.floor(options.timeoutMs ?? options.deadline?.remainingMs() ?? DEFAULT_TIMEOUT_MS),
  );
  const result = await execa(command, args, {
    reject: false,
    shell: false,
    timeout,
    forceKillAfterDelay: 2000,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.env === undefined ? {} : { env: options.env, extendEnv: true }),
  });
  const code = (result as { code?: string }).code;
  return toResult(command, args, {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: result.timedOut,
    missing: code === 'ENOENT',
  });
};

export function toResult(
  command: string,
  args: readonly string[],
  r: {
    exitCode: number | undefined;
    signal: string | undefined;
    stdout: string;
    stderr: string;
    timedOut: boolean;
    missing: boolean;
  },
): CommandResult {
  return {
    command,
    args,
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: r.timedOut,
    missing: r.missing,
    ok: r.exitCode === 0 && !r.timedOut && !r.missing,
  };
}
