// The failover scenarios, run for each stack: anchor (LINBIT/resource-agents) and lxcha (ours).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseProcDrbd } from '../../lib/drbd/parse-84.js';
import { PAYLOAD, type Cluster, type ClusterState } from './cluster.js';
import { errorText, log, timed, waitFor } from './util.js';
import { SITES, type Site } from './sites.js';
import type { Vm } from './vm.js';

export type Stack = 'anchor' | 'lxcha';

const RESOURCES = SITES.map((s) => s.res);
const MINORS = SITES.map((s) => s.minor);
/**
 * How often the harness asks a node (crm_mon, /proc/drbd, lxc-attach through the guest agent): every
 * question costs the emulated node's one vCPU a few hundred ms, so a tighter poll slows the cluster it times.
 */
const POLL_MS = 3000;
const group = (site: Site): string => `g_${site.fs}`;
const members = (stack: Stack, site: Site): string[] => [
  ...(stack === 'anchor' ? [`p_vg_${site.fs}`] : []),
  `p_fs_${site.fs}`,
  ...site.containers.map((ct) => `p_${ct}`),
];
const promotable = (stack: Stack, site: Site): string =>
  stack === 'anchor' ? `p_drbd_${site.res}` : `p_drbdlvm_${site.res}`;
const cloneOf = (stack: Stack, site: Site): string =>
  stack === 'anchor' ? `ms_drbd_${site.res}` : `ms_drbdlvm_${site.res}`;

/** Where each site's stack runs, by DRBD resource name. */
type Placement = Record<string, string>;
const describePlacement = (p: Placement): string =>
  SITES.map((site) => `${site.res}->${p[site.res] ?? '?'}`).join(' ');
/** A placement with each site on the node `nodeOf` names. */
const placeEach = (nodeOf: (site: Site) => string): Placement =>
  Object.fromEntries(SITES.map((site) => [site.res, nodeOf(site)]));
const samePlacement = (p: Placement, q: Placement): boolean =>
  SITES.every((site) => p[site.res] === q[site.res]);

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

/** The node where a site's whole stack runs: promotable Promoted and every group member Started there. */
function siteNode(state: ClusterState, stack: Stack, site: Site): string | undefined {
  const promoted = state.resources.find((r) => r.id === promotable(stack, site) && r.role === 'Promoted');
  if (promoted?.node === undefined) return undefined;
  const all = members(stack, site).every((id) =>
    state.resources.some((r) => r.id === id && r.role === 'Started' && r.node === promoted.node && !r.failed),
  );
  return all ? promoted.node : undefined;
}

/** Where every site runs, or undefined while any site's stack is not fully running. */
function placement(state: ClusterState, stack: Stack): Placement | undefined {
  const p: Placement = {};
  for (const site of SITES) {
    const node = siteNode(state, stack, site);
    if (node === undefined) return undefined;
    p[site.res] = node;
  }
  return p;
}

/** Waits until every site's stack runs, where `want` says (default: anywhere). */
async function waitPlacement(
  cluster: Cluster,
  from: Vm,
  stack: Stack,
  limitMs: number,
  want?: Placement,
): Promise<Placement> {
  return waitFor(
    `${stack} stacks running${want === undefined ? '' : ` at ${describePlacement(want)}`} (seen from ${from.name})`,
    limitMs,
    async () => {
      const s = await cluster.state(from);
      const p = s === undefined ? undefined : placement(s, stack);
      if (p === undefined) return undefined;
      return want === undefined || samePlacement(p, want) ? p : undefined;
    },
    POLL_MS,
  );
}

async function crm(vm: Vm, args: string[]): Promise<string> {
  return vm.run(['crm', ...args], { timeoutS: 180 });
}

/** Highest acknowledged sequence number of the data writer in `ct` (read on the node running it). */
async function acked(vm: Vm, ct: string): Promise<number> {
  const out = await vm.run(['lxc-attach', '-n', ct, '--', 'cat', '/data/ack'], { timeoutS: 60 });
  const n = Number(out.trim());
  if (!Number.isInteger(n)) throw new Error(`${ct} /data/ack: ${JSON.stringify(out)}`);
  return n;
}

