// Housekeeping of the VM image cache: every run marks the layers it uses; layers no run has used for
// LXCHA_VM_CACHE_KEEP_DAYS (default 14) and the temporary folders of builds whose process is gone are
// removed, so old inputs do not pile up gigabytes of images. Nothing else in the folder is touched.
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const LAYER = /^(rootfs-|box-)?[0-9a-f]{16}$/;
const TMP = /^(?:rootfs-|box-)?[0-9a-f]{16}\.tmp-(\d+)$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function keepDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.LXCHA_VM_CACHE_KEEP_DAYS ?? '14');
  return Number.isFinite(days) && days >= 0 ? days : 14;
}

/** Records that a run uses this layer at `now`: the date written is the one pruneCache reads back. */
export async function markUsed(layerDir: string, now = new Date()): Promise<void> {
  if (existsSync(layerDir)) await writeFile(path.join(layerDir, 'last-used'), `${now.toISOString()}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is just not ours.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a run last used a layer: the date its marker holds (one source of truth: the date markUsed was
 * given, not the clock at the time it wrote the file); a marker without a date counts by its mtime, a
 * layer without a marker by the folder's.
 */
async function lastUsed(layerDir: string): Promise<number> {
  const marker = path.join(layerDir, 'last-used');
  const written = Date.parse((await readFile(marker, 'utf8').catch(() => '')).trim());
  if (Number.isFinite(written)) return written;
  return ((await stat(marker).catch(() => undefined)) ?? (await stat(layerDir))).mtimeMs;
}

/**
 * Removes the stale entries of the cache folder `root` and returns their names: builds' temporary folders
 * whose process is gone, and layers other than `keep` not used for `maxAgeDays`.
 */
export async function pruneCache(
  root: string,
  keep: readonly string[],
  maxAgeDays: number,
  now = Date.now(),
): Promise<string[]> {
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    const full = path.join(root, name);
    const tmp = TMP.exec(name);
    let stale = false;
    if (tmp !== null) stale = !alive(Number(tmp[1]));
    else if (LAYER.test(name) && !keep.includes(name))
      stale = now - (await lastUsed(full)) > maxAgeDays * DAY_MS;
    if (!stale) continue;
    await rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
