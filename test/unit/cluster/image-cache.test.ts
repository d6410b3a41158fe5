// The VM image cache's housekeeping on a scratch folder: what is removed, and everything that must stay.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepDays, markUsed, pruneCache } from '../../cluster/image-cache.js';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.parse('2026-11-29T12:00:00Z');
let root = '';

/** A cache entry last used `daysAgo` days before `now` (by its last-used marker, or the folder's mtime). */
function entry(name: string, daysAgo: number, marker = true): void {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'root.img'), 'x');
  const when = new Date(now - daysAgo * DAY);
  if (marker) {
    writeFileSync(path.join(dir, 'last-used'), when.toISOString());
    utimesSync(path.join(dir, 'last-used'), when, when);
  }
  utimesSync(dir, when, when);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lxcha-vm-cache-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('image cache housekeeping', () => {
  it('removes layers unused for longer than the limit and builds left by a dead process, nothing else', async () => {
    entry('7ac51b6ec1b8ca69', 30); // current image: kept however old
    entry('rootfs-13bc32bff0280e33', 30); // current rootfs: kept
    entry('b4de7f5bf6f037d2', 20); // old image: removed
    entry('rootfs-0123456789abcdef', 20, false); // old rootfs without a marker: its mtime counts
    entry('0123456789abcdef', 3); // another checkout's image, used recently: kept
    entry(`7ac51b6ec1b8ca69.tmp-${process.pid}`, 30, false); // a live build (this process): kept
    entry('7ac51b6ec1b8ca69.tmp-99999999', 0, false); // a dead build: removed
    entry('notes', 400, false); // not the cache's: kept
    mkdirSync(path.join(root, '.lock'));
    const removed = await pruneCache(root, ['7ac51b6ec1b8ca69', 'rootfs-13bc32bff0280e33'], 14, now);
    expect(removed).toEqual(['7ac51b6ec1b8ca69.tmp-99999999', 'b4de7f5bf6f037d2', 'rootfs-0123456789abcdef']);
    expect(readdirSync(root).sort()).toEqual([
      '.lock',
      '0123456789abcdef',
      '7ac51b6ec1b8ca69',
      `7ac51b6ec1b8ca69.tmp-${process.pid}`,
      'notes',
      'rootfs-13bc32bff0280e33',
    ]);
  });

  it('counts a layer as used from the moment a run marks it', async () => {
    entry('b4de7f5bf6f037d2', 20);
    await markUsed(path.join(root, 'b4de7f5bf6f037d2'), new Date(now));
    expect(await pruneCache(root, [], 14, now + DAY)).toEqual([]);
    expect(await pruneCache(root, [], 14, now + 15 * DAY)).toEqual(['b4de7f5bf6f037d2']);
  });

  it('prunes by the date markUsed was given, whatever the clock says when the file is written', async () => {
    mkdirSync(path.join(root, 'b4de7f5bf6f037d2'));
    const given = new Date(now - 20 * DAY);
    await markUsed(path.join(root, 'b4de7f5bf6f037d2'), given);
    // The file was written today (its mtime is the wall clock); only the date it holds counts.
    expect(await pruneCache(root, [], 21, now)).toEqual([]);
    expect(await pruneCache(root, [], 19, now)).toEqual(['b4de7f5bf6f037d2']);
  });

  it('counts a marker without a readable date by its mtime', async () => {
    entry('b4de7f5bf6f037d2', 20);
    writeFileSync(path.join(root, 'b4de7f5bf6f037d2', 'last-used'), 'soon\n');
    const when = new Date(now - 20 * DAY);
    utimesSync(path.join(root, 'b4de7f5bf6f037d2', 'last-used'), when, when);
    expect(await pruneCache(root, [], 21, now)).toEqual([]);
    expect(await pruneCache(root, [], 19, now)).toEqual(['b4de7f5bf6f037d2']);
  });

  it('does nothing for a cache folder that does not exist', async () => {
    expect(await pruneCache(path.join(root, 'none'), [], 0, now)).toEqual([]);
  });

  it('keeps 14 days unless LXCHA_VM_CACHE_KEEP_DAYS says otherwise (a bad value falls back to 14)', () => {
    expect(keepDays({})).toBe(14);
    expect(keepDays({ LXCHA_VM_CACHE_KEEP_DAYS: '2' })).toBe(2);
    expect(keepDays({ LXCHA_VM_CACHE_KEEP_DAYS: '-1' })).toBe(14);
    expect(keepDays({ LXCHA_VM_CACHE_KEEP_DAYS: 'soon' })).toBe(14);
  });
});
