// A time budget and a poller with an injectable clock: the operation's deadline (Pacemaker's CRM_meta_timeout or
// a default) and the waits under it, so timeouts are testable without sleeping.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class Deadline {
  private constructor(
    private readonly clock: Clock,
    readonly startedAt: number,
    readonly totalMs: number,
  ) {}

  static start(totalMs: number, clock: Clock = systemClock): Deadline {
    return new Deadline(clock, clock.now(), totalMs);
  }

  get at(): number {
    return this.startedAt + this.totalMs;
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** A shorter deadline that ends `marginMs` before this one, or at `capMs` from now, whichever is sooner. */
  sub(options: { marginMs?: number; capMs?: number }): Deadline {
    const left = Math.max(0, this.remainingMs() - (options.marginMs ?? 0));
    const total = options.capMs === undefined ? left : Math.min(left, options.capMs);
    return new Deadline(this.clock, this.clock.now(), total);
  }

  sleep(ms: number): Promise<void> {
    return this.clock.sleep(Math.min(ms, this.remainingMs()));
  }

  get clockSource(): Clock {
    return this.clock;
  }
}

/**
 * Polls `probe` until it returns a value other than undefined or the deadline passes (then undefined).
 * The interval grows from `firstMs` to `maxMs`: quick answers for fast transitions, few calls for slow ones.
 */
export async function pollUntil<T>(
  deadline: Deadline,
  probe: () => Promise<T | undefined>,
  options: { firstMs?: number; maxMs?: number } = {},
): Promise<T | undefined> {
  let interval = options.firstMs ?? 50;
  const maxInterval = options.maxMs ?? 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (deadline.expired()) return undefined;
    await deadline.sleep(interval);
    // Out of time after the sleep: a last probe could only be cut short.
    if (deadline.expired()) return undefined;
    interval = Math.min(maxInterval, interval * 2);
  }
}
