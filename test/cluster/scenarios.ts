// The failover scenarios, run for each stack: anchor (LINBIT/resource-agents) and lxcha (ours).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PAYLOAD, type Cluster, type ClusterState } from './cluster.js';
import { errorText, log, timed, waitFor } from './util.js';
import type { Vm } from './vm.js';

export type Stack = 'anchor' | 'lxcha';

const GROUP = 'g_lxc1';
const CONTAINERS = ['ct1', 'ct2'];
const MEMBERS: Record<Stack, string[]> = {
  anchor: ['p_vg_lxc1', 'p_fs_lxc1', 'p_ct1', 'p_ct2'],
  lxcha: ['p_fs_lxc1', 'p_ct1', 'p_ct2'],
};
const PROMOTABLE: Record<Stack, string> = { anchor: 'p_drbd_r0', lxcha: 'p_drbdlvm_r0' };

interface Results {
  passed: number;
  failed: number;
  timings: Map<string, number>;
}

function report(results: Results, ok: boolean, name: string, details: string): void {
  console.log(`${ok ? 'ok' : 'FAIL'} ${name} ${details}`);
  if (ok) results.passed += 1;
  else results.failed += 1;
}

/** The node where the whole stack runs: promotable Promoted and every group member Started there. */
function stackNode(state: ClusterState, stack: Stack): string | undefined {
  const promoted = state.resources.find((r) => r.id === PROMOTABLE[stack] && r.role === 'Promoted');
  if (promoted?.node === undefined) return undefined;
  const all = MEMBERS[stack].every((id) =>
    state.resources.some((r) => r.id === id && r.role === 'Started' && r.node === promoted.node && !r.failed),
  );
  return all ? promoted.node : undefined;
}

async function waitStack(
  cluster: Cluster,
  from: Vm,
  stack: Stack,
  limitMs: number,
  on?: string,
): Promise<string> {
  return waitFor(
    `${stack} stack running${on === undefined ? '' : ` on ${on}`} (seen from ${from.name})`,
    limitMs,
    async () => {
      const s = await cluster.state(from);
      if (s === undefined) return undefined;
      const node = stackNode(s, stack);
      return node !== undefined && (on === undefined || node === on) ? node : undefined;
    },
    1000,
  );
}

async function crm(vm: Vm, args: string[]): Promise<string> {
  return vm.run(['crm', ...args], { timeoutS: 180 });
}

/** Highest acknowledged sequence number of the data writer in ct1 (read on the node running it). */
async function acked(vm: Vm): Promise<number> {
  const out = await vm.run(['lxc-attach', '-n', 'ct1', '--', 'cat', '/data/ack'], { timeoutS: 60 });
  const n = Number(out.trim());
  if (!Number.isInteger(n)) throw new Error(`ct1 /data/ack: ${JSON.stringify(out)}`);
  return n;
}

/** Every number 1..ack is in ct1's /data/seq: nothing acknowledged was lost. */
async function checkSeq(vm: Vm, ack: number): Promise<string | undefined> {
  const out = await vm.run(['lxc-attach', '-n', 'ct1', '--', 'cat', '/data/seq'], { timeoutS: 60 });
  const seen = new Set(
    out
      .split('\n')
      .filter((l) => l !== '')
      .map(Number),
  );
  for (let i = 1; i <= ack; i++) if (!seen.has(i)) return `acknowledged ${i} missing (ack ${ack})`;
  return undefined;
}

async function markers(vm: Vm): Promise<number[]> {
  const counts: number[] = [];
  for (const ct of CONTAINERS) {
    const r = await vm.exec(['cat', `/lxc1/${ct}/shared/shutdown-marker`]);
    counts.push(r.code === 0 ? r.stdout.split('\n').filter((l) => l !== '').length : 0);
  }
  return counts;
}

async function splitBrain(vm: Vm): Promise<boolean> {
  const r = await vm.exec(['journalctl', '_TRANSPORT=kernel', '--no-pager', '-g', 'Split-Brain detected']);
  return r.code === 0 && /Split-Brain detected/.test(r.stdout);
}

