// switchover: both groups moved at once, each to the other node (the stacks trade places), timed; the
// containers stop in order (graceful-stop, its own result line) and no acknowledged number is lost.
import type { Scenario } from '../context.js';
import { acksAt, crm, describePlacement, markers, placeEach } from '../helpers.js';
import { SITES } from '../sites.js';
import { timed } from '../util.js';

export const scenario: Scenario = {
  name: 'switchover',
  stacks: ['lxcha', 'anchor'],
  checksData: true,
  async run(ctx) {
    const { cluster } = ctx;
    const from = await ctx.settle();
    // Every site moves to the other node at once: with both at home, the two stacks trade places.
    const to = placeEach((site) => cluster.other(from[site.res] ?? '').name);
    const before = await acksAt(cluster, from);
    const marks = await markers(cluster, from);
    const { seconds } = await timed(async () => {
      for (const site of SITES)
        await crm(ctx.first, ['resource', 'move', ctx.ids(site).group, to[site.res] ?? '']);
      await ctx.waitPlacement(ctx.first, 600_000, to);
    });
    for (const site of SITES) await crm(ctx.first, ['resource', 'clear', ctx.ids(site).group]);
    ctx.timing('switchover', seconds);
    const after = await markers(cluster, to);
    const cts = SITES.flatMap((site) => site.containers);
    const orderly = cts.every((ct) => (after[ct] ?? 0) > (marks[ct] ?? 0));
    const change = cts.map((ct) => `${ct} ${marks[ct] ?? 0}->${after[ct] ?? 0}`).join(', ');
    const data = await ctx.dataAfter(to, before, 'switchover');
    ctx.report(
      orderly,
      'graceful-stop',
      orderly
        ? `::shutdown: markers written on stop by every container (${change})`
        : `a container stopped without its orderly shutdown (${change})`,
    );
    return `${describePlacement(from)} => ${describePlacement(to)} in ${seconds.toFixed(1)}s; data: ${data}`;
  },
};
