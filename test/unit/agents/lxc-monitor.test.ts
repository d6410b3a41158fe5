// The lxc agent's monitor against a fake lxc-info on PATH (proves state handling, not LXC behaviour).
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../helpers/agent.js';
import { repoRoot } from '../../helpers/paths.js';

function withStates(...states: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-fake-lxc-'));
  const file = path.join(dir, 'states');
  writeFileSync(file, `${states.join('\n')}\n`);
  const bin = path.join(dir, 'bin');
  symlinkSync(path.join(repoRoot, 'test/fakes/lxc'), bin);
  const node = path.join(dir, 'node-bin');
  symlinkSync(path.dirname(process.execPath), node);
  return {
    env: { PATH: `${bin}:${node}`, LXCHA_FAKE_STATES: file },
    queries: () => Number(readFileSync(`${file}.count`, 'utf8')),
  };
}

const params = { container: 'ct0' };
const recurring = { interval: '30000', timeout: '20000' };

describe('lxc monitor state handling (fake lxc-info)', () => {
  it.each([
    [['RUNNING'], 0],
    [['STOPPED'], 7],
    [['ABSENT'], 7],
    [['STARTING', 'STARTING', 'RUNNING'], 0],
    [['STOPPING', 'STOPPED'], 7],
    [['FREEZING', 'FROZEN'], 1],
    [['THAWED', 'RUNNING'], 0],
  ])('%j → %i', (states, code) => {
    const fake = withStates(...states);
    const run = runAgent('monitor', { params, meta: recurring, env: fake.env });
    expect(run.code, run.stderr).toBe(code);
    expect(fake.queries()).toBe(states.length);
  });

  it('a state that never settles answers 1 within the bound, with a reason', () => {
    const fake = withStates('STARTING');
    const run = runAgent('monitor', { params, meta: { interval: '30000', timeout: '5000' }, env: fake.env });
    expect(run.code).toBe(1);
    expect(run.reason).toMatch(/STARTING/);
    expect(run.ms).toBeLessThan(8000);
  });

  it('a frozen container is not serving: 1 with a reason', () => {
    const run = runAgent('monitor', { params, meta: recurring, env: withStates('FROZEN').env });
    expect(run.code).toBe(1);
    expect(run.reason).toMatch(/FROZEN/);
  });

  it('bad identity parameters fail monitor and stop with 6 before any query', () => {
    for (const action of ['monitor', 'stop']) {
      const fake = withStates('RUNNING');
      for (const bad of [{ container: 'ct0;reboot' }, { container: 'ct0', lxcpath: 'relative' }]) {
        const run = runAgent(action, { params: bad, meta: recurring, env: fake.env });
        expect(run.code).toBe(6);
        expect(run.reason).toMatch(/parameter (container|lxcpath)=/);
      }
      expect(() => fake.queries()).toThrow();
    }
  });
});
