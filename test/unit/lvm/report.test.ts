// LVM report parsers on real recordings: LVM 2.03.16 in the emulated VMs (test/fixtures/lvm: active,
// open and foreign VGs on DRBD) and on this host without device-mapper (test/fixtures/lvm-host).
import { describe, expect, it } from 'vitest';
import {
  parseConfigValue,
  parseDuplicateWarnings,
  parseLvs,
  parsePvs,
  parseSystemId,
  parseVgs,
  saysVgNotFound,
} from '../../../lib/lvm/report.js';
import { hostRecording, vmRecording } from '../drbd/recorded.js';

describe('vgs --reportformat json (real)', () => {
  it('a VG owned by node1 with its LVs active', () => {
    expect(parseVgs(vmRecording('lvm', 'vgs-active').stdout)).toEqual([
      {
        name: 'vg_lxc1',
        systemId: 'node1',
        tags: [],
        attr: 'wz--n-',
        lvCount: 3,
        exported: false,
        partial: false,
      },
    ]);
  });
  it('a foreign VG is invisible to plain vgs and listed with --foreign', () => {
    expect(parseVgs(vmRecording('lvm', 'vgs-foreign').stdout)).toEqual([]);
    expect(parseVgs(vmRecording('lvm', 'vgs-foreign-listed').stdout)[0]).toMatchObject({
      name: 'vg_lxc1',
      systemId: 'node1',
    });
    expect(parseVgs(hostRecording('lvm-host', 'vgs-foreign').stdout)[0]).toMatchObject({
      name: 'vgrec',
      systemId: 'node1',
    });
  });
  it('tags come as a list', () => {
    expect(parseVgs(hostRecording('lvm-host', 'vgs-tagged').stdout)[0]?.tags).toEqual(['pacemaker-node1']);
  });
  it('a take-over writes the new system ID (vgchange with extra_system_ids)', () => {
    expect(hostRecording('lvm-host', 'vgchange-systemid-takeover').exitCode).toBe(0);
    expect(parseVgs(hostRecording('lvm-host', 'vgs-taken-over').stdout)[0]?.systemId).toBe('node2');
  });
  it('a missing VG: empty report, rc 5 and "not found" on stderr', () => {
    const r = hostRecording('lvm-host', 'vgs-missing');
    expect(r.exitCode).toBe(5);
    expect(parseVgs(r.stdout)).toEqual([]);
    expect(saysVgNotFound(r.stderr)).toBe(true);
  });
});

describe('lvs --reportformat json (real)', () => {
  it('active LVs, none open', () => {
    const lvs = parseLvs(vmRecording('lvm', 'lvs-active').stdout);
    expect(lvs.map((lv) => [lv.name, lv.active, lv.open, lv.path])).toEqual([
      ['config', true, false, '/dev/vg_lxc1/config'],
      ['ct1', true, false, '/dev/vg_lxc1/ct1'],
      ['ct2', true, false, '/dev/vg_lxc1/ct2'],
    ]);
  });
  it('the mounted config LV is open', () => {
    const lvs = parseLvs(vmRecording('lvm', 'lvs-open').stdout);
    expect(lvs.filter((lv) => lv.open === true).map((lv) => lv.name)).toEqual(['config']);
  });
  it("a foreign VG's LVs: inactive, open state unknown", () => {
    const lvs = parseLvs(vmRecording('lvm', 'lvs-foreign').stdout);
    expect(lvs.every((lv) => !lv.active)).toBe(true);
    expect(lvs.every((lv) => lv.open === false)).toBe(true);
  });
  it('inactive LVs on a host without device-mapper carry no device numbers', () => {
    const lvs = parseLvs(hostRecording('lvm-host', 'lvs-inactive').stdout);
    expect(lvs).toHaveLength(2);
    expect(lvs[0]).toMatchObject({
      name: 'lv0',
      vg: 'vgrec',
      active: false,
      major: undefined,
      minor: undefined,
      dmPath: '/dev/mapper/vgrec-lv0',
    });
  });
});

describe('LVM answers (real)', () => {
  it('lvm systemid', () => {
    expect(parseSystemId(vmRecording('lvm', 'lvm-systemid-node2').stdout)).toBe('node2');
    expect(parseSystemId('  system ID: \n')).toBe('');
  });
  it('deactivating a VG with an open LV is refused (rc 5)', () => {
    const r = vmRecording('lvm', 'vgchange-an-open');
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/Can't deactivate volume group "vg_lxc1" with 1 open logical volume/);
  });
  it('activating a foreign VG is refused (rc 5)', () => {
    const r = vmRecording('lvm', 'vgchange-ay-foreign');
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/Cannot access VG vg_lxc1 with system ID node1 with local system ID node2/);
  });
  it('lvmconfig values', () => {
    expect(parseConfigValue('volume_list=["vg0","@node1"]\n')).toEqual(['vg0', '@node1']);
    expect(parseConfigValue('system_id_source="uname"\n')).toBe('uname');
    expect(parseConfigValue('')).toBeUndefined();
  });
});

describe('pvs --reportformat json and its duplicate warnings (real, LVM 2.03.16 in the VM)', () => {
  const uuid = 'deinJd-of2q-dmCM-bamF-YBGx-yKAU-TwjXSM';
  it('the provisioned filter: the PV on /dev/drbd0 of the Primary, nothing on the Secondary', () => {
    expect(parsePvs(vmRecording('lvm', 'pvs-drbd-primary').stdout)).toEqual([
      { name: '/dev/drbd0', vg: 'vg_lxc1', uuid },
    ]);
    expect(parsePvs(vmRecording('lvm', 'pvs-drbd-secondary').stdout)).toEqual([]);
  });
  it('a filter accepting the backing disk: a Secondary sees the VG on /dev/vdb', () => {
    expect(parsePvs(vmRecording('lvm', 'pvs-backing-secondary').stdout)).toEqual([
      { name: '/dev/vdb', vg: 'vg_lxc1', uuid },
    ]);
  });
  it('a Primary reports the PV on /dev/drbd0 only and names the duplicate it does not use on stderr', () => {
    const r = vmRecording('lvm', 'pvs-backing-primary');
    expect(parsePvs(r.stdout)).toEqual([{ name: '/dev/drbd0', vg: 'vg_lxc1', uuid }]);
    // The second warning line ("PV … prefers device /dev/drbd0 because …") names no unused device.
    expect(parseDuplicateWarnings(r.stderr)).toEqual([{ device: '/dev/vdb', uuid }]);
    expect(parseDuplicateWarnings(vmRecording('lvm', 'pvs-drbd-primary').stderr)).toEqual([]);
  });
  it('lvmconfig: the devices file is off', () => {
    expect(parseConfigValue(vmRecording('lvm', 'lvmconfig-use-devicesfile').stdout)).toBe(0);
  });
});
