// Small shared helpers of the cluster harness: logging with elapsed time, bounded polls, errors.
import { performance } from 'node:perf_hooks';

const started = performance.now();

/** Seconds since the harness started, for progress lines and timings. */
export function elapsed(): string {
  return ((performance.now() - started) / 1000).toFixed(1).padStart(6);
}

/** A progress line on stderr; stdout carries only the scenario results. */
export function log(message: string): void {
  process.stderr.write(`[${elapsed()}s] ${message}\n`);
}

/** Resolves after ms; only used between polls of a real state, never as a wait by itself. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class TimeoutError extends Error {}

/**
 * Polls `check` until it returns a value other than undefined, at most `limitMs`; `what` names the
 * awaited state in the error. A check that throws counts as "not yet" (the guest may be booting).
 */
export async function waitFor<T>(
  what: string,
  limitMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  intervalMs = 1000,
): Promise<T> {
  const deadline = performance.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new TimeoutError(`timed out after ${Math.round(limitMs / 1000)}s waiting for ${what}${cause}`);
    }
    await delay(intervalMs);
  }
}

/** Measures an async step in seconds. */
export async function timed<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await step();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
