// An agent executable's entry (agents/<name>.ts). A plain run serves the action at once; under
// `node --build-snapshot` the same bundle instead loads every action's module into the heap and registers
// the main that a run from the startup snapshot calls (docs/speed.md: the launcher picks one or the other).
import { closeSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';
import type { AgentDefinition, ParameterSet } from './agent.js';
import { agentMain, type AgentHooks } from './run.js';

export function agentEntry<P extends ParameterSet>(definition: AgentDefinition<P>, hooks: AgentHooks): void {
  const bundle = process.argv[1] ?? definition.name;
  if (startupSnapshot.isBuildingSnapshot()) {
    // Each module's top level only declares; nothing here reads the environment, the clock or a file, and
    // node:child_process stays out (the bundle loads it on first spawn), as a user snapshot requires.
    for (const action of definition.actions) void action.run?.();
    startupSnapshot.setDeserializeMainFunction(() => {
      // From a snapshot, argv holds no script: put the bundle back where a plain run has it.
      process.argv.splice(1, 0, bundle);
      // The launcher hands the blob over as descriptor 3: close it, so no child inherits it.
      if (process.execArgv.includes('/dev/fd/3')) closeDescriptor(3);
      quietSnapshotRequireWarning();
      void agentMain(definition, hooks);
    });
    return;
  }
  const building = process.env.LXCHA_SNAPSHOT_BUILD;
  if (building !== undefined) {
    void import('./startup-snapshot.js').then(({ buildSnapshot }) => {
      process.exitCode = buildSnapshot(building, bundle);
    });
    return;
  }
  void agentMain(definition, hooks).then(() => {
    const wanted = process.env.LXCHA_SNAPSHOT_BLOB;
    if (wanted !== undefined)
      void import('./startup-snapshot.js').then(({ scheduleSnapshotBuild }) =>
        scheduleSnapshotBuild(wanted, bundle),
      );
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
 * case here (the bundle loads child_process on first spawn), which pacemaker-execd would log for every
 * call. That one warning is dropped; every other warning is emitted as before.
 */
function quietSnapshotRequireWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/^built-in module \S+ is not yet supported in user snapshots$/.test(text)) return;
    (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
