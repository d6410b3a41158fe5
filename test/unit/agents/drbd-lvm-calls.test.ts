// The tool calls each drbd-lvm action runs, counted through the fakes: under emulation each costs 1–3 s, so
// promote, demote and the promoted monitor run none whose answer the action already has.
import { describe, expect, it } from 'vitest';
import { defaultParams, recurring, worldPerTest, type World, type World1State } from './drbd-lvm-world.js';

const make = worldPerTest();

/** Runs one action and answers its exit code and the tools it ran, in order (`drbdadm primary`, `vgs` …). */
async function callsOf(
  w: World,
  action: string,
  params: Record<string, string> = defaultParams,
  extra: Record<string, string> = {},
): Promise<{ code: number | null; tools: string[] }> {
  const before = w.calls().length;
  const r = await w.run(action, params, extra);
  // 190/191: a degraded monitor (the peer lost), still a success.
  expect([0, 8, 190, 191].includes(r.code ?? -1), r.stderr).toBe(true);
  const tools = w
    .calls()
    .slice(before)
    .map(([tool = '', ...args]) =>
      tool === 'drbdadm' || tool === 'lvm' || (tool === 'dmsetup' && args[0] === 'remove')
        ? `${tool} ${args[0] ?? ''}`
        : tool,
    );
  return { code: r.code, tools };
}

/** Another resource, r9 (/dev/drbd9 on /dev/vdc), up and Primary on this node; `ioFrozen`: its peer just lost. */
function addPrimaryR9(s: World1State, { ioFrozen }: { ioFrozen: boolean }): void {
  (s.drbd.resources as Record<string, unknown>)['r9'] = {
    ...s.drbd.resources.r0,
    device: '/dev/drbd9',
    minor: 9,
    backingDevice: '/dev/vdc',
    up: true,
    role: 'Primary',
    disk: 'UpToDate',
    ...(ioFrozen ? { ioFrozen } : {}),
  };
}

