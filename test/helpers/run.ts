// A child run to its end without blocking the test worker: a long spawnSync stops the worker's event
// loop, and vitest's worker RPC then times out ("Timeout calling onTaskUpdate") although every test passed.
import { execFile } from 'node:child_process';

export interface Finished {
  /** The exit status, or null when a signal (or the timeout) ended the child. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}
