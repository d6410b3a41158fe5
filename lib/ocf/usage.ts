// Usage text and Markdown parameter tables generated from the declaration.
import type { AgentDefinition, ParameterSpec } from './agent.js';

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

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function typeText(spec: ParameterSpec): string {
  if (spec.type === 'select') return `select: ${spec.options.join(' \\| ')}`;
  if (spec.type === 'integer' && (spec.min !== undefined || spec.max !== undefined))
    return `integer ${spec.min ?? ''}..${spec.max ?? ''}`;
  return spec.type;
}

export function parameterTable(definition: AgentDefinition): string {
  const rows = Object.entries(definition.parameters).map(([name, spec]) => {
    const notes = [
      spec.required === true ? 'required' : '',
      spec.unique === true ? 'unique' : '',
      spec.reloadable === true ? 'reloadable' : '',
      spec.deprecated
        ? `deprecated${spec.deprecated.replacedWith ? ` → ${spec.deprecated.replacedWith}` : ''}`
        : '',
    ].filter((s) => s !== '');
    const def = spec.default === undefined ? '' : `\`${String(spec.default)}\``;
    return `| \`${name}\` | ${cell(typeText(spec))} | ${def} | ${notes.join(', ')} | ${cell(spec.longdesc)} |`;
  });
  return ['| parameter | type | default | notes | description |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

export function actionTable(definition: AgentDefinition): string {
  const rows = definition.actions.map(
    (a) =>
      `| ${a.name} | ${a.timeout}s | ${a.interval === undefined ? '' : `${a.interval}s`} | ${a.depth ?? ''} | ${a.role ?? ''} |`,
  );
  return ['| action | timeout | interval | depth | role |', '|---|---|---|---|---|', ...rows].join('\n');
}