describe('promote', () => {
  it('from UpToDate data reads DRBD once: the score after drbdadm primary needs no re-read', async () => {
    const w = make({ vgSystemId: 'node2' });
    await w.run('start');
    const { tools } = await callsOf(w, 'promote');
    // Before: 11, with a second vgs before the lvs of the LVs' wait, and a second drbdsetup events2 after it.
    expect(tools).toEqual([
      'drbdsetup',
      'lsblk',
      'pvs',
      'drbdadm primary',
      'vgs',
      'lvm systemid',
      'vgchange',
      'vgchange',
      'lvs',
      'crm_attribute',
    ]);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('reads no other DRBD resource’s device: another Primary whose I/O is frozen (its peer lost, resource-and-stonith) does not hold it up', async () => {
    const w = make({ vgSystemId: 'node2' });
    await w.run('start');
    // r9: Primary here, its peer just lost, I/O frozen until its fence-peer handler answers. A label scan
    // that reads /dev/drbd9 waits (the fake fails it at once, naming the device).
    w.edit((s) => {
      addPrimaryR9(s, { ioFrozen: true });
      (s.lvm.vgs as Record<string, unknown>)['vg9'] = {
        drbd: 'r9',
        systemId: 'node1',
        tags: [],
        lvs: { lv0: { active: true, minor: 7 } },
      };
    });
    const before = w.calls().length;
    const r = await w.run('promote');
    expect(r.code, r.stderr).toBe(0);
    const lvmCalls = w
      .calls()
      .slice(before)
      .filter(([tool]) => ['pvs', 'vgs', 'lvs', 'vgchange', 'lvchange'].includes(tool ?? ''));
    expect(lvmCalls.length).toBeGreaterThan(3);
    // The filter check: this node's global_filter with r9's device names rejected first; the rest of
    // promote's LVM commands read r0's device only.
    const [check, ...rest] = lvmCalls;
    expect(check?.[0]).toBe('pvs');
    const config = check?.[(check?.indexOf('--config') ?? -2) + 1] ?? '';
    expect(config).toMatch(/^devices\{global_filter=\["r\|\^\/dev\/drbd9\$\|",/);
    expect(config).toContain('"a|^/dev/drbd[0-9]+$|","r|.*|"]}');
    expect(config).not.toContain('drbd0');
    for (const call of rest) {
      expect(call, 'every later LVM command of promote is kept to r0').toContain('--devices');
      expect(call[call.indexOf('--devices') + 1]).toBe('/dev/drbd0');
    }
    // The promoted monitor and the demote read r0's device only, too.
    expect((await w.run('monitor', { ...defaultParams, ...recurring })).code).toBe(8);
    const demoted = await w.run('demote');
    expect(demoted.code, demoted.stderr).toBe(0);
    expect(w.state().lvm.vgs.vg1.lvs.lv0.active).toBe(false);
    // Contrast: validate-all's full check reads every device, and waits on the frozen one.
    const full = await w.run('validate-all');
    expect(full.code).not.toBe(0);
    expect(full.stderr).toMatch(/reads \/dev\/drbd9, whose DRBD I\/O is frozen/);
  });

  it('with another DRBD device present still refuses (5) a backing disk that lvm.conf lets LVM see, changing nothing', async () => {
    const w = make({ vgSystemId: 'node2' });
    await w.run('start');
    w.edit((s) => {
      addPrimaryR9(s, { ioFrozen: false });
      s.lvm.backingVisible = true;
    });
    const before = w.rawState();
    const r = await w.run('promote');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/LVM sees volume group vg1 on \/dev\/vdb, not only on \/dev\/drbd0/);
    expect(w.calls().some(([tool, ...args]) => tool === 'pvs' && args.join(' ').includes('drbd9'))).toBe(
      true,
    );
    expect(w.rawState()).toBe(before);
  });

  it('with Consistent data forced re-reads DRBD: --force made the data UpToDate, and the score says so', async () => {
    const w = make({ disk: 'Consistent', peerReachable: false });
    const allowed = { ...defaultParams, allow_consistent: 'true' };
    await w.run('start', allowed);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10');
    const { tools } = await callsOf(w, 'promote', allowed);
    expect(tools.filter((t) => t === 'drbdsetup')).toHaveLength(2);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('of a resource already Primary reads DRBD once', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    const { tools } = await callsOf(w, 'promote');
    expect(tools.filter((t) => t === 'drbdsetup')).toHaveLength(1);
  });
});

/** Started and promoted, then the next `tries` of `drbdadm secondary` find the device held open by a scan. */
async function promotedAndHeldOpen(tries: number): Promise<World> {
  const w = make();
  await w.run('start');
  await w.run('promote');
  w.edit((s) => {
    (s.drbd.resources.r0 as { transientOpens?: number }).transientOpens = tries;
  });
  return w;
}

describe('demote', () => {
  it("reads DRBD once and, with its peer connected, writes no score: the Secondary keeps the Primary's", async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    const { tools } = await callsOf(w, 'demote');
    // Before: 7, with a vgs before the lvs and a second drbdsetup events2 before crm_attribute; then 5, with
    // a crm_attribute writing the score promote had written; then lvs where dmsetup now answers; then
    // vgchange -an where the kernel maps only closed plain LVs, whose mappings dmsetup removes.
    expect(tools).toEqual(['drbdsetup', 'dmsetup', 'dmsetup remove', 'drbdadm secondary']);
    expect(w.state().drbd.resources.r0.role).toBe('Secondary');
    expect(Object.values(w.state().lvm.vgs.vg1.lvs).some((lv) => lv.active)).toBe(false);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('leaves a subset of LVs (lvs=) to LVM: lvchange -an, no dmsetup remove', async () => {
    const w = make();
    const one = { ...defaultParams, lvs: 'lv0' };
    await w.run('start', one);
    await w.run('promote', one);
    const { tools } = await callsOf(w, 'demote', one);
    expect(tools).toEqual(['drbdsetup', 'dmsetup', 'lvchange', 'drbdadm secondary']);
    expect(w.state().drbd.resources.r0.role).toBe('Secondary');
  });

  it('asks LVM (lvs) only when the kernel counts an opener, to refuse and name the holder', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    w.holdOpen('vg1', 'lv0');
    await w.waitHeld('vg1', 'lv0');
    const before = w.calls().length;
    const r = await w.run('demote');
    expect(r.code).toBe(1);
    expect(r.reason).toContain('vg1/lv0 is open in process');
    const tools = w
      .calls()
      .slice(before)
      .map(([tool]) => tool);
    expect(tools).toEqual(['drbdsetup', 'dmsetup', 'lvs']);
    expect(w.state().drbd.resources.r0.role).toBe('Primary');
    w.releaseHolders();
  });

  it('asks LVM (lvs) when dmsetup cannot answer (no device-mapper), and demotes as before', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    w.edit((s) => {
      (s.lvm as { deviceMapper?: boolean }).deviceMapper = false;
    });
    const { tools } = await callsOf(w, 'demote');
    expect(tools).toEqual(['drbdsetup', 'dmsetup', 'lvs', 'vgchange', 'drbdadm secondary']);
    expect(w.state().drbd.resources.r0.role).toBe('Secondary');
  });

  it('writes the score when a recurring monitor of the Primary failed to: a streak is on record', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 1000;
      delete s.pacemaker.attributes['master-drbdlvm'];
    });
    // The promote's write 5 minutes in the past: the monitor writes again, and fails to.
    w.ageScoreRecord(5 * 60_000);
    const failed = await w.run('monitor', defaultParams, recurring);
    expect(failed.stderr).toMatch(/could not update the promotion score \(recurring monitor 1 in a row/);
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 0;
    });
    const { tools } = await callsOf(w, 'demote');
    expect(tools.at(-1)).toBe('crm_attribute');
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('scores the Secondary from the link read before it: UpToDate without its peer scores lower', async () => {
    const w = make({ peerReachable: false });
    await w.run('start');
    await w.run('promote');
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
    const { tools } = await callsOf(w, 'demote');
    expect(tools.filter((t) => t === 'drbdsetup')).toHaveLength(1);
    expect(tools.at(-1)).toBe('crm_attribute');
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('1000');
  });

  it('tries drbdadm secondary again while DRBD says the device is held open (a scan), and succeeds', async () => {
    const w = await promotedAndHeldOpen(2);
    const r = await w.run('demote');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('its device is held open with the volume group inactive');
    expect(r.stderr).toContain('Secondary at try 3');
    expect(w.state().drbd.resources.r0.role).toBe('Secondary');
    const tries = w.calls().filter(([tool, verb]) => tool === 'drbdadm' && verb === 'secondary');
    expect(tries).toHaveLength(3);
  });

  it('a device that stays held open fails the demote before its timeout, saying how often it tried', async () => {
    const w = await promotedAndHeldOpen(1000);
    const started = Date.now();
    const r = await w.run('demote', undefined, { OCF_RESKEY_CRM_meta_timeout: '8000' });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.reason).toMatch(
      /^drbdadm secondary r0 failed \(\d+ tries in [\d.]+ s, its device held open each time\): /,
    );
    expect(w.state().drbd.resources.r0.role).toBe('Primary');
  }, 20_000);

  it('of a resource already Secondary reads DRBD once and only scores', async () => {
    const w = make();
    await w.run('start');
    const { tools } = await callsOf(w, 'demote');
    expect(tools).toEqual(['drbdsetup', 'crm_attribute']);
  });
});

