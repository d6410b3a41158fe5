// parseDmInfo and DeviceMapperClient on dmsetup's recorded answers (VM: test/fixtures/lvm/dmsetup-info-*,
// host without device-mapper: test/fixtures/lvm-host/dmsetup-info-no-dm.json).
import { describe, expect, it } from 'vitest';
import { commandResult } from '../../../lib/exec/command.js';
import { ToolError } from '../../../lib/exec/tool-error.js';
import { DeviceMapperClient, parseDmInfo } from '../../../lib/lvm/device-mapper.js';
import { hostRecording, recordedRunner, vmRecording } from '../drbd/recorded.js';

describe('parseDmInfo', () => {
  it('reads each mapped LV of the VG with its open count (lvm/dmsetup-info-open)', () => {
    const devices = parseDmInfo(vmRecording('lvm', 'dmsetup-info-open').stdout);
    expect(devices.map((d) => [d.name, d.lv, d.layer, d.openCount])).toEqual([
      ['vg_lxc1-config', 'config', '', 1],
      ['vg_lxc1-ct1', 'ct1', '', 0],
      ['vg_lxc1-ct2', 'ct2', '', 0],
    ]);
    expect(devices.every((d) => d.vg === 'vg_lxc1' && d.major > 0)).toBe(true);
  });

  it("tells a snapshot's layers from its LVs (lvm/dmsetup-info-snapshot)", () => {
    const layers = parseDmInfo(vmRecording('lvm', 'dmsetup-info-snapshot').stdout).filter(
      (d) => d.layer !== '',
    );
    expect(layers.map((d) => [d.lv, d.layer])).toEqual([
      ['ct2', 'real'],
      ['snap', 'cow'],
    ]);
    expect(layers.every((d) => d.openCount > 0)).toBe(true);
  });

  it('reads "No devices found" and an empty answer as none (lvm/dmsetup-info-inactive)', () => {
    expect(parseDmInfo(vmRecording('lvm', 'dmsetup-info-inactive').stdout)).toEqual([]);
    expect(parseDmInfo('')).toEqual([]);
  });

  it('a dm name LVM makes doubles the hyphens of its VG and LV names', () => {
    expect(parseDmInfo('vg_lxc1-my--lv:vg_lxc1:my-lv::0:253:1\n')).toEqual([
      { name: 'vg_lxc1-my--lv', vg: 'vg_lxc1', lv: 'my-lv', layer: '', openCount: 0, major: 253, minor: 1 },
    ]);
  });

  it.each([
    ['a missing field', 'vg_lxc1-config:vg_lxc1:config::0:253\n'],
    ['a name holding the separator', 'odd:name:vg_lxc1:config::0:253:0\n'],
    ['a count that is no number', 'vg_lxc1-config:vg_lxc1:config::x:253:0\n'],
    ['headings', 'Name:VG:LV:LVLayer:Open:Maj:Min\n'],
  ])('refuses %s', (_what, stdout) => {
    expect(() => parseDmInfo(stdout)).toThrow(SyntaxError);
  });
});

describe('DeviceMapperClient.vgDevices', () => {
  it('asks for the one VG by selection, no shell quoting involved', async () => {
    const seen: string[][] = [];
    await new DeviceMapperClient({
      run: (command, args) => {
        seen.push([command, ...args]);
        return Promise.resolve(commandResult(command, args, { exitCode: 0, stdout: 'No devices found\n' }));
      },
    }).vgDevices('vg-a');
    expect(seen).toEqual([
      [
        'dmsetup',
        'info',
        '-c',
        '--noheadings',
        '--separator',
        ':',
        '-o',
        'name,vg_name,lv_name,lv_layer,open,major,minor',
        '-S',
        'vg_name="vg-a"',
      ],
    ]);
  });

  it('keeps only the VG asked for, whatever the selection let through', async () => {
    const run = recordedRunner(() => vmRecording('lvm', 'dmsetup-info-active'));
    expect(await new DeviceMapperClient({ run }).vgDevices('vg_other')).toEqual([]);
    expect((await new DeviceMapperClient({ run }).vgDevices('vg_lxc1')).map((d) => d.lv)).toEqual([
      'config',
      'ct1',
      'ct2',
    ]);
  });

  it('a kernel without device-mapper is a ToolError quoting dmsetup (lvm-host/dmsetup-info-no-dm)', async () => {
    const run = recordedRunner(() => hostRecording('lvm-host', 'dmsetup-info-no-dm'));
    await expect(new DeviceMapperClient({ run }).vgDevices('vgrec')).rejects.toThrow(ToolError);
    await expect(new DeviceMapperClient({ run }).vgDevices('vgrec')).rejects.toThrow(/Command failed/);
  });

  it('an answer it cannot read is a ToolError, not a guess', async () => {
    const run = recordedRunner(() => ({ stdout: 'garbage\n', stderr: '', exitCode: 0 }));
    await expect(new DeviceMapperClient({ run }).vgDevices('vg_lxc1')).rejects.toThrow(
      /unexpected dmsetup info line/,
    );
  });
});