async function drbdSynced(cluster: Cluster, limitMs: number): Promise<void> {
  await waitFor(
    'r0 Connected UpToDate/UpToDate on both nodes',
    limitMs,
    async () => {
      for (const vm of cluster.vms) {
        const c = await vm.exec(['drbdadm', 'cstate', 'r0']);
        const d = await vm.exec(['drbdadm', 'dstate', 'r0']);
        if (c.stdout.trim() !== 'Connected' || d.stdout.trim() !== 'UpToDate/UpToDate') return undefined;
      }
      return true;
    },
    2000,
  );
}

/** Before a scenario: both nodes online, r0 in sync, no fence-peer constraint left, the stack running. */
async function settle(cluster: Cluster, stack: Stack): Promise<string> {
  const [a] = cluster.vms as [Vm, Vm];
  await cluster.waitOnline(a, ['node1', 'node2'], 600_000);
  await drbdSynced(cluster, 600_000);
  await waitFor(
    'no fence-peer constraint left',
    300_000,
    async () => {
      const r = await a.exec(['cibadmin', '-Q', '-o', 'constraints']);
      return r.code === 0 && fenceConstraint(r.stdout) === undefined ? true : undefined;
    },
    2000,
  );
  return waitStack(cluster, a, stack, 600_000);
}

function fenceConstraint(constraintsXml: string): string | undefined {
  return /<rsc_location [^>]*id="([^"]*fence[^"]*)"/.exec(constraintsXml)?.[1];
}

/** Data check around an event: ack before, every acked number present after, writer moving on. */
const dataEvents: string[] = [];

async function dataAfter(cluster: Cluster, node: string, before: number, event: string): Promise<string> {
  const vm = cluster.vm(node);
  const lost = await checkSeq(vm, before);
  if (lost !== undefined) {
    dataEvents.push(`${event}: LOST ${lost}`);
    throw new Error(lost);
  }
  const after = await waitFor(
    'ct1 writer acknowledging new numbers',
    120_000,
    async () => {
      const n = await acked(vm);
      return n > before ? n : undefined;
    },
    1000,
  );
  dataEvents.push(`${event}: ack ${before} kept, then ${after}`);
  return `ack ${before} kept, now ${after}`;
}

