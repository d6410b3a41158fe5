// The agents' small state files under /run/lxcha (a failure streak, the last promotion score written):
// where they live, their names, and how one is written so that a reader never sees half of it.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../ocf/environment.js';

/** /run/lxcha, or LXCHA_STATE_DIR (the tests' private directory). Cleared at boot, as this state should be. */
export const stateDir = (env: Env): string => env.LXCHA_STATE_DIR ?? '/run/lxcha';

/** A file name for a resource instance (`drbdlvm:0`): Pacemaker ids are XML ids, but nothing may leave the folder. */
export const stateFileName = (key: string): string => {
  const safe = key.replace(/[^A-Za-z0-9_.:-]/g, '_');
  return safe.startsWith('.') || safe === '' ? `_${safe}` : safe;
};

/**
 * Makes `dir` and its parent (/run/lxcha/snapshots, /run/lxcha/scores …), one level at a time, each 0755
 * and either already there is fine: a recursive mkdir spins forever where mkdir answers ENOENT under an
 * existing parent (/proc). Throws what else fails.
 */
export function makeDirAndParent(dir: string): void {
  for (const d of [path.dirname(dir), dir])
    try {
      mkdirSync(d, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
}

/**
 * Writes `text` to `file` through a temporary file and a rename, making the file's folder and its parent
 * first. Throws what fails.
 */
export function writeStateFile(file: string, text: string): void {
  makeDirAndParent(path.dirname(file));
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file);
}
