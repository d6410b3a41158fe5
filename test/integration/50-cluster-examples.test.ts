// cluster-examples/: each crm file and pcs script loads into an empty CIB file with the real tools, passes
// crm_verify, both languages configure the same thing, and every lxcha primitive's parameters go through
// the installed agent's validate-all with crm_resource --validate.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAgents } from '../../tools/install-agents.js';
import { emptyCib, normalizedConfiguration, primitives, run, type Primitive } from '../helpers/cib.js';
import {
  createContainer,
  destroyAllTestContainers,
  requireRootAndLxc,
  type TestContainer,
} from '../helpers/containers.js';
import { repoRoot } from '../helpers/paths.js';

const examples = path.join(repoRoot, 'cluster-examples');
const names = readdirSync(examples)
  .filter((f) => f.endsWith('.crm'))
  .map((f) => f.slice(0, -'.crm'.length))
  .sort();
// What crmsh and crm_verify may say about a CIB file of a cluster that does not run here.
const expectedWarnings = [/lack of quorum/, /referenced node server\d does not exist/];

// Its own lxcpath: other integration tests may clean the shared one while this file runs.
const LXCPATH = '/var/lib/lxcha-test-examples';
let dir: string;
let ct: TestContainer;

beforeAll(() => {
  requireRootAndLxc();
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-examples-'));
  installAgents({ repo: repoRoot, ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf', log: () => undefined });
  destroyAllTestContainers(LXCPATH);
  ct = createContainer('examples', { lxcpath: LXCPATH });
});
afterAll(() => {
  destroyAllTestContainers(LXCPATH);
  rmSync(LXCPATH, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function loadCrm(name: string): string {
  const cib = path.join(dir, `${name}.crm.xml`);
  emptyCib(cib);
  const r = run('crm', ['configure', 'load', 'update', path.join(examples, `${name}.crm`)], {
    CIB_file: cib,
  });
  expect(r.code, r.output).toBe(0);
  expect(r.output).not.toMatch(/ERROR/);
  for (const line of r.output.split('\n').filter((l) => /WARNING/.test(l)))
    expect(
      expectedWarnings.some((w) => w.test(line)),
      `unexpected crm warning: ${line}`,
    ).toBe(true);
  return cib;
}

function loadPcs(name: string): string {
  const cib = path.join(dir, `${name}.pcs.xml`);
  emptyCib(cib);
  const r = run('sh', [path.join(examples, `${name}.pcs.sh`), cib]);
  expect(r.code, r.output).toBe(0);
  expect(r.output).not.toMatch(/^Error/m);
  return cib;
}

function crmVerify(cib: string): void {
  const r = run('crm_verify', ['-x', cib, '-V']);
  expect(r.code, r.output).toBe(0);
  expect(r.output).not.toMatch(/error/i);
  for (const line of r.output.split('\n').filter((l) => l.trim() !== ''))
    expect(
      expectedWarnings.some((w) => w.test(line)),
      `unexpected crm_verify output: ${line}`,
    ).toBe(true);
}

function validate(p: Primitive, override: Readonly<Record<string, string>> = {}) {
  const [, provider, agent] = p.agent.split(':');
  const options = Object.entries({ ...p.params, ...override }).flatMap(([k, v]) => ['--option', `${k}=${v}`]);
  const r = run('crm_resource', [
    '--validate',
    '--class',
    'ocf',
    '--provider',
    provider ?? '',
    '--agent',
    agent ?? '',
    ...options,
  ]);
  return { ...r, reason: /^ocf-exit-reason:(.*)$/m.exec(r.output)?.[1] };
}

it('there is a crm file and a pcs script for every example', () => {
  expect(names).toEqual(['ha-containers', 'one-container']);
  for (const name of names) expect(readdirSync(examples)).toContain(`${name}.pcs.sh`);
});

describe.each(names)('%s', (name) => {
  let crmCib: string;
  let pcsCib: string;

  it('loads with crm configure load update into an empty CIB, and crm_verify accepts it', () => {
    crmCib = loadCrm(name);
    crmVerify(crmCib);
  });

  it('writes itself with pcs -f into an empty CIB, and crm_verify accepts it', () => {
    pcsCib = loadPcs(name);
    crmVerify(pcsCib);
  });

  it('configures the same resources, operations, constraints and defaults in both languages', () => {
    const crm = normalizedConfiguration(readFileSync(crmCib, 'utf8'));
    const pcs = normalizedConfiguration(readFileSync(pcsCib, 'utf8'));
    expect(pcs).toEqual(crm);
    expect(crm).toContain('crm_config stonith-enabled=true');
    expect(crm.some((l) => l.startsWith('rsc_defaults migration-threshold='))).toBe(true);
    expect(crm.some((l) => l.startsWith('rsc_defaults failure-timeout='))).toBe(true);
    expect(crm.some((l) => / stonith:/.test(l))).toBe(true);
    expect(
      crm.some((l) =>
        /^clone ms_drbdlvm_r0 p_drbdlvm_r0 .*notify=false promotable=true promoted-max=1/.test(l),
      ),
    ).toBe(true);
    expect(crm).toContain('order ms_drbdlvm_r0:promote then g_lxc1:start Mandatory');
    expect(crm).toContain('colocation g_lxc1: with ms_drbdlvm_r0:Promoted INFINITY');
    // Every container sits in a group after the configuration filesystem its config is on.
    for (const p of primitives(readFileSync(crmCib, 'utf8')).filter((q) => q.agent === 'ocf:lxcha:lxc')) {
      const group = crm.find((l) => l.startsWith('group ') && l.split(' ').includes(p.id));
      const space = /^\/(lxc\d)\//.exec(p.params.config ?? '')?.[1];
      expect(group, p.id).toMatch(new RegExp(`^group g_${space} p_fs_${space} `));
    }
    // Raised timeouts: no operation of the stack relies on Pacemaker's 20s default.
    for (const op of crm.filter((l) => l.startsWith('op ') && !l.includes(' st_server')))
      expect(Number(/timeout=(\d+)s/.exec(op)?.[1]), op).toBeGreaterThanOrEqual(60);
  });

  it('every ocf:lxcha:lxc primitive passes validate-all with a config that exists here, and answers 5 for its own /lxcN config', () => {
    const lxc = primitives(readFileSync(crmCib, 'utf8')).filter((p) => p.agent === 'ocf:lxcha:lxc');
    expect(lxc.length).toBeGreaterThan(0);
    for (const p of lxc) {
      // The example as written: its config is on /lxc1 or /lxc2, not mounted on this test host.
      const asWritten = validate(p);
      expect(asWritten.code, asWritten.output).toBe(5);
      expect(asWritten.reason).toMatch(
        new RegExp(`^container config ${p.params.config ?? '?'} is not readable on this node`),
      );
      // The same parameters (limits, logs) with a real test container's config and lxcpath.
      const here = validate(p, { container: ct.name, config: ct.config, lxcpath: ct.lxcpath });
      expect(here.code, here.output).toBe(0);
    }
  });

  it('every ocf:lxcha:drbd-lvm primitive passes the parameter checks and answers 5 for the DRBD resource absent here', () => {
    const drbd = primitives(readFileSync(crmCib, 'utf8')).filter((p) => p.agent === 'ocf:lxcha:drbd-lvm');
    expect(drbd.length).toBeGreaterThan(0);
    for (const p of drbd) {
      const r = validate(p);
      expect(r.code, r.output).toBe(5);
      expect(r.reason).toMatch(
        new RegExp(`^DRBD resource ${p.params.drbd_resource ?? '?'} is not configured on this node`),
      );
    }
  });
});
