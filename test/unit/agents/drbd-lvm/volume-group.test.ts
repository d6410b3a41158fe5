// readVg on recorded LVM outputs: lvs alone when it lists the VG's LVs, vgs only when its report is asked
// for or lvs listed none, so that an absent VG and a failing lvs are told apart as with vgs first.
// deactivate on recorded dmsetup and LVM outputs: the kernel's open counts decide, LVM is asked only when
// something is open or dmsetup cannot answer.
import { describe, expect, it } from 'vitest';
import type { Clients, DrbdLvmContext } from '../../../../agents/drbd-lvm/context.js';
import { deactivate, isActive, readVg } from '../../../../agents/drbd-lvm/volume-group.js';
import { commandResult, type CommandRunner } from '../../../../lib/exec/command.js';
import { ToolError } from '../../../../lib/exec/tool-error.js';
import { LvmClient } from '../../../../lib/lvm/client.js';
import { DeviceMapperClient } from '../../../../lib/lvm/device-mapper.js';
import { asResult, hostRecording, vmRecording, type Recording } from '../../drbd/recorded.js';
import { params } from './params.js';

const failing: Recording = { stdout: '', stderr: '  Some lvs failure\n', exitCode: 5 };

/** The clients and context readVg uses, with lvs and vgs answered as given; `calls` lists the tools run. */
function world(
  answers: { lvs: Recording | 'timeout'; vgs?: Recording },
  reskeys: Record<string, string> = {},
): { context: DrbdLvmContext; clients: Clients; calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = (command, args) => {
    calls.push(command);
    const answer = command === 'lvs' ? answers.lvs : answers.vgs;
    if (answer === 'timeout') return Promise.resolve(commandResult(command, args, { timedOut: true }));
    if (answer === undefined) throw new Error(`unexpected ${command}`);
    return Promise.resolve(asResult(command, args, answer));
  };
  const context = { params: params({ vgname: 'vg_lxc1', ...reskeys }) } as DrbdLvmContext;
  const clients = { lvm: new LvmClient({ run }) } as Clients;
  return { context, clients, calls };
}

describe('readVg', () => {
  it("answers from lvs alone when it lists the VG's LVs", async () => {
    const w = world({ lvs: vmRecording('lvm', 'lvs-active') });
    const state = await readVg(w.context, w.clients);
    expect(w.calls).toEqual(['lvs']);
    expect(state.visible).toBe(true);
    expect(state.vg).toBeUndefined();
    expect(state.lvs.map((lv) => lv.name)).toEqual(['config', 'ct1', 'ct2']);
    expect(isActive(state)).toBe(true);
  });

  it('names the listed LVs the VG lacks, from lvs alone', async () => {
    const w = world({ lvs: vmRecording('lvm', 'lvs-active') }, { lvs: 'ct1 nosuch' });
    const state = await readVg(w.context, w.clients);
    expect(w.calls).toEqual(['lvs']);
    expect(state.missingLvs).toEqual(['nosuch']);
  });

  it('asks vgs first when its report is wanted (the tags), and lvs only for a VG it sees', async () => {
    const found = world({ lvs: vmRecording('lvm', 'lvs-active'), vgs: vmRecording('lvm', 'vgs-active') });
    const state = await readVg(found.context, found.clients, { vgReport: true });
    expect(found.calls).toEqual(['vgs', 'lvs']);
    expect(state.vg?.name).toBe('vg_lxc1');
    const gone = world({ lvs: failing, vgs: hostRecording('lvm-host', 'vgs-missing') });
    expect((await readVg(gone.context, gone.clients, { vgReport: true })).visible).toBe(false);
    expect(gone.calls).toEqual(['vgs']);
  });

  it('asks vgs after a failing lvs: a VG vgs does not see is absent, not an error', async () => {
    const w = world({ lvs: failing, vgs: hostRecording('lvm-host', 'vgs-missing') });
    const state = await readVg(w.context, w.clients);
    expect(w.calls).toEqual(['lvs', 'vgs']);
    expect(state).toEqual({ visible: false, vg: undefined, lvs: [], missingLvs: [] });
  });

  it("fails with lvs's error when vgs sees the VG", async () => {
    const w = world({ lvs: failing, vgs: vmRecording('lvm', 'vgs-active') });
    await expect(readVg(w.context, w.clients)).rejects.toThrow(ToolError);
    expect(w.calls).toEqual(['lvs', 'vgs']);
  });

  it('fails at once when lvs timed out: no time is left for vgs', async () => {
    const w = world({ lvs: 'timeout' });
    await expect(readVg(w.context, w.clients)).rejects.toThrow(ToolError);
    expect(w.calls).toEqual(['lvs']);
  });
});

