// The CommandRunner used in production: execa with reject:false, no shell, killed at the deadline.
// Each child leads its own process group, and the deadline kills the whole group: a grandchild that
// keeps the output pipe open (a hung health command inside lxc-attach) cannot stall the agent.
import { execa } from 'execa';
import { commandResult, type CommandRunner, type RunOptions } from './command.js';

const DEFAULT_TIMEOUT_MS = 20_000;
// After SIGTERM, the group gets this long before SIGKILL.
const KILL_GRACE_MS = 2000;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export const execaRunner: CommandRunner = async (command, args, options: RunOptions = {}) => {
  const timeout = Math.max(
    1,
    Math.floor(options.timeoutMs ?? options.deadline?.remainingMs() ?? DEFAULT_TIMEOUT_MS),
  );
  const child = execa(command, args, {
    reject: false,
    shell: false,
    detached: true,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.env === undefined ? {} : { env: options.env, extendEnv: true }),
  });
  let timedOut = false;
  let force: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGTERM');
    force = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
  }, timeout);
  const result = await child;
  clearTimeout(timer);
  if (force !== undefined) clearTimeout(force);
  if (timedOut) killGroup(child.pid, 'SIGKILL');
  const code = (result as { code?: string }).code;
  return commandResult(command, args, {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut,
    missing: code === 'ENOENT',
  });
};
