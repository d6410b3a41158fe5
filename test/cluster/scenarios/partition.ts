// partition: both links (cluster and replication) cut at once while each node is Primary of one resource
// and both writers run. The fence device delays fencing node1 (cib-fence-lxcha.crm, pcmk_delay_base), so node1
// wins the fence race: it fences node2 and runs every stack. The check cannot trust the loser's disk: the
// harness reads each writer's acknowledged number through the guest agent (outside both cut links and
// outside the replicated disk) every poll until the node is fenced, and the survivor must hold every number
// it saw. Two Primaries of one resource are watched for the whole time. The fenced node rejoins and
// resyncs without split brain.
import type { Scenario, StackContext } from '../context.js';
import {
  ackOf,
  crm,
  describePlacement,
  noSplitBrain,
  placeEach,
  rejoinAndResync,
  RESOURCES,
  type Ack,
  type Placement,
} from '../helpers.js';
import { parseProcDrbd } from '../../../lib/drbd/parse-84.js';
import { SITES } from '../sites.js';
import { delay, log, timed, waitFor } from '../util.js';
import type { Vm } from '../vm.js';

/** The node the fence device's delay lets win a fence race (cluster/cib-fence-lxcha.crm). */
export const SURVIVOR = 'node1';
/** How often the harness reads the acknowledged numbers and DRBD roles during the partition. */
const WATCH_MS = 1000;

interface Watch {
  /** Highest acknowledged write seen per writer. */
  acks: Record<string, Ack>;
  /** Acknowledged numbers seen per writer after the cut. */
  afterCut: Record<string, number>;
  /** Per `res@node`, the first and the last time it was seen Primary after the cut. */
  primary: Map<string, { first: number; last: number }>;
  stop: boolean;
}

/**
 * Two Primaries of one resource, from the watchers' sightings: the loser seen Primary after the survivor
 * was, or the survivor Primary of a resource the loser held before the loser was fenced.
 */
function overlaps(watch: Watch, where: Placement, loser: string, fencedAt: number): string[] {
  const found: string[] = [];
  for (const res of RESOURCES) {
    const ours = watch.primary.get(`${res}@${SURVIVOR}`);
    const theirs = watch.primary.get(`${res}@${loser}`);
    if (ours === undefined) continue;
    if (theirs !== undefined && theirs.last >= ours.first)
      found.push(`${res} Primary on ${loser} ${theirs.last - ours.first} ms after ${SURVIVOR} was`);
    if (where[res] === loser && ours.first < fencedAt)
      found.push(`${res} Primary on ${SURVIVOR} ${fencedAt - ours.first} ms before ${loser} was fenced`);
  }
  return found;
}

/** Each node Primary of one resource: when one node runs both, the second site moves to the other node. */
async function splitPlacement(ctx: StackContext, where: Placement): Promise<Placement> {
  const nodes = new Set(Object.values(where));
  if (nodes.size === SITES.length) return where;
  const site = SITES[1];
  if (site === undefined) throw new Error('partition needs two sites');
  const to = ctx.cluster.other(where[site.res] ?? '').name;
  await crm(ctx.first, ['resource', 'move', ctx.ids(site).group, to]);
  const want = { ...where, [site.res]: to };
  try {
    await ctx.waitPlacement(ctx.first, 600_000, want);
  } finally {
    await crm(ctx.first, ['resource', 'clear', ctx.ids(site).group]);
  }
  return want;
}

/** Reads one node's writer and DRBD roles every WATCH_MS until it is fenced or `watch.stop`. */
async function watchNode(
  vm: Vm,
  writer: string,
  watch: Watch,
  cutAt: () => number | undefined,
): Promise<void> {
  while (!watch.stop && vm.running) {
    const started = Date.now();
    try {
      const ack = await ackOf(vm, writer);
      const was = watch.acks[writer];
      if (was === undefined || ack.n > was.n) {
        const cut = cutAt();
        if (cut !== undefined && was !== undefined && started > cut)
          watch.afterCut[writer] = (watch.afterCut[writer] ?? 0) + (ack.n - was.n);
        watch.acks[writer] = ack;
      }
    } catch {
      // A node being fenced, or a frozen container that does not answer in time: the next read tells.
    }
    try {
      const r = await vm.exec(['cat', '/proc/drbd'], { timeoutS: 10 });
      const cut = cutAt();
      if (r.code === 0 && cut !== undefined) {
        const seenAt = Date.now();
        for (const d of parseProcDrbd(r.stdout).devices) {
          const res = SITES.find((s) => s.minor === d.minor)?.res;
          if (res === undefined || d.role !== 'Primary') continue;
          const key = `${res}@${vm.name}`;
          const seen = watch.primary.get(key);
          watch.primary.set(key, { first: seen?.first ?? seenAt, last: seenAt });
        }
      }
    } catch {
      // as above
    }
    await delay(Math.max(0, WATCH_MS - (Date.now() - started)));
  }
}

