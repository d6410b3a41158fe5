// Startup snapshots of a bundle (an agent's, a DRBD handler's), built lazily by the node binary that will load
// them (a blob loads only into the binary that built it; a bad one aborts node before it runs anything). The
// launcher (scripts/launcher.mjs) names the blob after the bundle's build and the node binary's identity,
// uses it when it exists, and otherwise runs the plain bundle with LXCHA_SNAPSHOT_BLOB set: that run, after
// its work, starts one detached builder. The builder makes the blob, checks that it runs (lib/snapshot/entry.ts
// answers LXCHA_SNAPSHOT_CHECK from the snapshot), and only then renames it into place. An agent names
// companions: handler bundles whose blobs its builder makes next, so that the first fence-peer after a boot
// (/run is emptied) already starts from a snapshot. Nothing here can fail an operation: every error means
// "no snapshot".
import { spawn, spawnSync } from 'node:child_process';
import { blobFileName, buildIdOf, parseBlobName } from './blob-name.mjs';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import { makeDirAndParent } from '../system/state-file.js';

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
  if (extra.LXCHA_SNAPSHOT_CHECK === undefined) delete env.LXCHA_SNAPSHOT_CHECK;
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
  try {
    makeDirAndParent(path.dirname(blob));
  } catch {
    return;
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

/** What a blob built from a checked bundle prints when run with LXCHA_SNAPSHOT_CHECK=1 (lib/snapshot/entry.ts). */
export const SNAPSHOT_CHECK_ANSWER = 'lxcha-snapshot-check ok';

/**
 * The builder process: makes `blob` from `bundle`, proves it runs, puts it in place; then the blobs of its
 * companions (handler bundles, by name) that this node binary lacks. The exit code is the own blob's.
 */
export function buildSnapshot(blob: string, bundle: string, companions: readonly string[] = []): number {
  try {
    setPriority(19);
  } catch {
    // an unprivileged builder keeps its priority
  }
  const built = buildOne(blob, bundle);
  remove(`${blob}.lock`);
  if (built !== 0) return built;
  for (const name of companions) {
    const companion = companionBlob(blob, bundle, name);
    if (companion === undefined || existsSync(companion.blob) || existsSync(`${companion.blob}.failed`))
      continue;
    if (!takeLock(companion.blob)) continue;
    buildOne(companion.blob, companion.bundle);
    remove(`${companion.blob}.lock`);
  }
  return 0;
}

/**
 * A companion's bundle (lib/lxcha/handlers/NAME.js beside the agent's lib/lxcha/agents/) and its blob: named
 * as its launcher names it (blob-name.mjs), by its build id and the node binary's identity taken from the
 * agent's blob name.
 */
export function companionBlob(
  agentBlob: string,
  agentBundle: string,
  name: string,
): { bundle: string; blob: string } | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const bundle = path.join(path.dirname(agentBundle), '..', 'handlers', `${name}.js`);
  const node = parseBlobName(path.basename(agentBlob))?.nodeId;
  if (node === undefined) return undefined;
  try {
    const build = buildIdOf(readFileSync(bundle));
    return { bundle, blob: path.join(path.dirname(agentBlob), blobFileName(name, build, node)) };
  } catch {
    return undefined; // no such handler here
  }
}

/** Builds one blob and checks it; a failure leaves `blob`.failed (not retried) and no blob. Exit code. */
function buildOne(blob: string, bundle: string): number {
  const tmp = `${blob}.tmp-${process.pid}`;
  try {
    const built = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', bundle], {
      stdio: 'ignore',
      env: builderEnv(),
      timeout: BUILD_TIMEOUT_MS,
    });
    const check =
      built.status === 0
        ? spawnSync(process.execPath, ['--snapshot-blob', tmp], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
            env: builderEnv({ LXCHA_SNAPSHOT_CHECK: '1' }),
            timeout: BUILD_TIMEOUT_MS,
          })
        : undefined;
    if (check?.status !== 0 || (check.stdout ?? '').trim() !== SNAPSHOT_CHECK_ANSWER) {
      remove(tmp);
      writeFileSync(
        `${blob}.failed`,
        `build ${built.status ?? built.signal}, check ${check?.status ?? '-'}\n`,
      );
      return 1;
    }
    renameSync(tmp, blob);
    // Blobs of this bundle built by this node binary for other builds are stale: this one replaces them.
    const dir = path.dirname(blob);
    const own = parseBlobName(path.basename(blob));
    for (const other of readdirSync(dir)) {
      const parts = parseBlobName(other);
      if (
        own !== undefined &&
        parts?.name === own.name &&
        parts.nodeId === own.nodeId &&
        parts.buildId !== own.buildId
      )
        remove(path.join(dir, other));
    }
    return 0;
  } catch {
    remove(tmp);
    return 1;
  }
}
