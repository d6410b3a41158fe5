// The other DRBD resources' devices that promote's filter check keeps LVM off: lsblk's tree parsed (from the
// VM recording), the devices on other DRBD resources picked, their names under /dev found, and the LVM
// filter patterns that reject them. Parsing and selection against recordings and a made-up /dev; the VM
// stage (test/drbd-lvm-vm/frozen-neighbour.ts) proves the behaviour on real LVM.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aliasesOf,
  BlockDeviceClient,
  devicesOnOtherDrbd,
  lsblkArgs,
  parseLsblk,
  rejectPattern,
  type BlockDevice,
} from '../../../lib/lvm/block-devices.js';
import { LvmClient } from '../../../lib/lvm/client.js';
import { recordedRunner, vmRecording } from '../drbd/recorded.js';

const dev = (name: string, majMin: string, children: BlockDevice[] = [], kname = name): BlockDevice => ({
  name,
  kname,
  majMin,
  children,
});
const recorded = (): Promise<BlockDevice[]> =>
  new BlockDeviceClient({ run: recordedRunner(() => vmRecording('lvm', 'lsblk-two-resources')) }).tree();

describe('lsblk --json, as recorded in the VM (r0 Secondary, r1 Primary with an LV)', () => {
  it('parses the tree: each DRBD device under its backing disk, the LV under its DRBD device', async () => {
    const tree = await recorded();
    expect(tree.find((d) => d.name === '/dev/vdb')?.children.map((d) => [d.name, d.majMin])).toEqual([
      ['/dev/drbd0', '147:0'],
    ]);
    const drbd1 = tree.find((d) => d.name === '/dev/vdc')?.children[0];
    expect(drbd1?.name).toBe('/dev/drbd1');
    expect(drbd1?.children.map((d) => [d.name, d.kname])).toEqual([['/dev/mapper/vg_lxc2-ct3', '/dev/dm-0']]);
  });

  it('r0’s filter check leaves out r1’s device and its LV, and nothing else', async () => {
    expect(devicesOnOtherDrbd(await recorded(), ['/dev/drbd0']).map((d) => d.name)).toEqual([
      '/dev/drbd1',
      '/dev/mapper/vg_lxc2-ct3',
    ]);
  });
});

describe('devicesOnOtherDrbd', () => {
  const tree = [
    dev('/dev/sda', '8:0', [dev('/dev/sda1', '8:1')]),
    dev('/dev/sdb', '8:16', [dev('/dev/drbd0', '147:0', [dev('/dev/mapper/vg0-lv', '254:0')])]),
    dev('/dev/sdc', '8:32', [
      dev('/dev/drbd1', '147:1', [dev('/dev/mapper/crypt1', '254:1', [dev('/dev/mapper/vg1-lv', '254:2')])]),
    ]),
    // Striped over a disk and the other DRBD device: listed under both, left out once.
    dev('/dev/sdd', '8:48', [dev('/dev/mapper/both', '254:3')]),
  ];
  (tree[2]?.children[0]?.children as BlockDevice[]).push(dev('/dev/mapper/both', '254:3'));

  it('picks every other DRBD device and everything stacked on it, however deep, each once', () => {
    expect(devicesOnOtherDrbd(tree, ['/dev/drbd0']).map((d) => d.name)).toEqual([
      '/dev/drbd1',
      '/dev/mapper/crypt1',
      '/dev/mapper/vg1-lv',
      '/dev/mapper/both',
    ]);
  });

  it('with no other DRBD device, nothing', () => {
    expect(devicesOnOtherDrbd(tree, ['/dev/drbd0', '/dev/drbd1'])).toEqual([]);
  });

  it('rejects output that is not lsblk’s tree', () => {
    expect(() => parseLsblk('{"devices": []}')).toThrow(/blockdevices/);
    expect(() => parseLsblk('lsblk: unknown column')).toThrow();
  });
});

