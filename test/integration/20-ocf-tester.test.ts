// resource-agents' ocf-tester on the built lxc agent with a real container.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createContainer,
  destroyAllTestContainers,
  requireRootAndLxc,
  state,
  type TestContainer,
} from '../helpers/containers.js';
import { worldReadableAgent } from '../helpers/paths.js';
import { runToEnd } from '../helpers/run.js';

let ct: TestContainer;
beforeAll(() => {
  requireRootAndLxc();
  destroyAllTestContainers();
  ct = createContainer('ocft');
});
afterAll(() => destroyAllTestContainers());

it('ocf-tester passes on ocf:lxcha:lxc (meta-data also as user nobody, from a world-readable copy)', async () => {
  const { dir, agent } = worldReadableAgent('lxc');
  const r = await runToEnd(
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
    { timeout: 300_000 },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out).toMatch(/\/lxc passed all tests/);
  expect(out).not.toMatch(/failed|error/i);
  expect(r.status, out).toBe(0);
  expect(state(ct)).toBe('STOPPED');
  rmSync(dir, { recursive: true, force: true });
});