describe('deactivate', () => {
  type Answer = Recording | 'timeout';
  /** deactivate's clients with each tool answered as given; `calls` lists the tools it ran. */
  function deactivation(answers: Partial<Record<string, Answer>>, reskeys: Record<string, string> = {}) {
    const calls: string[] = [];
    const args: string[][] = [];
    const run: CommandRunner = (command, argv) => {
      // dmsetup's two verbs answer differently: info is `dmsetup`, remove is `dmsetup remove`.
      const key = command === 'dmsetup' && argv[0] === 'remove' ? 'dmsetup remove' : command;
      calls.push(key);
      args.push([command, ...argv]);
      const answer = answers[key];
      if (answer === 'timeout') return Promise.resolve(commandResult(command, argv, { timedOut: true }));
      if (answer === undefined) throw new Error(`unexpected ${command} ${argv.join(' ')}`);
      return Promise.resolve(asResult(command, argv, answer));
    };
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const context = {
      params: params({ vgname: 'vg_lxc1', ...reskeys }),
      log: quiet,
    } as unknown as DrbdLvmContext;
    const clients = { lvm: new LvmClient({ run }), dm: new DeviceMapperClient({ run }) } as Clients;
    return { run: () => deactivate(context, clients), calls, args };
  }
  const done = vmRecording('lvm', 'vgchange-an');

  it('with every LV mapped as a plain LV and none open (dmsetup), removes their mappings without asking LVM', async () => {
    const d = deactivation({
      dmsetup: vmRecording('lvm', 'dmsetup-info-active'),
      'dmsetup remove': vmRecording('lvm', 'dmsetup-remove'),
    });
    await d.run();
    expect(d.calls).toEqual(['dmsetup', 'dmsetup remove']);
    // The names the kernel gave (dmsetup info), each once, in one dmsetup.
    expect(d.args[1]).toEqual(['dmsetup', 'remove', 'vg_lxc1-config', 'vg_lxc1-ct1', 'vg_lxc1-ct2']);
  });

  it('when dmsetup could not remove them all (an LV opened meanwhile), LVM decides: vgchange -an', async () => {
    const d = deactivation({
      dmsetup: vmRecording('lvm', 'dmsetup-info-active'),
      'dmsetup remove': vmRecording('lvm', 'dmsetup-remove-open'),
      vgchange: done,
    });
    await d.run();
    expect(d.calls).toEqual(['dmsetup', 'dmsetup remove', 'vgchange']);
  });

  it('in tagging mode leaves the deactivation to LVM, which also removes the tag', async () => {
    const d = deactivation(
      {
        dmsetup: vmRecording('lvm', 'dmsetup-info-active'),
        vgs: vmRecording('lvm', 'vgs-active'),
        vgchange: done,
      },
      { exclusivity: 'tagging', tag: 'node1' },
    );
    await d.run();
    expect(d.calls[0]).toBe('dmsetup');
    expect(d.calls).not.toContain('dmsetup remove');
    expect(d.calls).toContain('vgchange');
  });

  it('with nothing of the VG mapped, changes nothing', async () => {
    const d = deactivation({ dmsetup: vmRecording('lvm', 'dmsetup-info-inactive') });
    await d.run();
    expect(d.calls).toEqual(['dmsetup']);
  });

  it('with an LV open, asks lvs and refuses, changing nothing', async () => {
    const d = deactivation({
      dmsetup: vmRecording('lvm', 'dmsetup-info-open'),
      lvs: vmRecording('lvm', 'lvs-open'),
    });
    await expect(d.run()).rejects.toThrow(/cannot deactivate vg_lxc1: vg_lxc1\/config is/);
    expect(d.calls).toEqual(['dmsetup', 'lvs']);
  });

  it('with a layer open (a snapshot holds its origin), asks LVM, which sees no open LV, and deactivates', async () => {
    const d = deactivation({
      dmsetup: vmRecording('lvm', 'dmsetup-info-snapshot'),
      lvs: vmRecording('lvm', 'lvs-active'),
      vgchange: done,
    });
    await d.run();
    expect(d.calls).toEqual(['dmsetup', 'lvs', 'vgchange']);
  });

  it('without device-mapper in the kernel (dmsetup fails), asks LVM as before', async () => {
    const d = deactivation({
      dmsetup: hostRecording('lvm-host', 'dmsetup-info-no-dm'),
      lvs: vmRecording('lvm', 'lvs-active'),
      vgchange: done,
    });
    await d.run();
    expect(d.calls).toEqual(['dmsetup', 'lvs', 'vgchange']);
  });

  it('fails at once when dmsetup timed out: no time is left for LVM', async () => {
    const d = deactivation({ dmsetup: 'timeout' });
    await expect(d.run()).rejects.toThrow(ToolError);
    expect(d.calls).toEqual(['dmsetup']);
  });

  it('with the lvs parameter, only the listed LVs count: none of them mapped changes nothing', async () => {
    const d = deactivation({ dmsetup: vmRecording('lvm', 'dmsetup-info-active') }, { lvs: 'nosuch' });
    await d.run();
    expect(d.calls).toEqual(['dmsetup']);
  });

  it('with the lvs parameter, deactivates just those LVs (lvchange)', async () => {
    const d = deactivation(
      { dmsetup: vmRecording('lvm', 'dmsetup-info-active'), lvchange: vmRecording('lvm', 'lvchange-an') },
      { lvs: 'ct2' },
    );
    await d.run();
    expect(d.calls).toEqual(['dmsetup', 'lvchange']);
  });
});
