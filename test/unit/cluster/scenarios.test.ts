// The cluster harness's scenarios (test/cluster/scenarios/): the ordered list in index.ts and the files
// agree, so that adding a scenario is adding its file and its line, and docs/cluster.md describes each.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selected, type Scenario } from '../../cluster/context.js';
import { loadScenarios } from '../../cluster/scenarios/index.js';
import { repoRoot } from '../../helpers/paths.js';

const dir = path.join(repoRoot, 'test/cluster/scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => path.basename(f, '.ts'));

describe('the cluster scenarios', () => {
  it('are listed once each, and every listed scenario has its file', async () => {
    const names = (await loadScenarios()).map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...files].sort());
  });

  it('are each named after their file', async () => {
    for (const file of files) {
      const module = (await import(path.join(dir, `${file}.ts`))) as { scenario?: Scenario };
      expect(module.scenario?.name).toBe(file);
    }
  });

  it('run start first, as the prerequisite of the rest, and data after every scenario that checks data', async () => {
    const scenarios = await loadScenarios();
    expect(scenarios[0]?.name).toBe('start');
    expect(scenarios.filter((s) => s.prerequisite === true).map((s) => s.name)).toEqual(['start']);
    const data = scenarios.findIndex((s) => s.name === 'data');
    const checking = scenarios.flatMap((s, i) => (s.checksData === true ? [i] : []));
    expect(checking.length).toBeGreaterThan(0);
    for (const i of checking) expect(i).toBeLessThan(data);
  });

  it('keep remove in a run that names scenarios, so the next stack never loads over a running one', async () => {
    const scenarios = await loadScenarios();
    const byName = (n: string): Scenario => {
      const s = scenarios.find((x) => x.name === n);
      if (s === undefined) throw new Error(`no scenario ${n}`);
      return s;
    };
    const only = ['start', 'partition'];
    expect(selected(byName('remove'), 'lxcha', only, false)).toBe(true);
    expect(selected(byName('remove'), 'anchor', only, true)).toBe(true);
    expect(selected(byName('switchover'), 'lxcha', only, true)).toBe(false);
    expect(selected(byName('partition'), 'lxcha', only, false)).toBe(true);
    expect(selected(byName('partition'), 'anchor', only, false)).toBe(false);
    expect(selected(byName('partition'), 'anchor', only, true)).toBe(true);
    expect(selected(byName('switchover'), 'anchor', [], false)).toBe(true);
    expect(scenarios.filter((s) => s.housekeeping === true).map((s) => s.name)).toEqual(['remove']);
  });

  it('are each described in docs/cluster.md', async () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/cluster.md'), 'utf8');
    for (const { name } of await loadScenarios()) expect(doc).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
  });
});
