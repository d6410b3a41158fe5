// node-crash: the qemu of the node running the first site killed: the survivor fences it and runs every
// site (timed), no acknowledged number lost; the node comes back, rejoins, resyncs, no split brain.
import type { Scenario } from '../context.js';
import {
  acksAt,
  describePlacement,
  noSplitBrain,
  placeEach,
  rejoinAndResync,
  RESOURCES,
} from '../helpers.js';
import { SITES } from '../sites.js';
import { timed, waitFor } from '../util.js';

export const scenario: Scenario = {
  name: 'node-crash',
  stacks: ['lxcha', 'anchor'],
  checksData: true,
  async run(ctx) {
    const { cluster } = ctx;
    const where = await ctx.settle();
    const node = where[SITES[0]?.res ?? ''] ?? '';
    const victim = cluster.vm(node);
    const survivor = cluster.other(node);
    const before = await acksAt(cluster, where);
    const fencesBefore = cluster.fences.length;
    const all = placeEach(() => survivor.name);
    const { seconds } = await timed(async () => {
      await victim.crash();
      await ctx.waitPlacement(survivor, 900_000, all);
    });
    ctx.timing('node-crash', seconds);
    const fence = cluster.fences.slice(fencesBefore).find((f) => f.target === node && f.outcome === 'ok');
    if (fence === undefined)
      throw new Error(`the stacks moved to ${survivor.name} but ${node} was not fenced`);
    const data = await ctx.dataAfter(all, before, 'node-crash');
    // The fenced node was powered on again by the fence relay (reboot); it must rejoin and resync.
    const { seconds: rejoin } = await timed(async () => {
      await waitFor(
        `${node} restarted by the fence relay`,
        120_000,
        () => (victim.running ? true : undefined),
        1000,
      );
      await rejoinAndResync(cluster, victim, survivor);
    });
    await noSplitBrain(cluster);
    return `${node} killed (${describePlacement(where)}); ${survivor.name} fenced it (${fence.action}) and ran both stacks in ${seconds.toFixed(1)}s; data: ${data}; ${node} rejoined, ${RESOURCES.join(' and ')} resynced in ${rejoin.toFixed(0)}s, no split brain`;
  },
};
