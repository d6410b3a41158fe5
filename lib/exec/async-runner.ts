// Children that run side by side: node:child_process's spawn, for the few places where a caller waits on
// several independent tools at once (DRBD's fence-peer handler, whose first look DRBD waits for while it
// holds I/O). Everything else runs one tool at a time through the cheaper spawnSync (sync-runner.ts).
import { spawn } from 'node:child_process';
import { commandResult, type ChildOutcome, type CommandResult } from './command.js';

/**
 * Runs one command without a shell and resolves with what it left; never rejects. The child is killed
 * with SIGKILL after `timeoutMs` (a result with timedOut). stdin is closed.
 */
export function runAsync(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    const finish = (outcome: Pick<ChildOutcome, 'exitCode' | 'signal' | 'missing'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(
        commandResult(command, args, {
          ...outcome,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
        }),
      );
    };
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      Math.max(1, Math.floor(timeoutMs)),
    );
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => finish({ missing: error.code === 'ENOENT' }));
    // 'close' comes after both pipes ended, so the output is complete.
    child.on('close', (code, signal) => finish({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  });
}
