// link-cut: only the replication link cut while each resource is Primary: each Primary's fence-peer
// handler keeps its peer from promotion and no stack moves; reconnected, both resync, the constraints are
// lifted, no split brain, no acknowledged number lost.
import type { Scenario } from '../context.js';
import {
  acksAt,
  constraintsNow,
  describePlacement,
  drbdSynced,
  POLL_MS,
  samePlacement,
  noSplitBrain,
  type FenceConstraint,
} from '../helpers.js';
import { SITES } from '../sites.js';
import { log, timed, waitFor } from '../util.js';

export const scenario: Scenario = {
  name: 'link-cut',
  stacks: ['lxcha'],
  checksData: true,
  async run(ctx) {
    const { cluster } = ctx;
    const a = ctx.first;
    const where = await ctx.settle();
    const before = await acksAt(cluster, where);
    await Promise.all(cluster.vms.map((v) => v.setLink('repl', false)));
    let placed: FenceConstraint[] = [];
    try {
      // Every resource's Primary loses its peer: each handler keeps the other node from promotion.
      placed = await waitFor(
        `a fence-peer constraint for each of ${SITES.map((site) => ctx.ids(site).clone).join(', ')}`,
        180_000,
        async () => {
          const found = (await constraintsNow(a)) ?? [];
          return SITES.every((site) => found.some((c) => c.rsc === ctx.ids(site).clone)) ? found : undefined;
        },
        POLL_MS,
      );
      const s = await cluster.state(a);
      const now = s === undefined ? undefined : ctx.placement(s);
      if (now === undefined || !samePlacement(now, where))
        throw new Error(
          `a stack moved or stopped during the link cut: ${now === undefined ? 'not all running' : describePlacement(now)}`,
        );
      for (const site of SITES) {
        const elsewhere = s?.resources.find(
          (r) => r.id === ctx.ids(site).promotable && r.role === 'Promoted' && r.node !== where[site.res],
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
        return left !== undefined && !left.some((c) => placed.some((p) => p.id === c.id)) ? true : undefined;
      },
      POLL_MS,
    );
    await noSplitBrain(cluster);
    const data = await ctx.dataAfter(where, before, 'link-cut');
    return `replication link cut with both resources Primary (${describePlacement(where)}): constraints ${placed.map((c) => c.id).join(', ')} kept each peer from promotion, no stack moved; reconnected and resynced in ${seconds.toFixed(0)}s, constraints lifted, no split brain; data: ${data}`;
  },
};
