// The cluster scenarios' shared helpers (test/cluster/scenarios/): the questions the harness asks the nodes
// (crm, /proc/drbd, the CIB's constraints, the writers' numbers, the kernel log) and where the sites run.
import { parseProcDrbd } from '../../lib/drbd/parse-84.js';
import type { Cluster, ClusterState } from './cluster.js';
import { SITES, type Site, type Stack } from './sites.js';
import { waitFor } from './util.js';
import type { Vm } from './vm.js';

/**
 * How often the harness asks a node (crm_mon, /proc/drbd, lxc-attach through the guest agent): every
 * question costs the emulated node's one vCPU a few hundred ms, so a tighter poll slows the cluster it times.
 */
export const POLL_MS = 3000;

/** The sites' DRBD resources and minors, in the order of SITES. */
export const RESOURCES = SITES.map((s) => s.res);
const MINORS = SITES.map((s) => s.minor);

/** Where each site's stack runs, by DRBD resource name. */
export type Placement = Record<string, string>;
export const describePlacement = (p: Placement): string =>
  SITES.map((site) => `${site.res}->${p[site.res] ?? '?'}`).join(' ');
/** A placement with each site on the node `nodeOf` names. */
export const placeEach = (nodeOf: (site: Site) => string): Placement =>
  Object.fromEntries(SITES.map((site) => [site.res, nodeOf(site)]));
export const samePlacement = (p: Placement, q: Placement): boolean =>
  SITES.every((site) => p[site.res] === q[site.res]);

/** The node where a site's whole stack runs: promotable Promoted and every group member Started there. */
function siteNode(state: ClusterState, stack: Stack, site: Site): string | undefined {
  const ids = site.resources[stack];
  const promoted = state.resources.find((r) => r.id === ids.promotable && r.role === 'Promoted');
  if (promoted?.node === undefined) return undefined;
  const all = ids.members.every((id) =>
    state.resources.some((r) => r.id === id && r.role === 'Started' && r.node === promoted.node && !r.failed),
  );
  return all ? promoted.node : undefined;
}

/** What keeps a stack from counting as running: each member not Started beside its Promoted clone, or failed. */
export function notRunning(state: ClusterState, stack: Stack): string {
  const parts: string[] = [];
  for (const site of SITES) {
    const ids = site.resources[stack];
    const promoted = state.resources.find((r) => r.id === ids.promotable && r.role === 'Promoted');
    if (promoted?.node === undefined) parts.push(`${ids.promotable} not Promoted`);
    for (const id of ids.members) {
      const r = state.resources.find((x) => x.id === id);
      if (r === undefined) parts.push(`${id} absent`);
      else if (r.role !== 'Started' || r.node !== promoted?.node || r.failed)
        parts.push(`${id} ${r.role} on ${r.node ?? 'no node'}${r.failed ? ' (failed)' : ''}`);
    }
  }
  return parts.join(', ') || 'nothing';
}

/** Where every site runs, or undefined while any site's stack is not fully running. */
export function placement(state: ClusterState, stack: Stack): Placement | undefined {
  const p: Placement = {};
  for (const site of SITES) {
    const node = siteNode(state, stack, site);
    if (node === undefined) return undefined;
    p[site.res] = node;
  }
  return p;
}

export async function crm(vm: Vm, args: string[]): Promise<string> {
  return vm.run(['crm', ...args], { timeoutS: 180 });
}

/** One acknowledged write of a data writer (cluster/seqwriter): its number and the writer's run id. */
export interface Ack {
  readonly n: number;
  readonly run: string;
}

/** A seqwriter line, `NUMBER RUN`; undefined for anything else. */
export function parseAck(line: string): Ack | undefined {
  const m = /^(\d+) ([0-9a-f]{8})$/.exec(line.trim());
  return m === null ? undefined : { n: Number(m[1]), run: m[2] ?? '' };
}