export const scenario: Scenario = {
  name: 'partition',
  // The anchor stack runs it too with LXCHA_CLUSTER_FULL=1 or --stack=anchor: within the default run's
  // time budget only ours does (docs/cluster.md).
  stacks: ['lxcha'],
  checksData: true,
  async run(ctx) {
    const { cluster } = ctx;
    const where = await splitPlacement(ctx, await ctx.settle());
    const survivor = cluster.vm(SURVIVOR);
    const loser = cluster.other(SURVIVOR);
    const watch: Watch = { acks: {}, afterCut: {}, primary: new Map(), stop: false };
    let cutAt: number | undefined;
    const watchers = SITES.map((site) =>
      watchNode(cluster.vm(where[site.res] ?? ''), site.writer, watch, () => cutAt),
    );
    // The watchers' first reads are the numbers acknowledged before the cut.
    await waitFor(
      'the first acknowledged numbers of every writer',
      60_000,
      () => (SITES.every((s) => watch.acks[s.writer] !== undefined) ? true : undefined),
      500,
    );
    const fencesBefore = cluster.fences.length;
    const all = placeEach(() => survivor.name);
    let restored = false;
    const restore = async (): Promise<void> => {
      if (restored) return;
      restored = true;
      await Promise.all(
        cluster.vms.flatMap((v) =>
          [v.setLink('ring', true), v.setLink('repl', true)].map((p) => p.catch(() => undefined)),
        ),
      );
    };
    let seconds = 0;
    let fencedAt = Number.POSITIVE_INFINITY;
    try {
      cutAt = Date.now();
      await Promise.all(cluster.vms.flatMap((v) => [v.setLink('ring', false), v.setLink('repl', false)]));
      log(
        `partition: both links cut (${describePlacement(where)}); writers at ${SITES.map((s) => `${s.writer} ${watch.acks[s.writer]?.n ?? '?'}`).join(', ')}`,
      );
      const fenced = await waitFor(
        `${loser.name} fenced`,
        600_000,
        () => cluster.fences.slice(fencesBefore).find((f) => f.outcome === 'ok'),
        500,
      );
      log(
        `partition: ${fenced.from} fenced ${fenced.target} ${((fenced.at - cutAt) / 1000).toFixed(1)}s after the cut`,
      );
      fencedAt = fenced.at;
      if (fenced.target !== loser.name)
        throw new Error(
          `${fenced.from} fenced ${fenced.target}: the fence delay should have let ${SURVIVOR} win`,
        );
      // The loser's last readable numbers are in; from here it reboots.
      await restore();
      await ctx.waitPlacement(survivor, 900_000, all);
      seconds = (Date.now() - cutAt) / 1000;
    } finally {
      await restore();
      watch.stop = true;
      await Promise.all(watchers);
    }
    ctx.timing('partition', seconds);
    const wrong = cluster.fences
      .slice(fencesBefore)
      .filter((f) => f.target === SURVIVOR && f.outcome === 'ok');
    if (wrong.length > 0) throw new Error(`${SURVIVOR} was fenced too (${wrong.length}×)`);
    const two = overlaps(watch, where, loser.name, fencedAt);
    if (two.length > 0) throw new Error(`two Primaries: ${two.join('; ')}`);
    const after = SITES.map((s) => `${s.writer} ${watch.afterCut[s.writer] ?? 0}`).join(', ');
    log(`partition: numbers acknowledged after the cut: ${after}`);
    // Every number seen acknowledged, on either node, up to its fencing, is on the survivor.
    const data = await ctx.dataAfter(all, watch.acks, 'partition');
    const { seconds: rejoin } = await timed(() => rejoinAndResync(cluster, loser, survivor));
    await noSplitBrain(cluster);
    return `both links cut (${describePlacement(where)}): ${SURVIVOR} fenced ${loser.name} and ran both stacks ${seconds.toFixed(1)}s after the cut; acknowledged after the cut: ${after}; no two Primaries; data: ${data}; ${loser.name} rejoined, ${RESOURCES.join(' and ')} resynced in ${rejoin.toFixed(0)}s, no split brain`;
  },
};
