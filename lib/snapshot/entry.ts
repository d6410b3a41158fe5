// The entry of an executable that can start from a startup snapshot (an agent, a DRBD handler). A plain run
// does its work at once; under `node --build-snapshot` the same bundle instead loads what a run uses into
// the heap and registers the main that a run from the snapshot calls (docs/speed.md: the launcher picks
// one or the other). A plain run that its launcher marked (LXCHA_SNAPSHOT_BLOB) starts the blob's builder
// after its work; the builder runs the bundle with LXCHA_SNAPSHOT_BUILD (lib/snapshot/builder.ts).
import { closeSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';

export interface SnapshotEntry {
  /** Loads into the heap, while the snapshot is built, what runs load lazily (top levels only declare). */
  readonly warm?: () => void;
  /** The executable's work, with process.argv as a plain run has it: [node, executable, ...arguments]. */
  readonly main: () => Promise<void>;
  /** The builder's proof that a new blob runs this code: true when the code answers as it should. */
  readonly check: () => Promise<boolean>;
  /**
   * Where a snapshot run finds the executable's name. 'given': its launcher passes its own path as the
   * first argument, as a plain run's argv[1]. 'bundle': its launcher passes only the action, and the
   * bundle's path is put back in front of it.
   */
  readonly argv: 'given' | 'bundle';
  /** Handler bundles whose blobs this bundle's builder makes too (lib/snapshot/builder.ts). */
  readonly companions?: readonly string[];
}

export function snapshotEntry(entry: SnapshotEntry): void {
  const bundle = process.argv[1] ?? '';
  if (startupSnapshot.isBuildingSnapshot()) {
    // Nothing here reads the environment, the clock or a file, and node:child_process stays out (the
    // bundle loads it on first spawn, scripts/build.mjs), as a user snapshot requires.
    entry.warm?.();
    startupSnapshot.setDeserializeMainFunction(() => {
      if (entry.argv === 'bundle') process.argv.splice(1, 0, bundle);
      // The launcher hands the blob over as descriptor 3: close it, so no child inherits it.
      if (process.execArgv.includes('/dev/fd/3')) closeDescriptor(3);
      quietSnapshotRequireWarning();
      if (process.env.LXCHA_SNAPSHOT_CHECK === '1') {
        void Promise.all([import('./builder.js'), entry.check().catch(() => false)]).then(
          ([{ SNAPSHOT_CHECK_ANSWER }, ok]) => {
            if (ok) process.stdout.write(`${SNAPSHOT_CHECK_ANSWER}\n`);
            else process.exitCode = 1;
          },
        );
        return;
      }
      void entry.main();
    });
    return;
  }
  const building = process.env.LXCHA_SNAPSHOT_BUILD;
  if (building !== undefined) {
    void import('./builder.js').then(({ buildSnapshot }) => {
      process.exitCode = buildSnapshot(building, bundle, entry.companions);
    });
    return;
  }
  void entry.main().then(() => {
    const wanted = process.env.LXCHA_SNAPSHOT_BLOB;
    if (wanted !== undefined)
      void import('./builder.js').then(({ scheduleSnapshotBuild }) => scheduleSnapshotBuild(wanted, bundle));
  });
}

/** Closes an inherited descriptor; one already closed is fine. */
function closeDescriptor(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // not open
  }
}

/**
 * Node 18 warns on stderr when an app started from a user snapshot first requires a built-in the snapshot
 * could not hold ("built-in module child_process is not yet supported in user snapshots"): the expected
 * case here (the bundle loads child_process on first spawn), which pacemaker-execd (or DRBD) would log for
 * every call. That one warning is dropped; every other warning is emitted as before.
 */
function quietSnapshotRequireWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/^built-in module \S+ is not yet supported in user snapshots$/.test(text)) return;
    (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