describe('stop of a Primary', () => {
  it('tries drbdadm secondary again while DRBD says the device is held open, then takes DRBD down', async () => {
    const w = await promotedAndHeldOpen(2);
    const r = await w.run('stop');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Secondary at try 3');
    expect(w.state().drbd.resources.r0.up).toBe(false);
    const tries = w.calls().filter(([tool, verb]) => tool === 'drbdadm' && verb === 'secondary');
    expect(tries).toHaveLength(3);
  });
});

describe('demote in tagging mode', () => {
  it("still asks vgs: only its report says whether the VG carries this node's tag", async () => {
    const w = make({ vgSystemId: '', volumeList: ['@node1'] });
    const tagging = { ...defaultParams, exclusivity: 'tagging', tag: 'node1' };
    await w.run('start', tagging);
    await w.run('promote', tagging);
    const { tools } = await callsOf(w, 'demote', tagging);
    expect(tools).toEqual(['drbdsetup', 'dmsetup', 'vgs', 'vgchange', 'vgchange', 'drbdadm secondary']);
    expect(w.state().lvm.vgs.vg1.tags).toEqual([]);
  });
});

describe('monitor', () => {
  it('of the promoted instance reads the LVs with lvs alone (its rows name the VG), and leaves the score the promote just wrote', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    const { code, tools } = await callsOf(w, 'monitor', defaultParams, recurring);
    expect(code).toBe(8);
    // Before: 4, with a vgs before the lvs; then 3, with the crm_attribute of a score written already.
    expect(tools).toEqual(['drbdsetup', 'lvs']);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('of the promoted instance also with the lvs parameter', async () => {
    const w = make();
    const one = { ...defaultParams, lvs: 'lv0' };
    await w.run('start', one);
    await w.run('promote', one);
    const { code, tools } = await callsOf(w, 'monitor', one, recurring);
    expect(code).toBe(8);
    expect(tools).toEqual(['drbdsetup', 'lvs']);
  });

  it('asks vgs when lvs lists no LV: a VG that is gone is still "not visible" (9)', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    w.edit((s) => {
      delete (s.lvm.vgs as Partial<typeof s.lvm.vgs>).vg1;
    });
    const before = w.calls().length;
    const r = await w.run('monitor', defaultParams, recurring);
    expect(r.code).toBe(9);
    expect(r.reason).toMatch(/promoted but volume group vg1 is not visible/);
    expect(
      w
        .calls()
        .slice(before)
        .map((c) => c[0]),
    ).toEqual(['drbdsetup', 'lvs', 'vgs']);
  });

  it('of the unpromoted instance reads DRBD, nothing else, when its score is the one start just wrote', async () => {
    const w = make();
    await w.run('start');
    const { code, tools } = await callsOf(w, 'monitor', defaultParams, recurring);
    expect(code).toBe(0);
    expect(tools).toEqual(['drbdsetup']);
  });
});