export async function startCluster(cluster: Cluster, results: Results): Promise<void> {
  const [a, b] = cluster.vms as [Vm, Vm];
  const { seconds } = await timed(async () => {
    await Promise.all(
      cluster.vms.map((vm) => vm.run(['systemctl', 'start', 'corosync', 'pacemaker'], { timeoutS: 180 })),
    );
    await cluster.waitOnline(a, ['node1', 'node2'], 300_000);
    await crm(a, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-base.crm`]);
    await waitFor(
      'fence device st_lxcha started',
      180_000,
      async () => {
        const s = await cluster.state(a);
        return s?.resources.some((r) => r.id === 'st_lxcha' && r.role === 'Started') === true
          ? true
          : undefined;
      },
      2000,
    );
  });
  results.timings.set('cluster-up', seconds);
  report(
    results,
    true,
    'cluster-up',
    `corosync+pacemaker on node1+node2 online, stonith:fence_lxcha started in ${seconds.toFixed(0)}s`,
  );
  void b;
}

/** Configures one stack, runs its scenarios, and removes it again. */
async function runStack(cluster: Cluster, stack: Stack, results: Results, full: boolean): Promise<void> {
  const [a] = cluster.vms as [Vm, Vm];
  const live = (): Vm => cluster.vms.find((vm) => vm.running) ?? a;
  const step = async (name: string, body: () => Promise<string>): Promise<boolean> => {
    try {
      const details = await body();
      report(results, true, `${stack}:${name}`, details);
      return true;
    } catch (error) {
      report(results, false, `${stack}:${name}`, errorText(error));
      return false;
    }
  };

  // Each stack with its own DRBD fence-peer handler: drbd-utils' for the anchor, the suite's for lxcha.
  const fencePeer = process.env.LXCHA_FENCE_PEER ?? (stack === 'anchor' ? 'linbit' : 'suite');
  if (fencePeer === 'linbit' || fencePeer === 'suite') {
    for (const vm of cluster.vms) await cluster.ensurePayload(vm);
    for (const vm of cluster.vms)
      await vm.run(['/bin/sh', `${PAYLOAD}/cluster/set-fence-peer.sh`, fencePeer]);
  }

  const started = await step('start', async () => {
    const { value: node, seconds } = await timed(async () => {
      await crm(a, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-${stack}.crm`]);
      return waitStack(cluster, a, stack, 600_000);
    });
    results.timings.set(`${stack}:start`, seconds);
    return `stack running on ${node} in ${seconds.toFixed(0)}s (DRBD fence-peer handler: ${fencePeer})`;
  });
  if (!started) return;

  await step('data-on-lv', async () => {
    const node = await waitStack(cluster, a, stack, 60_000);
    const vm = cluster.vm(node);
    const n = await waitFor('ct1 writer acknowledging', 120_000, async () => {
      const v = await acked(vm);
      return v > 0 ? v : undefined;
    });
    // The file's device inside the container must be the LV vg_lxc1/ct1 (on /dev/drbd0) on the node.
    const fileDev = Number(
      (await vm.run(['lxc-attach', '-n', 'ct1', '--', 'stat', '-c', '%d', '/data/seq'])).trim(),
    );
    const [major = '', minor = ''] = (await vm.run(['stat', '-L', '-c', '%t %T', '/dev/vg_lxc1/ct1']))
      .trim()
      .split(' ');
    const lvDev = parseInt(major, 16) * 256 + parseInt(minor, 16);
    if (fileDev !== lvDev)
      throw new Error(`ct1 /data/seq is on device ${fileDev}, not on vg_lxc1/ct1 (${lvDev})`);
    const pv = (await vm.run(['pvs', '--noheadings', '-o', 'pv_name', '-S', 'vg_name=vg_lxc1'])).trim();
    return `ct1 writer at ${n}; /data/seq on LV vg_lxc1/ct1 (device ${lvDev}) whose PV is ${pv}`;
  });

  await step('switchover', async () => {
    const from = await settle(cluster, stack);
    const to = cluster.other(from).name;
    const before = await acked(cluster.vm(from));
    const marks = await markers(cluster.vm(from));
    const { seconds } = await timed(async () => {
      await crm(a, ['resource', 'move', GROUP, to]);
      await waitStack(cluster, a, stack, 600_000, to);
    });
    await crm(a, ['resource', 'clear', GROUP]);
    results.timings.set(`${stack}:switchover`, seconds);
    const after = await markers(cluster.vm(to));
    const orderly = after.every((n, i) => n > (marks[i] ?? 0));
    const data = await dataAfter(cluster, to, before, 'switchover');
    report(
      results,
      orderly,
      `${stack}:graceful-stop`,
      orderly
        ? `::shutdown: markers of ${CONTAINERS.join(',')} written on stop (${marks.join(',')} -> ${after.join(',')})`
        : `shutdown markers unchanged (${marks.join(',')} -> ${after.join(',')})`,
    );
    return `${from} -> ${to} in ${seconds.toFixed(1)}s; data: ${data}`;
  });

  if (full)
    await step('container-crash', async () => {
      const node = await settle(cluster, stack);
      const vm = cluster.vm(node);
      const pid = (await vm.run(['lxc-info', '-n', 'ct2', '-p', '-H'])).trim();
      const { seconds } = await timed(async () => {
        await vm.run(['kill', '-9', pid]);
        await waitFor(
          'ct2 running again with a new init',
          300_000,
          async () => {
            const r = await vm.exec(['lxc-info', '-n', 'ct2', '-p', '-H']);
            const now = r.stdout.trim();
            if (r.code !== 0 || now === '' || now === pid) return undefined;
            const s = await cluster.state(vm);
            return s !== undefined && stackNode(s, stack) !== undefined ? true : undefined;
          },
          2000,
        );
      });
      results.timings.set(`${stack}:container-crash`, seconds);
      await crm(a, ['resource', 'cleanup', 'p_ct2']);
      return `ct2 init (pid ${pid}) killed on ${node}, recovered by the cluster in ${seconds.toFixed(1)}s`;
    });

  if (full)
    await step('link-cut', async () => {
      const node = await settle(cluster, stack);
      const vm = cluster.vm(node);
      const peer = cluster.other(node);
      const before = await acked(vm);
      await Promise.all(cluster.vms.map((v) => v.setLink('repl', false)));
      let constraint = '';
      try {
        constraint = await waitFor(
          'fence-peer constraint in the CIB',
          180_000,
          async () => {
            const r = await vm.exec(['cibadmin', '-Q', '-o', 'constraints']);
            return fenceConstraint(r.stdout);
          },
          2000,
        );
        const peerDisk = (await peer.exec(['drbdadm', 'dstate', 'r0'])).stdout.trim();
        const s = await cluster.state(vm);
        if (s === undefined || stackNode(s, stack) !== node)
          throw new Error('stack moved or stopped during the link cut');
        const promotedElsewhere = s.resources.some(
          (r) => r.id === PROMOTABLE[stack] && r.role === 'Promoted' && r.node !== node,
        );
        if (promotedElsewhere) throw new Error('the cut-off peer was promoted');
        log(`link-cut: constraint ${constraint}, peer disk ${peerDisk}`);
      } finally {
        await Promise.all(cluster.vms.map((v) => v.setLink('repl', true).catch(() => undefined)));
      }
      const { seconds } = await timed(() => drbdSynced(cluster, 300_000));
      await waitFor(
        'fence-peer constraint removed after resync',
        180_000,
        async () => {
          const r = await vm.exec(['cibadmin', '-Q', '-o', 'constraints']);
          return r.stdout.includes(constraint) ? undefined : true;
        },
        2000,
      );
      for (const v of cluster.vms) if (await splitBrain(v)) throw new Error(`split brain on ${v.name}`);
      const data = await dataAfter(cluster, node, before, 'link-cut');
      return `replication link cut: constraint ${constraint} kept ${peer.name} from promotion, stack stayed on ${node}; reconnected and resynced in ${seconds.toFixed(0)}s, constraint lifted, no split brain; data: ${data}`;
    });

  await step('node-crash', async () => {
    const node = await settle(cluster, stack);
    const victim = cluster.vm(node);
    const survivor = cluster.other(node);
    const before = await acked(victim);
    const fencesBefore = cluster.fences.length;
    const { seconds } = await timed(async () => {
      await victim.crash();
      await waitStack(cluster, survivor, stack, 900_000, survivor.name);
    });
    results.timings.set(`${stack}:node-crash`, seconds);
    const fence = cluster.fences.slice(fencesBefore).find((f) => f.target === node && f.outcome === 'ok');
    if (fence === undefined) throw new Error(`stack moved to ${survivor.name} but ${node} was not fenced`);
    const data = await dataAfter(cluster, survivor.name, before, 'node-crash');
    // The fenced node was powered on again by the fence relay (reboot); it must rejoin and resync.
    const { seconds: rejoin } = await timed(async () => {
      await waitFor(
        `${node} restarted by the fence relay`,
        120_000,
        () => (victim.running ? true : undefined),
        1000,
      );
      await victim.waitAgent(300_000);
      await cluster.ensurePayload(victim);
      await cluster.waitOnline(survivor, ['node1', 'node2'], 600_000);
      await drbdSynced(cluster, 600_000);
    });
    for (const v of cluster.vms) if (await splitBrain(v)) throw new Error(`split brain on ${v.name}`);
    return `${node} killed; ${survivor.name} fenced it (${fence.action}) and ran the stack in ${seconds.toFixed(1)}s; data: ${data}; ${node} rejoined and resynced in ${rejoin.toFixed(0)}s, no split brain`;
  });

  await step('data', () => {
    const lost = dataEvents.filter((e) => e.includes('LOST'));
    if (dataEvents.length < (full ? 3 : 2) || lost.length > 0) {
      const expected = full ? 3 : 2;
      const why =
        lost.length > 0
          ? 'acknowledged numbers lost'
          : `only ${dataEvents.length} of ${expected} events completed their data check`;
      throw new Error(`${why}: ${dataEvents.join('; ') || 'none'}`);
    }
    return Promise.resolve(
      `no acknowledged number lost across ${dataEvents.length} events (${dataEvents.join('; ')})`,
    );
  });
  dataEvents.length = 0;

  await step('remove', async () => {
    const vm = live();
    await crm(vm, ['resource', 'stop', GROUP]);
    await crm(vm, ['resource', 'stop', stack === 'anchor' ? 'ms_drbd_r0' : 'ms_drbdlvm_r0']);
    await waitFor(
      `${stack} stack stopped`,
      600_000,
      async () => {
        const s = await cluster.state(vm);
        const ids = [...MEMBERS[stack], PROMOTABLE[stack]];
        return s !== undefined &&
          s.resources.filter((r) => ids.includes(r.id)).every((r) => r.role === 'Stopped')
          ? true
          : undefined;
      },
      2000,
    );
    // Members too: deleting a group alone would leave its primitives behind, and they would start.
    const ids = [
      GROUP,
      ...MEMBERS[stack],
      stack === 'anchor' ? 'ms_drbd_r0' : 'ms_drbdlvm_r0',
      PROMOTABLE[stack],
    ];
    await crm(vm, ['configure', 'delete', '--force', ...ids]);
    const left = await vm.run(['cibadmin', '-Q', '-o', 'resources']);
    const stale = ids.filter((id) => left.includes(`id="${id}"`));
    if (stale.length > 0) throw new Error(`still in the CIB after delete: ${stale.join(', ')}`);
    return 'stopped and deleted';
  });
}

