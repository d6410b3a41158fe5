// start: the stack's CIB loaded, both sites run, each on its home node (timed).
import { PAYLOAD } from '../cluster.js';
import type { Scenario } from '../context.js';
import { crm, describePlacement } from '../helpers.js';
import { timed } from '../util.js';

export const scenario: Scenario = {
  name: 'start',
  stacks: ['lxcha', 'anchor'],
  prerequisite: true,
  async run(ctx) {
    const { seconds } = await timed(async () => {
      await crm(ctx.first, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-${ctx.stack}.crm`]);
      return ctx.waitPlacement(ctx.first, 600_000, ctx.home);
    });
    ctx.timing('start', seconds);
    return `both stacks running, each on its home node (${describePlacement(ctx.home)}) in ${seconds.toFixed(0)}s (DRBD fence-peer handler: ${ctx.fencePeer})`;
  },
};
