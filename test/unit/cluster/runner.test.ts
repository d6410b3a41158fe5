// The VM harnesses' test runner: the lines scripts/test-all.mjs parses, counted as printed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Results } from '../../cluster/runner.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the VM harnesses test runner', () => {
  it('prints one `ok|FAIL NAME DETAILS` line per result and ends with `LABEL: N passed, M failed`', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    const results = new Results();
    results.report(true, 'validate-all', 'validate-all → 0 (want 0)');
    expect(await results.step('lxcha:start', () => Promise.resolve('both stacks running'))).toBe(true);
    expect(await results.step('lxcha:data', () => Promise.reject(new Error('only 4 of 6 data checks')))).toBe(
      false,
    );
    results.report(false, 'probe', 'monitor → 1 (want 7)');
    expect(printed).toEqual([
      'ok validate-all validate-all → 0 (want 0)',
      'ok lxcha:start both stacks running',
      'FAIL lxcha:data only 4 of 6 data checks',
      'FAIL probe monitor → 1 (want 7)',
    ]);
    expect(results.lines).toEqual(printed);
    expect(results.summary('cluster')).toBe('cluster: 2 passed, 2 failed');
    expect(/^[\w-]+: (\d+) passed, (\d+) failed/.exec(results.summary('drbd-lvm-vm'))?.slice(1)).toEqual([
      '2',
      '2',
    ]);
  });

  it('counts a body that throws before it awaits as a FAIL too', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const results = new Results();
    expect(
      await results.step('anchor:data', () => {
        throw new Error('acknowledged numbers lost');
      }),
    ).toBe(false);
    expect(results.lines).toEqual(['FAIL anchor:data acknowledged numbers lost']);
  });
});
