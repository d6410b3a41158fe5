// The data check of the cluster scenarios (test/cluster/helpers.ts seqLoss) on /data/seq contents as
// cluster/seqwriter writes them: a lost acknowledged write is found even when a later writer wrote its
// number again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAck, seqLoss } from '../../cluster/helpers.js';
import { repoRoot } from '../../helpers/paths.js';

describe('seqLoss', () => {
  const seq = (...lines: string[]): string => `${lines.join('\n')}\n`;

  it('nothing lost: every number up to the acknowledged one, and that very line', () => {
    expect(
      seqLoss(seq('1 aaaaaaaa', '2 aaaaaaaa', '3 aaaaaaaa'), 'ct1', { n: 3, run: 'aaaaaaaa' }),
    ).toBeUndefined();
    // The writer restarted after a clean switchover: it goes on after the last number on disk.
    expect(
      seqLoss(seq('1 aaaaaaaa', '2 aaaaaaaa', '3 bbbbbbbb'), 'ct1', { n: 2, run: 'aaaaaaaa' }),
    ).toBeUndefined();
  });

  it('a missing number is a loss', () => {
    expect(seqLoss(seq('1 aaaaaaaa', '3 aaaaaaaa'), 'ct1', { n: 3, run: 'aaaaaaaa' })).toBe(
      'ct1: acknowledged 2 missing (ack 3)',
    );
  });

  it('the acknowledged write lost and its number written again by the next writer is a loss', () => {
    // The partition: the loser acknowledged 3 and 4 of run aaaaaaaa; the survivor had 1-2, and its new
    // writer (run bbbbbbbb) wrote 3 and 4 again.
    const survivor = seq('1 aaaaaaaa', '2 aaaaaaaa', '3 bbbbbbbb', '4 bbbbbbbb');
    expect(seqLoss(survivor, 'ct3', { n: 4, run: 'aaaaaaaa' })).toBe(
      'ct3: acknowledged write 4 of writer run aaaaaaaa missing (4 is there from run bbbbbbbb: written again after the loss)',
    );
  });

  it('parseAck reads NUMBER RUN only', () => {
    expect(parseAck('12 0a1b2c3d\n')).toEqual({ n: 12, run: '0a1b2c3d' });
    expect(parseAck('12')).toBeUndefined();
    expect(parseAck('')).toBeUndefined();
  });
});

describe('cluster/seqwriter writes what parseAck reads', () => {
  it('two runs of the writer on one /data: numbers go on, run ids differ', () => {
    // The writer loops forever; run it with a /data of its own for a moment (sh, argument arrays).
    const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-seq-'));
    try {
      const script = readFileSync(path.join(repoRoot, 'cluster/seqwriter'), 'utf8').replaceAll('/data', dir);
      for (let i = 0; i < 2; i++)
        try {
          execFileSync('sh', ['-c', script], { timeout: 1200, stdio: 'ignore' });
        } catch {
          // killed by the timeout, as meant
        }
      const lines = readFileSync(path.join(dir, 'seq'), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const acks = lines.map((l) => parseAck(l));
      expect(acks.every((a) => a !== undefined)).toBe(true);
      expect(acks.map((a) => a?.n)).toEqual(lines.map((_, i) => i + 1));
      expect(new Set(acks.map((a) => a?.run)).size).toBe(2);
      const ack = parseAck(readFileSync(path.join(dir, 'ack'), 'utf8'));
      expect(ack).toEqual(acks.at(-1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
