// The Markdown parameter and action tables of docs/agents/ and the README, generated from the declaration.
import type { AgentDefinition, ParameterSpec } from '../lib/ocf/agent.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A parameter's type in words, for the Markdown tables and the man page alike. */
export function typeText(spec: ParameterSpec): string {
  if (spec.type === 'select') return `one of ${spec.options.join(', ')}`;
  if (spec.type === 'integer' && (spec.min !== undefined || spec.max !== undefined))
    return `integer ${spec.min ?? ''}..${spec.max ?? ''}`;
  if (spec.type === 'seconds') return 'duration: 30, 30s, 2min';
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
