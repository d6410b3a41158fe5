// An agent executable's entry (agents/<name>.ts): a startup-snapshot entry (lib/snapshot/entry.ts) whose
// snapshot holds every action's module, and whose launcher passes only the action to a snapshot run.
import type { AgentDefinition, ParameterSet } from './agent.js';
import { agentMain, type AgentHooks } from './run.js';
import { snapshotEntry } from '../snapshot/entry.js';

export interface AgentEntryOptions extends AgentHooks {
  /** Handler bundles whose startup snapshots this agent's snapshot builder makes too. */
  readonly snapshotCompanions?: readonly string[];
}

export function agentEntry<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  options: AgentEntryOptions,
): void {
  const { snapshotCompanions, ...hooks } = options;
  snapshotEntry({
    // Each module's top level only declares: loading them all reads no environment, clock or file.
    // The logger too (pino), which an action loads with its first line: on an emulated cluster node that
    // load cost each logging action ~0.17 s more (tools/vm-profile.ts drbd-lvm). pino's top level reads
    // the hostname and the clock once, for a default base and an ISO timestamp: createLogger uses
    // neither (base null, no timestamp), so no value of the build reaches a run.
    warm: () => {
      for (const action of definition.actions) void action.run?.();
      void import('./log.js');
    },
    main: () => agentMain(definition, hooks),
    // meta-data's own module, loaded only here: a monitor's plain run does not parse the XML builder.
    check: async () =>
      (await import('./metadata.js')).buildMetadata(definition, '1.1').includes('<resource-agent'),
    argv: 'bundle',
    ...(snapshotCompanions === undefined ? {} : { companions: snapshotCompanions }),
  });
}