/** Every number 1..ack is in the writer's /data/seq: nothing acknowledged was lost. */
async function checkSeq(vm: Vm, ct: string, ack: number): Promise<string | undefined> {
  const out = await vm.run(['lxc-attach', '-n', ct, '--', 'cat', '/data/seq'], { timeoutS: 60 });
  const seen = new Set(
    out
      .split('\n')
      .filter((l) => l !== '')
      .map(Number),
  );
  for (let i = 1; i <= ack; i++) if (!seen.has(i)) return `${ct}: acknowledged ${i} missing (ack ${ack})`;
  return undefined;
}

/** Shutdown markers written by the containers' inittab ::shutdown: entries, per container of all sites. */
async function markers(cluster: Cluster, where: Placement): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const site of SITES) {
    const vm = cluster.vm(where[site.res] ?? '');
    for (const ct of site.containers) {
      const r = await vm.exec(['cat', `/${site.fs}/${ct}/shared/shutdown-marker`]);
      counts[ct] = r.code === 0 ? r.stdout.split('\n').filter((l) => l !== '').length : 0;
    }
  }
  return counts;
}

async function splitBrain(vm: Vm): Promise<boolean> {
  const r = await vm.exec(['journalctl', '_TRANSPORT=kernel', '--no-pager', '-g', 'Split-Brain detected']);
  return r.code === 0 && /Split-Brain detected/.test(r.stdout);
}

/** Every given DRBD minor Connected with both disks UpToDate, by the agents' own /proc/drbd parser. */
export function allSynced(procDrbd: string, minors: readonly number[]): boolean {
  const devices = parseProcDrbd(procDrbd).devices;
  return minors.every((minor) =>
    devices.some(
      (d) =>
        d.minor === minor &&
        d.connectionState === 'Connected' &&
        d.disk === 'UpToDate' &&
        d.peerDisk === 'UpToDate',
    ),
  );
}

/** Every resource Connected and UpToDate on both nodes: one read of /proc/drbd per node and poll. */
async function drbdSynced(cluster: Cluster, limitMs: number): Promise<void> {
  await waitFor(
    `${RESOURCES.join(', ')} Connected UpToDate/UpToDate on both nodes`,
    limitMs,
    async () => {
      for (const vm of cluster.vms) {
        const r = await vm.exec(['cat', '/proc/drbd']);
        if (r.code !== 0 || !allSynced(r.stdout, MINORS)) return undefined;
      }
      return true;
    },
    POLL_MS,
  );
}

interface FenceConstraint {
  id: string;
  rsc: string;
}

/** The DRBD fence-peer handlers' location constraints (the suite's and drbd-utils' ids say "fence"). */
function fenceConstraints(constraintsXml: string): FenceConstraint[] {
  const found: FenceConstraint[] = [];
  for (const tag of constraintsXml.match(/<rsc_location\b[^>]*>/g) ?? []) {
    const id = /\bid="([^"]*)"/.exec(tag)?.[1] ?? '';
    const rsc = /\brsc="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (id.includes('fence')) found.push({ id, rsc });
  }
  return found;
}

async function constraintsNow(vm: Vm): Promise<FenceConstraint[] | undefined> {
  const r = await vm.exec(['cibadmin', '-Q', '-o', 'constraints']);
  return r.code === 0 ? fenceConstraints(r.stdout) : undefined;
}

/** Before a scenario: both nodes online, every resource in sync, no fence-peer constraint, all stacks up. */
async function settle(cluster: Cluster, stack: Stack): Promise<Placement> {
  const [a] = cluster.vms as [Vm, Vm];
  await cluster.waitOnline(a, ['node1', 'node2'], 600_000);
  await drbdSynced(cluster, 600_000);
  await waitFor(
    'no fence-peer constraint left',
    300_000,
    async () => ((await constraintsNow(a))?.length === 0 ? true : undefined),
    POLL_MS,
  );
  return waitPlacement(cluster, a, stack, 600_000);
}

/** Data check around an event, per writer: acknowledged numbers all present after, writer moving on. */
const dataEvents: string[] = [];

