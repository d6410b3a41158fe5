// container-crash: a container's init killed with SIGKILL behind the cluster's back, recovered by the
// cluster (timed); the container is the one sites.ts names, not a writer.
import type { Scenario } from '../context.js';
import { crm, POLL_MS } from '../helpers.js';
import { SITES } from '../sites.js';
import { timed, waitFor } from '../util.js';

export const scenario: Scenario = {
  name: 'container-crash',
  stacks: ['lxcha'],
  async run(ctx) {
    const { cluster } = ctx;
    const site = SITES.find((s) => s.crashed !== undefined);
    const ct = site?.crashed;
    const rsc = site === undefined || ct === undefined ? undefined : ctx.ids(site).containers[ct];
    if (site === undefined || ct === undefined || rsc === undefined)
      throw new Error('no site names a container to crash with its resource (sites.ts)');
    const where = await ctx.settle();
    const node = where[site.res] ?? '';
    const vm = cluster.vm(node);
    const pid = (await vm.run(['lxc-info', '-n', ct, '-p', '-H'])).trim();
    const { seconds } = await timed(async () => {
      await vm.run(['kill', '-9', pid]);
      await waitFor(
        `${ct} running again with a new init`,
        300_000,
        async () => {
          const r = await vm.exec(['lxc-info', '-n', ct, '-p', '-H']);
          const now = r.stdout.trim();
          if (r.code !== 0 || now === '' || now === pid) return undefined;
          const s = await cluster.state(vm);
          return s !== undefined && ctx.placement(s) !== undefined ? true : undefined;
        },
        POLL_MS,
      );
    });
    ctx.timing('container-crash', seconds);
    await crm(ctx.first, ['resource', 'cleanup', rsc]);
    return `${ct} init (pid ${pid}) killed on ${node}, recovered by the cluster in ${seconds.toFixed(1)}s`;
  },
};
