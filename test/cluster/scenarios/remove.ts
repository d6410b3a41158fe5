// remove: before the next stack, every site stopped and deleted from the CIB, leaving the DRBD resources
// down; the last stack goes down with the VMs.
import type { Scenario } from '../context.js';
import { crm, POLL_MS } from '../helpers.js';
import { SITES } from '../sites.js';
import { waitFor } from '../util.js';

export const scenario: Scenario = {
  name: 'remove',
  stacks: ['lxcha', 'anchor'],
  housekeeping: true,
  when: (ctx) => ctx.anotherStackFollows,
  async run(ctx) {
    const { cluster } = ctx;
    const vm = cluster.vms.find((v) => v.running) ?? ctx.first;
    for (const site of SITES) await crm(vm, ['resource', 'stop', ctx.ids(site).group]);
    for (const site of SITES) await crm(vm, ['resource', 'stop', ctx.ids(site).clone]);
    const ids = SITES.flatMap((site) => [...ctx.ids(site).members, ctx.ids(site).promotable]);
    await waitFor(
      `${ctx.stack} stacks stopped`,
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
    const all = [...SITES.flatMap((site) => [ctx.ids(site).group, ctx.ids(site).clone]), ...ids];
    await crm(vm, ['configure', 'delete', '--force', ...all]);
    const left = await vm.run(['cibadmin', '-Q', '-o', 'resources']);
    const stale = all.filter((id) => left.includes(`id="${id}"`));
    if (stale.length > 0) throw new Error(`still in the CIB after delete: ${stale.join(', ')}`);
    return 'stopped and deleted';
  },
};