describe('the promotion score in monitors: written unless this instance wrote the same one less than 5 minutes ago', () => {
  const FIVE_MINUTES = 5 * 60_000;

  it('a recurring monitor writes it once the write on record is 5 minutes old, then leaves it again', async () => {
    const w = make();
    await w.run('start');
    await w.run('promote');
    expect(w.ageScoreRecord(FIVE_MINUTES)).toEqual(['drbdlvm:0']);
    expect((await callsOf(w, 'monitor', defaultParams, recurring)).tools).toEqual([
      'drbdsetup',
      'crm_attribute',
      'lvs',
    ]);
    w.ageScoreRecord(FIVE_MINUTES - 2000);
    expect((await callsOf(w, 'monitor', defaultParams, recurring)).tools).toEqual(['drbdsetup', 'lvs']);
  });

  it('a recurring monitor writes it when DRBD’s state changed it (the peer lost: 10000 → 1000)', async () => {
    const w = make();
    await w.run('start');
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
    w.edit((s) => {
      s.drbd.resources.r0.peer.reachable = false;
    });
    const { code, tools } = await callsOf(w, 'monitor', defaultParams, recurring);
    expect(code).toBe(190); // degraded: UpToDate, the peer lost
    expect(tools).toEqual(['drbdsetup', 'crm_attribute']);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('1000');
    // Written: the next monitor leaves it.
    expect((await callsOf(w, 'monitor', defaultParams, recurring)).tools).toEqual(['drbdsetup']);
  });

  it('a probe always writes it: a Pacemaker that restarted on this node (its transient attributes gone) probes first', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      delete s.pacemaker.attributes['master-drbdlvm'];
    });
    const { tools } = await callsOf(w, 'monitor');
    expect(tools).toEqual(['drbdsetup', 'crm_attribute']);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('a score deleted by hand comes back with the first recurring monitor after the 5 minutes', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      delete s.pacemaker.attributes['master-drbdlvm'];
    });
    await callsOf(w, 'monitor', defaultParams, recurring);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBeUndefined();
    w.ageScoreRecord(FIVE_MINUTES);
    await callsOf(w, 'monitor', defaultParams, recurring);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('10000');
  });

  it('stop leaves no record: the monitors after the next start judge by what that start wrote', async () => {
    const w = make();
    await w.run('start');
    expect(w.ageScoreRecord(0)).toEqual(['drbdlvm:0']);
    expect((await w.run('stop')).code).toBe(0);
    expect(w.ageScoreRecord(0)).toEqual([]);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBeUndefined();
  });

  it('a write that failed leaves no record: the next recurring monitor writes the same score', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 1000;
      s.drbd.resources.r0.peer.reachable = false;
    });
    const failed = await w.run('monitor', defaultParams, recurring);
    expect(failed.stderr).toMatch(/could not update the promotion score/);
    expect(w.ageScoreRecord(0)).toEqual([]);
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 0;
    });
    expect((await callsOf(w, 'monitor', defaultParams, recurring)).tools).toEqual([
      'drbdsetup',
      'crm_attribute',
    ]);
    expect(w.state().pacemaker.attributes['master-drbdlvm']).toBe('1000');
  });
});
