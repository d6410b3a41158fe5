// Man pages ocf_lxcha_<agent>(7): generated from the declarations, rendered by man without a warning,
// naming every parameter and action, and installed by install-agents under DESTDIR.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentDefinitions } from '../../../tools/definitions.js';
import { installAgents } from '../../../tools/install-agents.js';
import { roffText } from '../../../tools/man-page.js';
import { repoRoot } from '../../helpers/paths.js';

const page = (agent: string) => path.join(repoRoot, 'docs/man', `ocf_lxcha_${agent}.7`);

describe.each(agentDefinitions.map((d) => [d.name, d] as const))('ocf_lxcha_%s(7)', (name, definition) => {
  it('renders with man --warnings without a single warning', () => {
    const r = spawnSync('man', ['--warnings', '-l', page(name)], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`ocf_lxcha_${name} - ${definition.shortdesc}`);
  });

  it('describes every parameter and action of the declaration', () => {
    const text = execFileSync('man', ['-l', page(name)], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '200' },
    });
    for (const parameter of Object.keys(definition.parameters))
      expect(text).toMatch(new RegExp(`^ {7}${parameter} \\(`, 'm'));
    for (const action of new Set(definition.actions.map((a) => a.name)))
      expect(text).toMatch(new RegExp(`^ {7}${action}\\b`, 'm'));
  });
});

it('escapes what roff would read as markup', () => {
  expect(roffText('.start of line\nback\\slash')).toBe('\\&.start of line\nback\\eslash');
  expect(roffText("'quote")).toBe("\\&'quote");
  expect(roffText('weight × 1024 → x é')).toBe('weight \\(mu 1024 \\(-> x \\[u00E9]');
});

it('install-agents puts the man pages into $DESTDIR/usr/share/man/man7, readable by all', () => {
  const destdir = mkdtempSync(path.join(tmpdir(), 'lxcha-man-'));
  try {
    installAgents({ repo: repoRoot, ocfRoot: '/usr/lib/ocf', destdir, log: () => undefined });
    for (const d of agentDefinitions) {
      const installed = path.join(destdir, 'usr/share/man/man7', `ocf_lxcha_${d.name}.7`);
      expect(existsSync(installed), installed).toBe(true);
      expect(statSync(installed).mode & 0o777).toBe(0o644);
    }
  } finally {
    rmSync(destdir, { recursive: true, force: true });
  }
});