describe('aliasesOf and rejectPattern', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds each symlink under /dev that points at the device, as udev makes them', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'lxcha-dev-'));
    writeFileSync(path.join(root, 'drbd1'), '');
    writeFileSync(path.join(root, 'drbd0'), '');
    mkdirSync(path.join(root, 'drbd/by-res/r1'), { recursive: true });
    mkdirSync(path.join(root, 'drbd/by-disk'), { recursive: true });
    mkdirSync(path.join(root, 'disk/by-id'), { recursive: true });
    symlinkSync('../../../drbd1', path.join(root, 'drbd/by-res/r1/0'));
    symlinkSync('../../drbd1', path.join(root, 'drbd/by-disk/vdc'));
    symlinkSync('../../drbd1', path.join(root, 'disk/by-id/lvm-pv-uuid-abc'));
    symlinkSync('../../drbd0', path.join(root, 'disk/by-id/lvm-pv-uuid-own'));
    const drbd1 = dev(path.join(root, 'drbd1'), '147:1');
    expect((await aliasesOf([drbd1], root)).sort()).toEqual(
      [
        path.join(root, 'block/147:1'),
        path.join(root, 'disk/by-id/lvm-pv-uuid-abc'),
        path.join(root, 'drbd/by-disk/vdc'),
        path.join(root, 'drbd/by-res/r1/0'),
        path.join(root, 'drbd1'),
      ].sort(),
    );
  });

  it('a pattern matches its one name and no other (metacharacters escaped)', () => {
    const p = rejectPattern('/dev/disk/by-id/dm-name-vg.1+x');
    expect(p).toBe('r|^/dev/disk/by-id/dm-name-vg\\.1\\+x$|');
    const re = new RegExp(p.slice(2, -1));
    expect(re.test('/dev/disk/by-id/dm-name-vg.1+x')).toBe(true);
    expect(re.test('/dev/disk/by-id/dm-name-vgX1+x')).toBe(false);
  });
});

describe('LvmClient', () => {
  it('scoped to devices passes --devices to vgs, lvs, pvs, vgchange and lvchange, not to lvm or lvmconfig', async () => {
    const calls: string[][] = [];
    const ok = { stdout: '{"report":[{"vg":[],"lv":[],"pv":[]}]}', stderr: '', exitCode: 0 };
    const lvm = new LvmClient({ run: recordedRunner(() => ok, calls) }).scopedTo(['/dev/drbd0']);
    await lvm.volumeGroup('vg1');
    await lvm.logicalVolumes('vg1');
    await lvm.physicalVolumes();
    await lvm.activate('vg1');
    await lvm.deactivate('vg1', { lvs: ['lv0'] });
    await lvm.localSystemId().catch(() => undefined);
    await lvm.configValue('devices/use_devicesfile').catch(() => undefined);
    expect(calls.slice(0, 5).map((c) => c.slice(0, 3).join(' '))).toEqual([
      'vgs --devices /dev/drbd0',
      'lvs --devices /dev/drbd0',
      'pvs --devices /dev/drbd0',
      'vgchange --devices /dev/drbd0',
      'lvchange --devices /dev/drbd0',
    ]);
    expect(calls.slice(5).every((c) => !c.includes('--devices'))).toBe(true);
  });

  it('pvs with a narrowing lvm.conf fragment passes it as --config; unscoped, no --devices', async () => {
    const calls: string[][] = [];
    const ok = { stdout: '{"report":[{"pv":[]}]}', stderr: '', exitCode: 0 };
    await new LvmClient({ run: recordedRunner(() => ok, calls) })
      .scopedTo(undefined)
      .physicalVolumes('devices{global_filter=["r|^/dev/drbd1$|"]}');
    expect(calls[0]?.slice(0, 3)).toEqual(['pvs', '--config', 'devices{global_filter=["r|^/dev/drbd1$|"]}']);
    expect(calls[0]?.includes('--devices')).toBe(false);
  });

  it('lsblk runs with the recorded arguments', async () => {
    const calls: string[][] = [];
    await new BlockDeviceClient({
      run: recordedRunner(() => ({ stdout: '{"blockdevices": []}', stderr: '', exitCode: 0 }), calls),
    }).tree();
    expect(calls[0]).toEqual(['lsblk', ...lsblkArgs]);
  });
});
