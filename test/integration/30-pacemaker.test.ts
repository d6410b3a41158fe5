// ocf:lxcha:lxc under a real one-node Pacemaker: started, recovered after a kill, stopped in order.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  destroyAllTestContainers,
  initPid,
  requireRootAndLxc,
  state,
  type TestContainer,
} from '../helpers/containers.js';
import { crm, prepareCluster, removeResource, resourceStatus, waitForCrmMon } from '../helpers/cluster.js';
import { lxcPrimitiveArgs } from '../../tools/lib/local-cluster.js';
import { repoRoot } from '../helpers/paths.js';

const RSC = 'lxcha-test-ct';
let ct: TestContainer;

beforeAll(async () => {
  requireRootAndLxc();
  await prepareCluster();
  removeResource(RSC);
  destroyAllTestContainers();
  ct = createContainer('pcmk');
}, 300_000);

afterAll(() => {
  removeResource(RSC);
  destroyAllTestContainers();
});

const started = (xml: string) => {
  const s = resourceStatus(xml, RSC);
  return s !== undefined && s.active && s.role === 'Started' && !s.failed;
};

describe('the installed agent, as the cluster tools see it', () => {
  it('crm ra info and pcs resource describe read its metadata', () => {
    expect(crm('ra', 'info', 'ocf:lxcha:lxc')).toMatch(/Manages an LXC container \(ocf:lxcha:lxc\)/);
    const pcs = spawnSync('pcs', ['resource', 'describe', 'ocf:lxcha:lxc'], { encoding: 'utf8' });
    expect(pcs.status, pcs.stderr).toBe(0);
    expect(pcs.stdout).toMatch(/memory_limit/);
  });

  /** crm_resource --validate runs the agent's validate-all with these parameters. */
  const validate = (...options: string[]) =>
    spawnSync(
      'crm_resource',
      [
        '--validate',
        '--class',
        'ocf',
        '--provider',
        'lxcha',
        '--agent',
        'lxc',
        ...options.flatMap((o) => ['--option', o]),
      ],
      { encoding: 'utf8' },
    );

  it('crm_resource --validate runs validate-all: 0 for good parameters, the exit reason for bad ones', () => {
    const ok = validate(`container=${ct.name}`, `lxcpath=${ct.lxcpath}`);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const bad = validate(`container=${ct.name}`, 'memory_limit=lots');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/memory_limit="lots": not a size/);
  });
});

describe("cluster/wait-cluster.sh (Vagrant's node2 loads the configuration only after it)", () => {
  const waitCluster = (nodes: string[], seconds: string) =>
    spawnSync('sh', [path.join(repoRoot, 'cluster/wait-cluster.sh'), ...nodes], {
      encoding: 'utf8',
      env: { ...process.env, LXCHA_CLUSTER_WAIT: seconds },
      timeout: 120_000,
    });
  it('answers 0 once every named node is a member, with quorum and a DC (this one-node cluster)', () => {
    const r = waitCluster(['node1'], '60');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node1 members, quorate, DC elected/);
  });
  it('answers 1 after its wait, naming the node that never joined', () => {
    const r = waitCluster(['node1', 'node2'], '6');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/still missing: node2, quorum=1/);
  });
});

describe('a primitive ocf:lxcha:lxc in a real cluster', () => {
  it('starts the container', async () => {
    crm(
      ...lxcPrimitiveArgs(
        RSC,
        { container: ct.name, lxcpath: ct.lxcpath, memory_limit: '96M' },
        { 'migration-threshold': '3' },
      ),
    );
    await waitForCrmMon(started, 120_000);
    expect(state(ct)).toBe('RUNNING');
  });

  it('recovers it after its init is killed behind the cluster', async () => {
    const pid = initPid(ct);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    await waitForCrmMon((xml) => started(xml) && initPid(ct) !== undefined && initPid(ct) !== pid, 120_000);
    const fails = spawnSync('crm_failcount', ['--query', '--resource', RSC], { encoding: 'utf8' });
    expect(fails.stdout).toMatch(/value=[1-9]/);
    expect(state(ct)).toBe('RUNNING');
  });

  it('stops it in order on crm resource stop', async () => {
    rmSync(ct.shutdownMarker, { force: true });
    crm('resource', 'stop', RSC);
    await waitForCrmMon((xml) => {
      const s = resourceStatus(xml, RSC);
      return s !== undefined && !s.active;
    }, 120_000);
    expect(state(ct)).toBe('STOPPED');
    expect(existsSync(ct.shutdownMarker)).toBe(true);
  });
});
