// FailureStreak on a private directory with an injected clock: counted only while failures follow each other.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailureStreak } from '../../../lib/system/failure-streak.js';
import { stateDir, stateFileName } from '../../../lib/system/state-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const privateDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lxcha-streak-'));
  dirs.push(d);
  return d;
};

describe('FailureStreak', () => {
  it('counts failures in a row, creating its folder, and a success removes the record', () => {
    let now = 1_000_000;
    const s = new FailureStreak(path.join(privateDir(), 'run'), 'score-failures', 'drbdlvm:0', () => now);
    expect(s.file.endsWith(path.join('run', 'score-failures', 'drbdlvm:0'))).toBe(true);
    expect(s.record(60_000, 'e1')).toEqual({ count: 1, since: 1_000_000 });
    now += 31_000;
    expect(s.record(60_000, 'e2')).toEqual({ count: 2, since: 1_000_000 });
    s.clear();
    expect(existsSync(s.file)).toBe(false);
    s.clear(); // nothing to clear is fine
    now += 31_000;
    expect(s.record(60_000, 'e3')).toEqual({ count: 1, since: now });
  });

  it('a failure longer than maxGapMs after the last one starts a new count (a stale record of an earlier run)', () => {
    let now = 5_000_000;
    const s = new FailureStreak(privateDir(), 'k', 'x', () => now);
    s.record(82_000, 'old');
    s.record(82_000, 'old');
    now += 82_001;
    expect(s.record(82_000, 'new')).toEqual({ count: 1, since: now });
  });

  it('a damaged record counts as none; an unwritable folder answers undefined (cannot count)', () => {
    const dir = privateDir();
    const s = new FailureStreak(dir, 'k', 'x');
    s.record(1000, 'a');
    writeFileSync(s.file, 'not json');
    expect(s.record(1000, 'b')?.count).toBe(1);
    writeFileSync(path.join(dir, 'file'), '');
    expect(new FailureStreak(path.join(dir, 'file'), 'k', 'x').record(1000, 'c')).toBeUndefined();
  });

  it('keeps every key inside its folder, and defaults to /run/lxcha', () => {
    expect(stateFileName('drbdlvm:0')).toBe('drbdlvm:0');
    expect(stateFileName('../etc/x')).toBe('_.._etc_x');
    expect(stateFileName('..')).toBe('_..');
    expect(stateFileName('')).toBe('_');
    expect(stateDir({})).toBe('/run/lxcha');
    expect(stateDir({ LXCHA_STATE_DIR: '/tmp/t' })).toBe('/tmp/t');
  });
});
