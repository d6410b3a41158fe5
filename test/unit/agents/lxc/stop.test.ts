// The lxc stop deadline arithmetic on hand-built budgets: the orderly wait leaves time for the kill.
import { describe, expect, it } from 'vitest';
import { orderlyWait } from '../../../../agents/lxc/stop.js';
import { Deadline, type Clock } from '../../../../lib/system/deadline.js';

/** A clock that moves only when told. */
const fixedClock = (at = 1_000_000): Clock => ({ now: () => at, sleep: () => Promise.resolve() });

/** The orderly wait stop would give with `remainingMs` left and this halt_timeout. */
const graceMs = (remainingMs: number, haltTimeoutS?: number): number => {
  const deadline = Deadline.start(remainingMs, fixedClock());
  return deadline.sub(orderlyWait(deadline.remainingMs(), haltTimeoutS)).remainingMs();
};

describe('lxc stop: orderly wait', () => {
  it('keeps a fifth of the time left for the kill', () => {
    expect(orderlyWait(30_000, undefined)).toEqual({ marginMs: 6_000 });
    expect(graceMs(30_000)).toBe(24_000);
  });

  it('keeps at least 3 s and at most 10 s', () => {
    expect(orderlyWait(10_000, undefined)).toEqual({ marginMs: 3_000 });
    expect(orderlyWait(15_000, undefined)).toEqual({ marginMs: 3_000 });
    expect(orderlyWait(50_000, undefined)).toEqual({ marginMs: 10_000 });
    expect(orderlyWait(100_000, undefined)).toEqual({ marginMs: 10_000 });
    // The agent's declared stop timeout (60 s) and Pacemaker's default operation timeout (20 s).
    expect(graceMs(60_000)).toBe(50_000);
    expect(graceMs(100_000)).toBe(90_000);
    expect(graceMs(20_000)).toBe(16_000);
    expect(graceMs(10_000)).toBe(7_000);
  });

  it('no time for an orderly wait when less than the minimum margin is left', () => {
    expect(graceMs(3_000)).toBe(0);
    expect(graceMs(2_000)).toBe(0);
    expect(graceMs(0)).toBe(0);
  });

  it('halt_timeout (seconds) caps the wait, never lengthens it', () => {
    expect(orderlyWait(100_000, 30)).toEqual({ marginMs: 10_000, capMs: 30_000 });
    expect(graceMs(100_000, 30)).toBe(30_000);
    expect(graceMs(100_000, 600)).toBe(90_000);
    expect(graceMs(20_000, 0)).toBe(0);
  });
});