async function acksAt(cluster: Cluster, where: Placement): Promise<Record<string, number>> {
  const acks: Record<string, number> = {};
  for (const site of SITES) acks[site.writer] = await acked(cluster.vm(where[site.res] ?? ''), site.writer);
  return acks;
}

async function dataAfter(
  cluster: Cluster,
  where: Placement,
  before: Record<string, number>,
  event: string,
): Promise<string> {
  const parts: string[] = [];
  for (const site of SITES) {
    const ct = site.writer;
    const vm = cluster.vm(where[site.res] ?? '');
    const was = before[ct] ?? 0;
    const lost = await checkSeq(vm, ct, was);
    if (lost !== undefined) {
      dataEvents.push(`${event} ${ct}: LOST ${lost}`);
      throw new Error(lost);
    }
    const after = await waitFor(
      `${ct} writer acknowledging new numbers`,
      120_000,
      async () => {
        const n = await acked(vm, ct);
        return n > was ? n : undefined;
      },
      POLL_MS,
    );
    dataEvents.push(`${event} ${ct}: ack ${was} kept, then ${after}`);
    parts.push(`${ct} ack ${was} kept, now ${after}`);
  }
  return parts.join(', ');
}

export async function startCluster(cluster: Cluster, results: Results): Promise<void> {
  const [a] = cluster.vms as [Vm, Vm];
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
      POLL_MS,
    );
  });
  results.timings.set('cluster-up', seconds);
  report(
    results,
    true,
    'cluster-up',
    `corosync+pacemaker on node1+node2 online, stonith:fence_lxcha started in ${seconds.toFixed(0)}s`,
  );
}

/**
 * Configures one stack (both sites), runs its scenarios, and removes it again when another stack follows
 * (the last one goes down with the VMs).
 */
