// The files generated from the agents' declarations, as path → content: written by `npm run generate`,
// compared by a unit test so that a stale checked-in file fails the build.
import { buildMetadata } from '../lib/ocf/metadata.js';
import { actionTable, parameterTable } from '../lib/ocf/usage.js';
import type { AgentDefinition } from '../lib/ocf/agent.js';
import { agentDefinitions } from './definitions.js';

export function agentDoc(definition: AgentDefinition): string {
  return [
    `# ocf:lxcha:${definition.name}`,
    '',
    '<!-- generated from the agent declaration by `npm run generate`; do not edit -->',
    '',
    definition.longdesc,
    '',
    '## Parameters',
    '',
    parameterTable(definition),
    '',
    '## Actions',
    '',
    actionTable(definition),
    '',
  ].join('\n');
}

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of agentDefinitions) {
    files.set(`metadata/${d.name}.xml`, buildMetadata(d, '1.0'));
    files.set(`metadata/${d.name}.ocf-1.1.xml`, buildMetadata(d, '1.1'));
    files.set(`docs/agents/${d.name}.md`, agentDoc(d));
  }
  return files;
}
