import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../lib/ocf/agent.js';
import { buildMetadata } from '../../../lib/ocf/metadata.js';
import { agentDefinitions } from '../../../tools/definitions.js';
import { generatedFiles } from '../../../tools/generated-files.js';
import { repoRoot } from '../../helpers/paths.js';

const DTD = '/usr/share/resource-agents/ra-api-1.dtd';
const RNG = '/usr/share/pcs/data/ocf-1.1.rng';

/** xmllint --valid against ra-api-1.dtd, the way ocf-tester does it (DOCTYPE resolved beside the DTD). */
function validateAgainstDtd(xml: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-dtd-'));
  copyFileSync(DTD, path.join(dir, 'ra-api-1.dtd'));
  writeFileSync(path.join(dir, 'meta.xml'), xml);
  execFileSync('xmllint', ['--noout', '--valid', 'meta.xml'], { cwd: dir, stdio: 'pipe' });
}

function validateAgainstRng(xml: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-rng-'));
  writeFileSync(path.join(dir, 'meta.xml'), xml);
  execFileSync('xmllint', ['--noout', '--relaxng', RNG, path.join(dir, 'meta.xml')], { stdio: 'pipe' });
}

const tricky = defineAgent({
  name: 'tricky',
  version: '1.2.3',
  shortdesc: 'Escapes <&> "quotes"',
  longdesc: 'A description with <tags>, & ampersands and "quotes".',
  parameters: {
    name: { type: 'string', required: true, unique: true, shortdesc: 'n', longdesc: 'a < b && c > d' },
    mode: {
      type: 'select',
      options: ['system_id', 'tagging'],
      default: 'system_id',
      shortdesc: 'm',
      longdesc: 'mode',
    },
    limit: { type: 'string', reloadable: true, shortdesc: 'l', longdesc: 'limit' },
    old: {
      type: 'boolean',
      default: false,
      shortdesc: 'o',
      longdesc: 'old',
      deprecated: { replacedWith: 'limit', desc: 'use limit' },
    },
    wait: { type: 'seconds', default: 30, shortdesc: 'w', longdesc: 'wait' },
  },
  actions: [
    { name: 'start', timeout: 60 },
    { name: 'stop', timeout: 60 },
    { name: 'promote', timeout: 90 },
    { name: 'monitor', timeout: 20, interval: 29, role: 'Promoted' },
    { name: 'monitor', timeout: 20, interval: 31, role: 'Unpromoted' },
    { name: 'validate-all', timeout: 20 },
    { name: 'reload-agent', timeout: 20 },
    { name: 'meta-data', timeout: 5 },
  ],
});

describe('metadata from a declaration', () => {
  it('OCF 1.0 document is valid against ra-api-1.dtd and leaves out what the DTD does not know', () => {
    const xml = buildMetadata(tricky, '1.0');
    validateAgainstDtd(xml);
    expect(xml).toContain('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
    expect(xml).toContain('<version>1.0</version>');
    expect(xml).not.toContain('reload-agent');
    expect(xml).not.toContain('reloadable');
    expect(xml).not.toContain('<deprecated');
    expect(xml).toContain('role="Master"');
    expect(xml).toContain('Allowed values: system_id, tagging.');
  });

  it('OCF 1.1 document is valid against pcs ocf-1.1.rng with reloadable, deprecated, select and new roles', () => {
    const xml = buildMetadata(tricky, '1.1');
    validateAgainstRng(xml);
    expect(xml).toContain('<version>1.1</version>');
    expect(xml).toContain('reloadable="1"');
    expect(xml).toContain('<replaced-with name="limit"/>');
    expect(xml).toMatch(/<content type="select" default="system_id">\s*<option value="system_id"\/>/);
    expect(xml).toContain('<action name="reload-agent" timeout="20s"/>');
    expect(xml).toContain('role="Promoted"');
    expect(xml).toContain('unique-group="name"');
  });

  it('escapes markup in descriptions', () => {
    const xml = buildMetadata(tricky, '1.1');
    expect(xml).toContain('a &lt; b &amp;&amp; c &gt; d');
    expect(xml).not.toContain('<tags>');
  });

  for (const definition of agentDefinitions) {
    it(`${definition.name}: both generated documents validate`, () => {
      validateAgainstDtd(buildMetadata(definition, '1.0'));
      validateAgainstRng(buildMetadata(definition, '1.1'));
    });
  }

  it('checked-in generated files (metadata/, docs/agents/) are up to date: run `npm run generate`', () => {
    for (const [file, content] of generatedFiles()) {
      expect(readFileSync(path.join(repoRoot, file), 'utf8'), file).toBe(content);
    }
  });
});

describe('defineAgent rejects ill-formed declarations', () => {
  const base = {
    name: 'x',
    version: '1',
    shortdesc: 's',
    longdesc: 'l',
    actions: [
      { name: 'start', timeout: 1 },
      { name: 'stop', timeout: 1 },
      { name: 'monitor', timeout: 1 },
      { name: 'validate-all', timeout: 1 },
      { name: 'meta-data', timeout: 1 },
    ],
  };
  it('a parameter both required and with a default', () => {
    expect(() =>
      defineAgent({
        ...base,
        parameters: { p: { type: 'string', required: true, default: 'a', shortdesc: 's', longdesc: 'l' } },
      }),
    ).toThrow(/required and has a default/);
  });
  it('a select default outside its options', () => {
    expect(() =>
      defineAgent({
        ...base,
        parameters: {
          p: { type: 'select', options: ['a'], default: 'b' as 'a', shortdesc: 's', longdesc: 'l' },
        },
      }),
    ).toThrow(/not one of its options/);
  });
  it('a replacement that does not exist', () => {
    expect(() =>
      defineAgent({
        ...base,
        parameters: {
          p: { type: 'boolean', shortdesc: 's', longdesc: 'l', deprecated: { replacedWith: 'q', desc: 'd' } },
        },
      }),
    ).toThrow(/unknown parameter 'q'/);
  });
  it('an unknown action and a missing mandatory action', () => {
    expect(() =>
      defineAgent({ ...base, parameters: {}, actions: [{ name: 'explode', timeout: 1 }] }),
    ).toThrow(/unknown action 'explode'.*'start' is missing/);
  });
  it('an integer default out of range', () => {
    expect(() =>
      defineAgent({
        ...base,
        parameters: { p: { type: 'integer', min: 1, max: 5, default: 9, shortdesc: 's', longdesc: 'l' } },
      }),
    ).toThrow(/out of its range/);
  });
});
