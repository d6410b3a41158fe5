// pcs resource create … --agent-validation runs the installed agent's validate-all (pcs 0.11 does so only
// when asked, also with -f on a CIB file) and refuses a value only the agent can reject, showing the
// agent's own exit reason; warnings of a valid configuration pass through without refusing it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installAgents } from '../../tools/install-agents.js';
import { emptyCib, run } from '../helpers/cib.js';
import {
  createContainer,
  destroyAllTestContainers,
  requireRootAndLxc,
  type TestContainer,
} from '../helpers/containers.js';
import { repoRoot } from '../helpers/paths.js';

const LXCPATH = '/var/lib/lxcha-test-pcs';
const ID = 'lxcha-test-pcs-validation';
let dir: string;
let ct: TestContainer;

beforeAll(() => {
  requireRootAndLxc();
  installAgents({ repo: repoRoot, ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf', log: () => undefined });
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-pcs-'));
  destroyAllTestContainers(LXCPATH);
  ct = createContainer('pcs', { lxcpath: LXCPATH });
});
afterAll(() => {
  destroyAllTestContainers(LXCPATH);
  rmSync(LXCPATH, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function create(cib: string, params: readonly string[], flags: readonly string[]) {
  emptyCib(cib);
  const r = run('pcs', ['-f', cib, 'resource', 'create', ID, 'ocf:lxcha:lxc', ...params, ...flags]);
  return { ...r, created: readFileSync(cib, 'utf8').includes(`id="${ID}"`) };
}

it('memory_limit=lots, well-formed for pcs, is refused with the agent exit reason; without the flag pcs accepts it', () => {
  const cib = path.join(dir, 'lots.xml');
  const params = [
    `container=${ct.name}`,
    `lxcpath=${ct.lxcpath}`,
    `config=${ct.config}`,
    'memory_limit=lots',
  ];
  const refused = create(cib, params, ['--agent-validation']);
  expect(refused.code, refused.output).not.toBe(0);
  expect(refused.output).toContain('Validation result from agent');
  expect(refused.output).toContain(
    'ocf-exit-reason:parameter memory_limit="lots": not a size (a number with an optional K, M or G suffix)',
  );
  expect(refused.created).toBe(false);

  const accepted = create(cib, params, []);
  expect(accepted.code, accepted.output).toBe(0);
  expect(accepted.created).toBe(true);
});

it('a config missing on this node is refused with "not readable on this node" (validate-all answers 5)', () => {
  const r = create(
    path.join(dir, 'absent.xml'),
    ['container=ct0', 'config=/lxc1/ct0/config'],
    ['--agent-validation'],
  );
  expect(r.code, r.output).not.toBe(0);
  expect(r.output).toMatch(
    /ocf-exit-reason:container config \/lxc1\/ct0\/config is not readable on this node/,
  );
  expect(r.created).toBe(false);
});

it("a valid resource is created, with the agent's security warnings shown and nothing else on stderr", () => {
  const r = create(
    path.join(dir, 'valid.xml'),
    [`container=${ct.name}`, `lxcpath=${ct.lxcpath}`, `config=${ct.config}`, 'memory_limit=256M'],
    ['--agent-validation'],
  );
  expect(r.code, r.output).toBe(0);
  expect(r.created).toBe(true);
  const agentLines = r.output.split('\n').filter((l) => /^\s+lxc\(/.test(l));
  expect(agentLines.length).toBeGreaterThan(0);
  for (const line of agentLines) expect(line).toMatch(/WARNING: \/.*config: lxc\.[a-z.]+: /);
});
