// Scenario: another DRBD resource on the node is Primary with its I/O frozen (what resource-and-stonith does
// when its peer is lost, until the fence-peer handler answers), and drbd-lvm promotes, monitors and demotes
// r0 all the same: none of its LVM commands reads the frozen device (the filter check's narrowed
// global_filter, `--devices` after it). The contrast proves the freeze real: a plain `pvs` started meanwhile
// is still waiting when r1's I/O resumes. On the VM's DRBD 8.4 and LVM 2.03.16; called by main.ts with r0 up
// and Secondary, and leaves r1 down again.
import type { Vm } from '../cluster/vm.js';
import { backingDiskFilterSed } from '../fixtures/commands.js';

type Check = (name: string, ok: boolean, details: string) => void;
type Agent = (action: string, params?: Record<string, string>) => Promise<{ code: number; reason: string }>;

const NEIGHBOUR = 'r1';
const NEIGHBOUR_VG = 'vg_lxc2';

export async function frozenNeighbour(
  vm: Vm,
  agent: Agent,
  check: Check,
  record: (name: string) => Promise<string>,
): Promise<void> {
  const sh = (script: string, timeoutS = 120): Promise<string> =>
    vm.run(['/bin/sh', '-c', script], { timeoutS });
  // r1 as the test cluster makes it, alone on this node: its own VG, Primary by force, fencing dropped (no
  // Pacemaker runs here); then its I/O suspended, as the fence-peer handler's wait leaves it.
  await sh(
    `sed -i 's/fencing [a-z-]*;/fencing dont-care;/' /etc/drbd.d/${NEIGHBOUR}.res && ` +
      `drbdadm down ${NEIGHBOUR} 2>/dev/null; yes yes | drbdadm -- --force create-md ${NEIGHBOUR} >/dev/null 2>&1; ` +
      `drbdadm up ${NEIGHBOUR} && drbdadm primary --force ${NEIGHBOUR} && pvcreate -ff -y /dev/drbd1 >/dev/null && ` +
      `vgcreate ${NEIGHBOUR_VG} /dev/drbd1 >/dev/null && lvcreate -y -L 16M -n ct3 ${NEIGHBOUR_VG} >/dev/null`,
  );
  await record('lsblk-two-resources');
  await record('lvmconfig-global-filter');
  await sh(`drbdadm suspend-io ${NEIGHBOUR}`);
  try {
    const proc = await sh(`cat /proc/drbd`);
    check(
      'frozen-neighbour-suspended',
      /1: cs:\S+ ro:Primary\/\S+ ds:\S+ \S+ s/.test(proc),
      oneLine(proc, ' 1: '),
    );
    // The narrowed check is still the filter check: with lvm.conf letting LVM see r0's backing disk, promote
    // refuses (5) and leaves r0 Secondary, without waiting on r1.
    await sh(
      `cp -p /etc/lvm/lvm.conf /root/lvm.conf.frozen && sed -i '${backingDiskFilterSed}' /etc/lvm/lvm.conf`,
    );
    try {
      const refusedAt = Date.now();
      const refused = await agent('promote');
      const role = await sh(`drbdadm role r0`);
      check(
        'promote-beside-a-frozen-drbd-device-refuses-a-visible-backing-disk',
        refused.code === 5 && /\/dev\/vdb/.test(refused.reason) && /^Secondary/.test(role),
        `promote → ${refused.code} in ${((Date.now() - refusedAt) / 1000).toFixed(1)} s: ${refused.reason}; role ${role.trim()}`,
      );
    } finally {
      await sh(`cp -p /root/lvm.conf.frozen /etc/lvm/lvm.conf`);
    }
    const started = Date.now();
    const promote = await agent('promote');
    const promoteS = (Date.now() - started) / 1000;
    check(
      'promote-beside-a-frozen-drbd-device',
      promote.code === 0,
      `promote → ${promote.code} in ${promoteS.toFixed(1)} s${promote.reason ? `: ${promote.reason}` : ''}`,
    );
    const probe = await agent('monitor');
    check('probe-beside-a-frozen-drbd-device', probe.code === 8, `monitor → ${probe.code}`);
    const demote = await agent('demote');
    check(
      'demote-beside-a-frozen-drbd-device',
      demote.code === 0,
      `demote → ${demote.code}${demote.reason ? `: ${demote.reason}` : ''}`,
    );
    // The contrast: a full scan reads /dev/drbd1 and waits (uninterruptibly: it is only reaped after resume).
    await sh(`(pvs >/dev/null 2>&1; echo done > /run/pvs-full.done) </dev/null >/dev/null 2>&1 &`);
    await sh('sleep 10');
    const waited = await sh(`test -e /run/pvs-full.done && echo finished || echo waiting`);
    check(
      'contrast-full-pvs-waits-on-the-frozen-device',
      waited.trim() === 'waiting',
      `after 10 s: ${waited.trim()}`,
    );
  } finally {
    await sh(`drbdadm resume-io ${NEIGHBOUR}`);
  }
  const done = await sh(
    `for i in $(seq 1 60); do test -e /run/pvs-full.done && break; sleep 0.5; done; cat /run/pvs-full.done 2>/dev/null || echo missing`,
  );
  check('contrast-full-pvs-finishes-after-resume', done.trim() === 'done', done.trim());
  await sh(
    `vgchange -an ${NEIGHBOUR_VG} >/dev/null; drbdadm secondary ${NEIGHBOUR}; drbdadm down ${NEIGHBOUR}; rm -f /run/pvs-full.done`,
  );
}

const oneLine = (text: string, fragment: string): string =>
  text
    .split('\n')
    .find((l) => l.includes(fragment))
    ?.trim() ?? `(no line with ${fragment.trim()})`;