/** The data writer's last acknowledged write in `ct` (read on the node running it). */
export async function ackOf(vm: Vm, ct: string): Promise<Ack> {
  const out = await vm.run(['lxc-attach', '-n', ct, '--', 'cat', '/data/ack'], { timeoutS: 60 });
  const ack = parseAck(out);
  if (ack === undefined) throw new Error(`${ct} /data/ack: ${JSON.stringify(out)}`);
  return ack;
}

/** Highest acknowledged sequence number of the data writer in `ct`. */
export async function acked(vm: Vm, ct: string): Promise<number> {
  return (await ackOf(vm, ct)).n;
}

/**
 * What /data/seq lacks of an acknowledged write: every number 1..n present, and the acknowledged line
 * itself, run id included (a writer started later writes the numbers after the last one it finds again, so
 * the number alone would be found even where the acknowledged write was lost). Undefined: nothing lost.
 */
export function seqLoss(seq: string, ct: string, ack: Ack): string | undefined {
  const lines = seq.split('\n').filter((l) => l !== '');
  const numbers = new Set(lines.map((l) => parseAck(l)?.n));
  for (let i = 1; i <= ack.n; i++)
    if (!numbers.has(i)) return `${ct}: acknowledged ${i} missing (ack ${ack.n})`;
  if (ack.n > 0 && !lines.some((l) => l.trim() === `${ack.n} ${ack.run}`)) {
    const other = lines.filter((l) => parseAck(l)?.n === ack.n).map((l) => parseAck(l)?.run);
    return `${ct}: acknowledged write ${ack.n} of writer run ${ack.run} missing (${ack.n} is there from run ${other.join(', ') || '?'}: written again after the loss)`;
  }
  return undefined;
}

/** Every acknowledged write up to `ack` is in the writer's /data/seq: nothing acknowledged was lost. */
export async function checkSeq(vm: Vm, ct: string, ack: Ack): Promise<string | undefined> {
  const out = await vm.run(['lxc-attach', '-n', ct, '--', 'cat', '/data/seq'], { timeoutS: 60 });
  return seqLoss(out, ct, ack);
}

/** Each site's writer's acknowledged number, read where `where` says the site runs. */
export async function acksAt(cluster: Cluster, where: Placement): Promise<Record<string, Ack>> {
  const acks: Record<string, Ack> = {};
  for (const site of SITES) acks[site.writer] = await ackOf(cluster.vm(where[site.res] ?? ''), site.writer);
  return acks;
}

/** Shutdown markers written by the containers' inittab ::shutdown: entries, per container of all sites. */
export async function markers(cluster: Cluster, where: Placement): Promise<Record<string, number>> {
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

export async function splitBrain(vm: Vm): Promise<boolean> {
  const r = await vm.exec(['journalctl', '_TRANSPORT=kernel', '--no-pager', '-g', 'Split-Brain detected']);
  return r.code === 0 && /Split-Brain detected/.test(r.stdout);
}

/** Throws when either node's kernel log says DRBD detected a split brain. */
export async function noSplitBrain(cluster: Cluster): Promise<void> {
  for (const v of cluster.vms) if (await splitBrain(v)) throw new Error(`split brain on ${v.name}`);
}

/** A fenced node booting again: its guest agent answers, it is a member again, every resource resyncs. */
export async function rejoinAndResync(cluster: Cluster, node: Vm, survivor: Vm): Promise<void> {
  await node.waitAgent(300_000);
  await cluster.ensurePayload(node);
  await cluster.waitOnline(survivor, ['node1', 'node2'], 600_000);
  await drbdSynced(cluster, 600_000);
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
export async function drbdSynced(cluster: Cluster, limitMs: number): Promise<void> {
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

export interface FenceConstraint {
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

/** The fence-peer constraints in the CIB now, or undefined when `vm` cannot answer. */
export async function constraintsNow(vm: Vm): Promise<FenceConstraint[] | undefined> {
  const r = await vm.exec(['cibadmin', '-Q', '-o', 'constraints']);
  return r.code === 0 ? fenceConstraints(r.stdout) : undefined;
}
