// LvmClient: the command lines it runs and how it reads the answers, on recorded outputs.
import { describe, expect, it } from 'vitest';
import { LvmClient } from '../../../lib/lvm/client.js';
import { hostRecording, recordedRunner, vmRecording, type Recording } from '../drbd/recorded.js';

const ok: Recording = { stdout: '  Volume group "vg1" successfully changed\n', stderr: '', exitCode: 0 };

describe('LvmClient', () => {
  it("asks vgs for the VG with --foreign, so a dead owner's VG is seen", async () => {
    const calls: string[][] = [];
    const lvm = new LvmClient({ run: recordedRunner(() => vmRecording('lvm', 'vgs-foreign-listed'), calls) });
    expect(await lvm.volumeGroup('vg_lxc1')).toMatchObject({ systemId: 'node1' });
    expect(calls[0]).toEqual([
      'vgs',
      '--reportformat',
      'json',
      '--foreign',
      '-o',
      'vg_name,vg_systemid,vg_tags,vg_attr,lv_count',
      'vg_lxc1',
    ]);
  });

  it('a missing VG is undefined, not an error', async () => {
    const lvm = new LvmClient({ run: recordedRunner(() => hostRecording('lvm-host', 'vgs-missing')) });
    expect(await lvm.volumeGroup('nosuchvg')).toBeUndefined();
  });

  it('takes a VG over from its dead owner in one vgchange naming the owner as an extra system ID', async () => {
    const calls: string[][] = [];
    const lvm = new LvmClient({ run: recordedRunner(() => ok, calls) });
    await lvm.setSystemId('vg1', 'node1', 'node2');
    expect(calls[0]).toEqual([
      'vgchange',
      '-y',
      '--config',
      'local{extra_system_ids=["node2"]}',
      '--systemid',
      'node1',
      'vg1',
    ]);
    await lvm.setSystemId('vg1', 'node1', '');
    expect(calls[1]).toEqual(['vgchange', '-y', '--systemid', 'node1', 'vg1']);
  });

  it('refuses a system ID that could break out of the --config string', () => {
    const lvm = new LvmClient({ run: recordedRunner(() => ok) });
    expect(() => lvm.setSystemId('vg1', 'node1', 'x"]} global{')).toThrow(/system ID/);
  });

  it('activates the listed LVs with lvchange, the whole VG with vgchange', async () => {
    const calls: string[][] = [];
    const lvm = new LvmClient({ run: recordedRunner(() => ok, calls) });
    await lvm.activate('vg1', { lvs: ['ct1', 'ct2'] });
    await lvm.activate('vg1');
    await lvm.deactivate('vg1');
    expect(calls).toEqual([
      ['lvchange', '-ay', 'vg1/ct1', 'vg1/ct2'],
      ['vgchange', '-ay', 'vg1'],
      ['vgchange', '-an', 'vg1'],
    ]);
  });

  it('reads the local system ID', async () => {
    expect(
      await new LvmClient({
        run: recordedRunner(() => vmRecording('lvm', 'lvm-systemid-node1')),
      }).localSystemId(),
    ).toBe('node1');
  });
});

describe('LvmClient.configList (real lvmconfig output)', () => {
  it.each([
    ['lvmconfig-volume-list-one', ['@node1']],
    ['lvmconfig-volume-list-two', ['vg0', '@node1']],
    ['lvmconfig-volume-list-unset', undefined],
  ] as const)('%s', async (name, want) => {
    const lvm = new LvmClient({ run: recordedRunner(() => hostRecording('lvm-host', name)) });
    expect(await lvm.configList('activation/volume_list')).toEqual(want);
  });
});
