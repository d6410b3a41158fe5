import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../lib/exec/command.js';
import { runAsync } from '../../../lib/exec/async-runner.js';
import { execaRunner } from '../../../lib/exec/execa-runner.js';
import { runSync, syncRunner } from '../../../lib/exec/sync-runner.js';
import { Deadline, pollUntil, type Clock } from '../../../lib/system/deadline.js';
import { repoRoot } from '../../helpers/paths.js';

const fake = (name: string) => path.join(repoRoot, 'test/fakes/bin', name);

describe('command runners', () => {
  it('a failed child is a value carrying its exit status and its own last error line', async () => {
    const r = await execaRunner(fake('failer'), ['3'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: false, exitCode: 3, missing: false, timedOut: false });
    expect(describeFailure(r)).toBe(`${fake('failer')} failed: failer: the real error`);
    expect(runSync(fake('failer'), ['4'], 5000)).toMatchObject({ ok: false, exitCode: 4 });
  });
  it('a missing binary is reported as missing, not thrown', async () => {
    const r = await execaRunner('lxcha-no-such-tool', [], { timeoutMs: 5000 });
    expect(r.missing).toBe(true);
    expect(describeFailure(r)).toBe('lxcha-no-such-tool not found');
    expect(runSync('lxcha-no-such-tool', [], 5000).missing).toBe(true);
  });
  it("children are killed at what is left of the operation's deadline", async () => {
    const started = Date.now();
    const r = await execaRunner(fake('sleeper'), ['10'], { deadline: Deadline.start(300) });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    // runSync serves single tools without children (lxc-info): its own child is killed at the limit.
    expect(runSync('sleep', ['10'], 300.7).timedOut).toBe(true);
  });
  it("the synchronous runner is bounded by the call's deadline, else its own, and passes input and environment", async () => {
    const started = Date.now();
    // Never below a second: a child cut shorter would report a timeout instead of its answer.
    expect((await syncRunner()('sleep', ['10'], { deadline: Deadline.start(50) })).timedOut).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await syncRunner(0, Deadline.start(1200))('sleep', ['10'])).timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const env = await syncRunner()('sh', ['-c', 'printf %s "$LXCHA_PROBE"'], { env: { LXCHA_PROBE: 'a b' } });
    expect(env.stdout).toBe('a b');
    expect((await syncRunner()('cat', [], { input: 'x\ny' })).stdout).toBe('x\ny');
  });
  it('the side-by-side runner answers like the others: status, last error line, missing, killed at its limit', async () => {
    const failed = await runAsync(fake('failer'), ['5'], 5000);
    expect(failed).toMatchObject({ ok: false, exitCode: 5, missing: false, timedOut: false });
    expect(describeFailure(failed)).toBe(`${fake('failer')} failed: failer: the real error`);
    expect((await runAsync('lxcha-no-such-tool', [], 5000)).missing).toBe(true);
    const started = Date.now();
    const slept = await runAsync('sleep', ['10'], 300);
    expect(slept).toMatchObject({ ok: false, timedOut: true, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(5000);
    // Output larger than a pipe's buffer arrives whole, after both pipes ended.
    const big = await runAsync('head', ['-c', '3000000', '/dev/zero'], 10_000);
    expect(big).toMatchObject({ ok: true, exitCode: 0 });
    expect(big.stdout.length).toBe(3_000_000);
    expect((await runAsync('printf', ['%s|', 'a b', '$(id)'], 5000)).stdout).toBe('a b|$(id)|');
  });
  it('the side-by-side runner runs its children at the same time', async () => {
    const started = Date.now();
    const all = await Promise.all([1, 2, 3].map(() => runAsync('sleep', ['0.6'], 5000)));
    expect(all.every((r) => r.ok)).toBe(true);
    // One after the other would take 1.8 s at least.
    expect(Date.now() - started).toBeLessThan(1500);
  });
  it('arguments are passed as an array, never through a shell', async () => {
    const r = await execaRunner('printf', ['%s|', 'a b', '$(id)', ';reboot'], { timeoutMs: 5000 });
    expect(r.stdout).toBe('a b|$(id)|;reboot|');
  });
});

describe('deadlines with an injected clock', () => {
  const fakeClock = (): Clock & { t: number } => {
    const c = { t: 0, now: () => c.t, sleep: (ms: number) => ((c.t += ms), Promise.resolve()) };
    return c;
  };
  it('pollUntil backs off and gives up at the deadline without real sleeping', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await pollUntil(
      Deadline.start(5000, clock),
      () => Promise.resolve(++calls > 100 ? 'never' : undefined),
      { firstMs: 50, maxMs: 1000 },
    );
    expect(result).toBeUndefined();
    expect(clock.t).toBe(5000);
    expect(calls).toBeLessThan(15);
  });
  it('sub-deadlines keep a margin and respect a cap', () => {
    const clock = fakeClock();
    const d = Deadline.start(20_000, clock);
    expect(d.sub({ marginMs: 4000 }).remainingMs()).toBe(16_000);
    expect(d.sub({ marginMs: 4000, capMs: 3000 }).remainingMs()).toBe(3000);
    clock.t = 19_000;
    expect(d.sub({ marginMs: 4000 }).remainingMs()).toBe(0);
  });
});
