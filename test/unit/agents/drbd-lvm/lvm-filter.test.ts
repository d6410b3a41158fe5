// The LVM filter decision on real pvs answers of LVM 2.03.16 (test/fixtures/lvm/pvs-*, recorded in the
// emulated VM with the provisioned filter and with one that accepts the backing disk /dev/vdb too).
import { describe, expect, it } from 'vitest';
import { strayPvReason, strayPvs } from '../../../../agents/drbd-lvm/lvm-filter.js';
import { parseDuplicateWarnings, parsePvs, type PvReport } from '../../../../lib/lvm/report.js';
import { vmRecording } from '../../drbd/recorded.js';

const recorded = (name: string): PvReport => {
  const r = vmRecording('lvm', name);
  return { pvs: parsePvs(r.stdout), duplicates: parseDuplicateWarnings(r.stderr) };
};
const drbd0 = ['/dev/drbd0'];

describe('strayPvs: where LVM sees the VG besides the DRBD device', () => {
  it('none with the provisioned filter, on the Primary and on the Secondary (no false alarm)', () => {
    expect(strayPvs(recorded('pvs-drbd-primary'), 'vg_lxc1', drbd0)).toEqual([]);
    expect(strayPvs(recorded('pvs-drbd-secondary'), 'vg_lxc1', drbd0)).toEqual([]);
  });

  it('a Secondary whose filter accepts the backing disk sees the VG on /dev/vdb', () => {
    const [stray, ...more] = strayPvs(recorded('pvs-backing-secondary'), 'vg_lxc1', drbd0);
    expect(more).toEqual([]);
    expect(stray).toMatchObject({ device: '/dev/vdb', used: true });
  });

  it('a Primary sees the PV twice: LVM uses /dev/drbd0 and warns about /dev/vdb, the duplicate', () => {
    const report = recorded('pvs-backing-primary');
    expect(report.pvs.map((pv) => pv.name)).toEqual(['/dev/drbd0']);
    const [stray, ...more] = strayPvs(report, 'vg_lxc1', drbd0);
    expect(more).toEqual([]);
    expect(stray).toEqual({ device: '/dev/vdb', uuid: report.pvs[0]?.uuid, used: false });
  });

  it('another VG on another disk is not ours to judge', () => {
    const report: PvReport = {
      pvs: [
        { name: '/dev/drbd0', vg: 'vg_lxc1', uuid: 'A' },
        { name: '/dev/sda3', vg: 'vg_root', uuid: 'B' },
      ],
      duplicates: [{ device: '/dev/sdb', uuid: 'B' }],
    };
    expect(strayPvs(report, 'vg_lxc1', drbd0)).toEqual([]);
  });

  it('a PV of the VG on another DRBD device counts as well (only this resource’s device is right)', () => {
    const report: PvReport = {
      pvs: [
        { name: '/dev/drbd0', vg: 'vg_lxc1', uuid: 'A' },
        { name: '/dev/drbd1', vg: 'vg_lxc1', uuid: 'C' },
      ],
      duplicates: [],
    };
    expect(strayPvs(report, 'vg_lxc1', drbd0).map((s) => s.device)).toEqual(['/dev/drbd1']);
  });
});

describe('strayPvReason: the device and the lvm.conf setting to change', () => {
  it('the VG on the backing disk: global_filter, with the filter that works', () => {
    const stray = strayPvs(recorded('pvs-backing-secondary'), 'vg_lxc1', drbd0);
    expect(strayPvReason(stray, 'vg_lxc1', drbd0, false)).toBe(
      'LVM sees volume group vg_lxc1 on /dev/vdb, not only on /dev/drbd0: set devices/global_filter (and devices/filter) in lvm.conf to accept only DRBD devices and reject /dev/vdb, e.g. global_filter = [ "a|^/dev/drbd[0-9]+$|", "r|.*|" ]',
    );
  });

  it('duplicate PVs on the Primary say so', () => {
    const stray = strayPvs(recorded('pvs-backing-primary'), 'vg_lxc1', drbd0);
    expect(strayPvReason(stray, 'vg_lxc1', drbd0, false)).toMatch(
      /^LVM sees the PV of volume group vg_lxc1 twice: on \/dev\/drbd0 and on \/dev\/vdb \(duplicate PVs\): set devices\/global_filter/,
    );
  });

  it('with a devices file in use, the devices file is the setting', () => {
    const stray = strayPvs(recorded('pvs-backing-secondary'), 'vg_lxc1', drbd0);
    expect(strayPvReason(stray, 'vg_lxc1', drbd0, true)).toMatch(
      /remove \/dev\/vdb from LVM's devices file \(devices\/use_devicesfile=1/,
    );
  });
});
