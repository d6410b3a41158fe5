// Startup snapshots of an agent's bundle, built lazily by the node binary that will load them (a blob loads
// only into the binary that built it; a bad one aborts node before it runs anything). The launcher
// (scripts/launcher.mjs) names the blob after the bundle's build and the node binary's identity, uses it
// when it exists, and otherwise runs the plain bundle with LXCHA_SNAPSHOT_BLOB set: that run, after its
// action, starts one detached builder. The builder makes the blob, checks that it answers meta-data, and
// only then renames it into place. Nothing here can fail an operation: every error means "no snapshot".
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';

/** A builder that died is retried after this long; a failed build is not retried until /run is cleared. */
const STALE_LOCK_MS = 5 * 60_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;

/**
 * The builder's environment: the operation's, so node finds what it found (PATH, LD_LIBRARY_PATH). Nothing
 * of it is kept in a snapshot: no module reads the environment when loaded, and node reads it afresh.
 */
function builderEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.LXCHA_SNAPSHOT_BLOB;
  if (extra.LXCHA_SNAPSHOT_BUILD === undefined) delete env.LXCHA_SNAPSHOT_BUILD;
  return env;
}

/** Removes a file that may already be gone. */
function remove(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Takes the build lock for `blob`, or answers false (another builder runs, an earlier build failed). */
function takeLock(blob: string): boolean {
  const lock = `${blob}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx', 0o644));
      return true;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(lock);
      } catch {
        return false;
      }
    }
  }
  return false;
}

/** After a plain run: starts one detached, low-priority builder for `blob` when none runs or failed. */
export function scheduleSnapshotBuild(blob: string, bundle: string): void {
  if (!path.isAbsolute(blob) || !blob.endsWith('.blob')) return;
  // The directory and its parent (/run/lxcha/snapshots), one level at a time: a recursive mkdir spins
  // forever where mkdir answers ENOENT under an existing parent (/proc).
  const dir = path.dirname(blob);
  for (const d of [path.dirname(dir), dir]) {
    try {
      mkdirSync(d, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return;
    }
  }
  try {
    statSync(`${blob}.failed`);
    return; // an earlier build failed for this bundle and node: plain runs from now on
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
  }
  if (!takeLock(blob)) return;
  try {
    const child = spawn(process.execPath, [bundle], {
      detached: true,
      stdio: 'ignore',
      env: builderEnv({ LXCHA_SNAPSHOT_BUILD: blob }),
    });
    child.on('error', () => remove(`${blob}.lock`));
    child.unref();
  } catch {
    remove(`${blob}.lock`);
  }
}

/** The builder process: makes `blob` from `bundle`, proves it answers, then puts it in place. Exit code. */
export function buildSnapshot(blob: string, bundle: string): number {
  const tmp = `${blob}.tmp-${process.pid}`;
  try {
    setPriority(19);
  } catch {
    // an unprivileged builder keeps its priority
  }
  try {
    const built = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', bundle], {
      stdio: 'ignore',
      env: builderEnv(),
      timeout: BUILD_TIMEOUT_MS,
    });
    const check =
      built.status === 0
        ? spawnSync(process.execPath, ['--snapshot-blob', tmp, 'meta-data'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
            env: builderEnv(),
            timeout: BUILD_TIMEOUT_MS,
          })
        : undefined;
    if (check?.status !== 0 || !(check.stdout ?? '').includes('<resource-agent')) {
      remove(tmp);
      writeFileSync(
        `${blob}.failed`,
        `build ${built.status ?? built.signal}, check ${check?.status ?? '-'}\n`,
      );
      return 1;
    }
    renameSync(tmp, blob);
    // Blobs of this agent built by this node binary for other builds are stale: this one replaces them.
    const dir = path.dirname(blob);
    const [agent, , node] = path.basename(blob).split('_');
    for (const name of readdirSync(dir)) {
      const [a, , n] = name.split('_');
      if (a === agent && n === node && name !== path.basename(blob)) remove(path.join(dir, name));
    }
    return 0;
  } catch {
    remove(tmp);
    return 1;
  } finally {
    remove(`${blob}.lock`);
  }
}
