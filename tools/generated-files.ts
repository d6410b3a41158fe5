// The files generated from the agents' declarations, as path → content: written by `npm run generate`,
// compared by a unit test so that a stale checked-in file fails the build.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildMetadata } from '../lib/ocf/metadata.js';
import { actionTable, parameterTable } from './doc-tables.js';
import type { AgentDefinition } from '../lib/ocf/agent.js';
import { agentDefinitions } from './definitions.js';
import { manPage } from './man-page.js';

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

/** Replaces the text between `<!-- BEGIN GENERATED name -->` and `<!-- END GENERATED name -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- BEGIN GENERATED ${name} -->`;
  const end = `<!-- END GENERATED ${name} -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return text;
  return `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`;
}

export function generatedFiles(repo = path.resolve(import.meta.dirname, '..')): Map<string, string> {
  const files = new Map<string, string>();
  const readmePath = path.join(repo, 'README.md');
  let readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  for (const d of agentDefinitions) {
    files.set(`metadata/${d.name}.xml`, buildMetadata(d, '1.0'));
    files.set(`metadata/${d.name}.ocf-1.1.xml`, buildMetadata(d, '1.1'));
    files.set(`docs/agents/${d.name}.md`, agentDoc(d));
    files.set(`docs/man/ocf_lxcha_${d.name}.7`, manPage(d));
    readme = replaceSection(readme, `${d.name} parameters`, parameterTable(d));
    readme = replaceSection(readme, `${d.name} actions`, actionTable(d));
  }
  if (readme !== '') files.set('README.md', readme);
  return files;
}
