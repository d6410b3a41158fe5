// resource-agents' ocf-tester on the built lxc agent with a real container.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createContainer,
  destroyAllTestContainers,
  requireRootAndLxc,
  state,
  type TestContainer,
} from '../helpers/containers.js';
import { builtAgent } from '../helpers/paths.js';

let ct: TestContainer;
beforeAll(() => {
  requireRootAndLxc();
  destroyAllTestContainers();
  ct = createContainer('ocft');
});
afterAll(() => destroyAllTestContainers());

it('ocf-tester passes on ocf:lxcha:lxc (meta-data also as user nobody, from a world-readable copy)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-ocft-'));
  chmodSync(dir, 0o755);
  const agent = path.join(dir, 'lxc');
  copyFileSync(builtAgent('lxc'), agent);
  chmodSync(agent, 0o755);
  const r = spawnSync(
    'ocf-tester',
    [
      '-n',
      'lxcha-test-ocft',
      '-o',
      `container=${ct.name}`,
      '-o',
      `lxcpath=${ct.lxcpath}`,
      '-o',
      `config=${ct.config}`,
      agent,
    ],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out).toMatch(/\/lxc passed all tests/);
  expect(out).not.toMatch(/failed|error/i);
  expect(r.status, out).toBe(0);
  expect(state(ct)).toBe('STOPPED');
  void execFileSync;
});
