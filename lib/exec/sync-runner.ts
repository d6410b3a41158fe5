// Synchronous children: node:child_process only, since loading execa costs more than most tools' run
// (~0.3 s per action on an emulated cluster node, tools/vm-profile.ts; Debian's node cannot hold execa in
// a startup snapshot). For tools that leave no child holding their output: no process-group kill.
import { spawnSync } from 'node:child_process';
import { commandResult, type CommandResult, type CommandRunner } from './command.js';
import type { Deadline } from '../system/deadline.js';

const DEFAULT_TIMEOUT_MS = 20_000;
/** The shortest time limit a child gets: one cut shorter would report a timeout instead of its answer. */
const MIN_TIMEOUT_MS = 1000;

export function runSync(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  options: { input?: string; env?: Readonly<Record<string, string>> } = {},
): CommandResult {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: Math.max(1, Math.floor(timeoutMs)),
    killSignal: 'SIGKILL',
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
    shell: false,
  });
  const errno = (r.error as NodeJS.ErrnoException | undefined)?.code;
  return commandResult(command, args, {
    exitCode: r.status ?? undefined,
    signal: r.signal ?? undefined,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut: errno === 'ETIMEDOUT',
    missing: errno === 'ENOENT',
  });
}

/**
 * runSync as a CommandRunner. Each child is bounded by its own timeoutMs, else by what is left of its
 * deadline (the call's, else `fallback`) less `marginMs` for the agent to answer, never below a second.
 */
export function syncRunner(marginMs = 0, fallback?: Deadline): CommandRunner {
  return (command, args, options = {}) => {
    const deadline = options.deadline ?? fallback;
    const timeout =
      options.timeoutMs ??
      (deadline === undefined
        ? DEFAULT_TIMEOUT_MS
        : Math.max(MIN_TIMEOUT_MS, deadline.remainingMs() - marginMs));
    return Promise.resolve(
      runSync(command, args, timeout, {
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.env === undefined ? {} : { env: options.env }),
      }),
    );
  };
}