async function runStack(
  cluster: Cluster,
  stack: Stack,
  results: Results,
  full: boolean,
  removeAfter: boolean,
): Promise<void> {
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
  const home = placeEach((site) => site.home);

  // Each stack with its own DRBD fence-peer handler: drbd-utils' for the anchor, the suite's for lxcha.
  const fencePeer = process.env.LXCHA_FENCE_PEER ?? (stack === 'anchor' ? 'linbit' : 'suite');
  if (fencePeer === 'linbit' || fencePeer === 'suite') {
    for (const vm of cluster.vms) await cluster.ensurePayload(vm);
    for (const vm of cluster.vms)
      await vm.run(['/bin/sh', `${PAYLOAD}/cluster/set-fence-peer.sh`, fencePeer]);
  }

  const started = await step('start', async () => {
    const { seconds } = await timed(async () => {
      await crm(a, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-${stack}.crm`]);
      return waitPlacement(cluster, a, stack, 600_000, home);
    });
    results.timings.set(`${stack}:start`, seconds);
    return `both stacks running, each on its home node (${describePlacement(home)}) in ${seconds.toFixed(0)}s (DRBD fence-peer handler: ${fencePeer})`;
  });
  if (!started) return;

  await step('data-on-lv', async () => {
    const where = await waitPlacement(cluster, a, stack, 60_000);
    const parts: string[] = [];
    for (const site of SITES) {
      const vm = cluster.vm(where[site.res] ?? '');
      const ct = site.writer;
      const n = await waitFor(`${ct} writer acknowledging`, 120_000, async () => {
        const v = await acked(vm, ct);
        return v > 0 ? v : undefined;
      });
      // The file's device inside the container must be the writer's LV (on DRBD) on that node.
      const fileDev = Number(
        (await vm.run(['lxc-attach', '-n', ct, '--', 'stat', '-c', '%d', '/data/seq'])).trim(),
      );
      const [major = '', minor = ''] = (await vm.run(['stat', '-L', '-c', '%t %T', `/dev/${site.vg}/${ct}`]))
        .trim()
        .split(' ');
      const lvDev = parseInt(major, 16) * 256 + parseInt(minor, 16);
      if (fileDev !== lvDev)
        throw new Error(`${ct} /data/seq is on device ${fileDev}, not on ${site.vg}/${ct} (${lvDev})`);
      const pv = (await vm.run(['pvs', '--noheadings', '-o', 'pv_name', '-S', `vg_name=${site.vg}`])).trim();
      if (pv !== `/dev/drbd${site.minor}`) throw new Error(`${site.vg}'s PV is ${pv}, not DRBD ${site.res}`);
      parts.push(
        `${ct} writer at ${n}, /data/seq on LV ${site.vg}/${ct} (device ${lvDev}) whose PV is ${pv} (${vm.name})`,
      );
    }
    return parts.join('; ');
  });

  await step('switchover', async () => {
    const from = await settle(cluster, stack);
    // Every site moves to the other node at once: with both at home, the two stacks trade places.
    const to = placeEach((site) => cluster.other(from[site.res] ?? '').name);
    const before = await acksAt(cluster, from);
    const marks = await markers(cluster, from);
    const { seconds } = await timed(async () => {
      for (const site of SITES) await crm(a, ['resource', 'move', group(site), to[site.res] ?? '']);
      await waitPlacement(cluster, a, stack, 600_000, to);
    });
    for (const site of SITES) await crm(a, ['resource', 'clear', group(site)]);
    results.timings.set(`${stack}:switchover`, seconds);
    const after = await markers(cluster, to);
    const cts = SITES.flatMap((site) => site.containers);
    const orderly = cts.every((ct) => (after[ct] ?? 0) > (marks[ct] ?? 0));
    const change = cts.map((ct) => `${ct} ${marks[ct] ?? 0}->${after[ct] ?? 0}`).join(', ');
    const data = await dataAfter(cluster, to, before, 'switchover');
    report(
      results,
      orderly,
      `${stack}:graceful-stop`,
      orderly
        ? `::shutdown: markers written on stop by every container (${change})`
        : `a container stopped without its orderly shutdown (${change})`,
    );
    return `${describePlacement(from)} => ${describePlacement(to)} in ${seconds.toFixed(1)}s; data: ${data}`;
  });

  if (full)
    await step('container-crash', async () => {
      const where = await settle(cluster, stack);
      const node = where[SITES[0]?.res ?? ''] ?? '';
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
            return s !== undefined && placement(s, stack) !== undefined ? true : undefined;
          },
          POLL_MS,
        );
      });
      results.timings.set(`${stack}:container-crash`, seconds);
      await crm(a, ['resource', 'cleanup', 'p_ct2']);
      return `ct2 init (pid ${pid}) killed on ${node}, recovered by the cluster in ${seconds.toFixed(1)}s`;
    });

  if (full)
    await step('link-cut', async () => {
      const where = await settle(cluster, stack);
      const before = await acksAt(cluster, where);
      await Promise.all(cluster.vms.map((v) => v.setLink('repl', false)));
      let placed: FenceConstraint[] = [];
      try {
        // Every resource's Primary loses its peer: each handler keeps the other node from promotion.
        placed = await waitFor(
          `a fence-peer constraint for each of ${SITES.map((site) => cloneOf(stack, site)).join(', ')}`,
          180_000,
          async () => {
            const found = (await constraintsNow(a)) ?? [];
            return SITES.every((site) => found.some((c) => c.rsc === cloneOf(stack, site)))
              ? found
              : undefined;
          },
          POLL_MS,
        );
        const s = await cluster.state(a);
        const now = s === undefined ? undefined : placement(s, stack);
        if (now === undefined || !samePlacement(now, where))
          throw new Error(
            `a stack moved or stopped during the link cut: ${now === undefined ? 'not all running' : describePlacement(now)}`,
          );
        for (const site of SITES) {
          const elsewhere = s?.resources.find(
            (r) => r.id === promotable(stack, site) && r.role === 'Promoted' && r.node !== where[site.res],
          );
          if (elsewhere !== undefined)
            throw new Error(`the cut-off ${elsewhere.node ?? '?'} was promoted for ${site.res}`);
        }
        const disks: string[] = [];
        for (const site of SITES) {
          const peer = cluster.other(where[site.res] ?? '');
          disks.push(
            `${site.res} on ${peer.name} ${(await peer.exec(['drbdadm', 'dstate', site.res])).stdout.trim()}`,
          );
        }
        log(`link-cut: constraints ${placed.map((c) => c.id).join(', ')}; peers' disks: ${disks.join(', ')}`);
      } finally {
        await Promise.all(cluster.vms.map((v) => v.setLink('repl', true).catch(() => undefined)));
      }
      const { seconds } = await timed(() => drbdSynced(cluster, 300_000));
      await waitFor(
        'fence-peer constraints removed after resync',
        180_000,
        async () => {
          const left = await constraintsNow(a);
          return left !== undefined && !left.some((c) => placed.some((p) => p.id === c.id))
            ? true
            : undefined;
        },
        POLL_MS,
      );
      for (const v of cluster.vms) if (await splitBrain(v)) throw new Error(`split brain on ${v.name}`);
      const data = await dataAfter(cluster, where, before, 'link-cut');
      return `replication link cut with both resources Primary (${describePlacement(where)}): constraints ${placed.map((c) => c.id).join(', ')} kept each peer from promotion, no stack moved; reconnected and resynced in ${seconds.toFixed(0)}s, constraints lifted, no split brain; data: ${data}`;
    });

  await step('node-crash', async () => {
    const where = await settle(cluster, stack);
    const node = where[SITES[0]?.res ?? ''] ?? '';
    const victim = cluster.vm(node);
    const survivor = cluster.other(node);
    const before = await acksAt(cluster, where);
    const fencesBefore = cluster.fences.length;
    const all = placeEach(() => survivor.name);
    const { seconds } = await timed(async () => {
      await victim.crash();
      await waitPlacement(cluster, survivor, stack, 900_000, all);
    });
    results.timings.set(`${stack}:node-crash`, seconds);
    const fence = cluster.fences.slice(fencesBefore).find((f) => f.target === node && f.outcome === 'ok');
    if (fence === undefined)
      throw new Error(`the stacks moved to ${survivor.name} but ${node} was not fenced`);
    const data = await dataAfter(cluster, all, before, 'node-crash');
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
    return `${node} killed (${describePlacement(where)}); ${survivor.name} fenced it (${fence.action}) and ran both stacks in ${seconds.toFixed(1)}s; data: ${data}; ${node} rejoined, ${RESOURCES.join(' and ')} resynced in ${rejoin.toFixed(0)}s, no split brain`;
  });

  await step('data', () => {
    const lost = dataEvents.filter((e) => e.includes('LOST'));
    const expected = (full ? 3 : 2) * SITES.length;
    if (dataEvents.length < expected || lost.length > 0) {
      const why =
        lost.length > 0
          ? 'acknowledged numbers lost'
          : `only ${dataEvents.length} of ${expected} data checks completed`;
      throw new Error(`${why}: ${dataEvents.join('; ') || 'none'}`);
    }
    return Promise.resolve(
      `no acknowledged number lost in ${dataEvents.length} checks (${dataEvents.join('; ')})`,
    );
  });
  dataEvents.length = 0;

  if (removeAfter)
    await step('remove', async () => {
      const vm = live();
      for (const site of SITES) await crm(vm, ['resource', 'stop', group(site)]);
      for (const site of SITES) await crm(vm, ['resource', 'stop', cloneOf(stack, site)]);
      const ids = SITES.flatMap((site) => [...members(stack, site), promotable(stack, site)]);
      await waitFor(
        `${stack} stacks stopped`,
        600_000,
        async () => {
          const s = await cluster.state(vm);
          return s !== undefined &&
            s.resources.filter((r) => ids.includes(r.id)).every((r) => r.role === 'Stopped')
            ? true
            : undefined;
        },
        POLL_MS,
      );
      // Members too: deleting a group alone would leave its primitives behind, and they would start.
      const all = [...SITES.flatMap((site) => [group(site), cloneOf(stack, site)]), ...ids];
      await crm(vm, ['configure', 'delete', '--force', ...all]);
      const left = await vm.run(['cibadmin', '-Q', '-o', 'resources']);
      const stale = all.filter((id) => left.includes(`id="${id}"`));
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
  const order = (['lxcha', 'anchor'] as const).filter((s) => stacks.includes(s) && (s !== 'lxcha' || lxcha));
  for (const [i, stack] of order.entries()) {
    try {
      await runStack(cluster, stack, results, stack === 'lxcha' || anchorFull, i < order.length - 1);
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