/** ocf-tester on ocf:lxcha:drbd-lvm on node1, with r0 outside the cluster's control (peer up as Secondary). */
async function ocfTester(cluster: Cluster, results: Results): Promise<void> {
  const [a, b] = cluster.vms as [Vm, Vm];
  try {
    await b.run(['drbdadm', 'up', 'r0'], { timeoutS: 120 });
    // The agent's stop takes r0 down on node1; node2 stays Secondary, so DRBD calls no fence-peer handler.
    const { value: r, seconds } = await timed(() =>
      a.exec(
        [
          'ocf-tester',
          '-n',
          'test_drbdlvm',
          '-o',
          'drbd_resource=r0',
          '-o',
          'vgname=vg_lxc1',
          '/usr/lib/ocf/resource.d/lxcha/drbd-lvm',
        ],
        { timeoutS: 900 },
      ),
    );
    const lines = (r.stdout + r.stderr).trim().split('\n');
    log(`ocf-tester output:\n${lines.join('\n')}`);
    report(
      results,
      r.code === 0,
      'lxcha:ocf-tester-drbd-lvm',
      `exit ${r.code} in ${seconds.toFixed(0)}s on node1: ${lines.slice(-1)[0] ?? ''}`,
    );
  } catch (error) {
    report(results, false, 'lxcha:ocf-tester-drbd-lvm', errorText(error));
  } finally {
    await a.exec(['drbdadm', 'down', 'r0']).catch(() => undefined);
    await b.exec(['drbdadm', 'down', 'r0']).catch(() => undefined);
  }
}

