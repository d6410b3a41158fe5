// A synchronous child for the hot path (monitor's single state query): node:child_process only, since
// loading execa costs more than the query itself. For single tools without children: no group kill.
import { spawnSync } from 'node:child_process';
import { commandResult, type CommandResult } from './command.js';

export function runSync(command: string, args: readonly string[], timeoutMs: number): CommandResult {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: Math.max(1, Math.floor(timeoutMs)),
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
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
