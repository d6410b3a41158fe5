// The agent's runtime usage text (`agent usage`), generated from the declaration.
import type { AgentDefinition } from './agent.js';

const actionNames = (definition: AgentDefinition): string[] => [
  ...new Set(definition.actions.map((a) => a.name)),
];

export function usageText(definition: AgentDefinition): string {
  const lines = [
    `usage: ${definition.name} {${actionNames(definition).join('|')}}`,
    '',
    definition.shortdesc,
    '',
    'Parameters (OCF_RESKEY_<name>):',
  ];
  for (const [name, spec] of Object.entries(definition.parameters)) {
    const flags = [
      spec.type,
      spec.required === true ? 'required' : undefined,
      spec.reloadable === true ? 'reloadable' : undefined,
      spec.deprecated ? 'deprecated' : undefined,
    ]
      .filter((f) => f !== undefined)
      .join(', ');
    lines.push(
      `  ${name} (${flags})${spec.default === undefined ? '' : ` default ${String(spec.default)}`}: ${spec.shortdesc}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