export async function runScenarios(cluster: Cluster, stacks: Stack[]): Promise<Results> {
  const results: Results = { passed: 0, failed: 0, timings: new Map() };
  const unbuilt = ['dist/lxcha/drbd-lvm', 'dist/lxcha/lxc'].filter(
    (f) => !existsSync(path.join(cluster.repo, f)),
  );
  const lxcha = stacks.includes('lxcha') && unbuilt.length === 0;
  if (stacks.includes('lxcha') && !lxcha)
    report(results, false, 'lxcha:stack', `not built yet: ${unbuilt.join(', ')} (npm run build)`);
  // ocf-tester drives DRBD by hand: it runs before Pacemaker starts, so the cluster never sees it.
  if (lxcha) await ocfTester(cluster, results);
  try {
    await startCluster(cluster, results);
  } catch (error) {
    report(results, false, 'cluster-up', errorText(error));
    return results;
  }
  // Within the time budget the anchor stack, when only run for comparison, gets switchover and node-crash.
  const anchorFull = !lxcha || process.env.LXCHA_CLUSTER_FULL === '1';
  // Ours first: if a run is cut short, the results that matter most exist.
  for (const stack of (['lxcha', 'anchor'] as const).filter((s) => stacks.includes(s))) {
    if (stack === 'lxcha' && !lxcha) continue;
    try {
      await runStack(cluster, stack, results, stack === 'lxcha' || anchorFull);
    } catch (error) {
      report(results, false, `${stack}:setup`, errorText(error));
    }
  }
  for (const name of ['start', 'switchover', 'node-crash']) {
    const anchor = results.timings.get(`anchor:${name}`);
    const ours = results.timings.get(`lxcha:${name}`);
    if (anchor !== undefined && ours !== undefined) {
      console.log(
        `timing ${name}: anchor ${anchor.toFixed(1)}s, lxcha ${ours.toFixed(1)}s, ratio lxcha/anchor ${(ours / anchor).toFixed(2)}`,
      );
    }
  }
  return results;
}
