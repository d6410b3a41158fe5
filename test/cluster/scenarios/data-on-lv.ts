// data-on-lv: each site's writer acknowledges numbers, and its file is on the writer's LV, whose PV is DRBD.
import type { Scenario } from '../context.js';
import { acked } from '../helpers.js';
import { SITES } from '../sites.js';
import { waitFor } from '../util.js';

export const scenario: Scenario = {
  name: 'data-on-lv',
  stacks: ['lxcha', 'anchor'],
  async run(ctx) {
    const where = await ctx.waitPlacement(ctx.first, 60_000);
    const parts: string[] = [];
    for (const site of SITES) {
      const vm = ctx.cluster.vm(where[site.res] ?? '');
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
  },
};
