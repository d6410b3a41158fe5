// ocf:lxcha:drbd-lvm driven as Pacemaker drives it, against fake DRBD/LVM/Pacemaker tools that keep
// their state in a file: these prove the agent's logic and its reading of the tools' formats.
// The same behaviours on real DRBD 8.4 and LVM run in the emulated VM (test/cluster).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, recurring, World, worldPerTest } from './drbd-lvm-world.js';

const make = worldPerTest();
const promotionScore = (w: World): string | undefined => w.state().pacemaker.attributes['master-drbdlvm'];

describe.each(['8.4', '9'] as const)('DRBD %s', (module) => {
  it('start brings DRBD up and connected, never promoted, and scores UpToDate + connected peer highest', async () => {
    const w = make({ module });
    const r = await w.run('start');
    expect(r.code, r.stderr).toBe(0);
    const res = w.state().drbd.resources.r0;
    expect(res.up).toBe(true);
    expect(res.role).toBe('Secondary');
    expect(promotionScore(w)).toBe('10000');
    expect((await w.run('monitor')).code).toBe(0);
  });

  it('start applies the configuration with drbdadm adjust, also to a resource already up (StandAlone reconnects)', async () => {
    const w = make({ module });
    expect((await w.run('start')).code).toBe(0);
    const adjusts = (): number => w.calls().filter((c) => c[0] === 'drbdadm' && c.includes('adjust')).length;
    expect(adjusts()).toBe(1);
    expect(w.calls().some((c) => c[0] === 'drbdadm' && c.includes('up'))).toBe(false);
    w.edit((s) => {
      s.drbd.resources.r0.standalone = true;
    });
    const again = await w.run('start');
    expect(again.code, again.stderr).toBe(0);
    expect(adjusts()).toBe(2);
    expect(again.stderr).toMatch(/adjusted to its configuration/);
    expect(w.state().drbd.resources.r0.standalone).toBe(false);
  });

  it('start twice is fine, and stop twice is fine', async () => {
    const w = make({ module });
    expect((await w.run('start')).code).toBe(0);
    expect((await w.run('start')).code).toBe(0);
    expect((await w.run('stop')).code).toBe(0);
    expect(w.state().drbd.resources.r0.up).toBe(false);
    expect(promotionScore(w)).toBeUndefined();
    expect((await w.run('stop')).code).toBe(0);
    expect((await w.run('monitor')).code).toBe(7);
  });

  it('promote makes DRBD Primary, takes the VG from its last owner, activates it; monitor says 8', async () => {
    const w = make({ module, vgSystemId: 'node2' });
    expect((await w.run('start')).code).toBe(0);
    const r = await w.run('promote');
    expect(r.code, r.stderr).toBe(0);
    const s = w.state();
    expect(s.drbd.resources.r0.role).toBe('Primary');
    expect(s.lvm.vgs.vg1.systemId).toBe('node1');
    expect(s.lvm.vgs.vg1.lvs.lv0.active).toBe(true);
    expect((await w.run('monitor')).code).toBe(8);
    // The take-over named the old owner as an extra system ID, in one vgchange, after drbdadm primary.
    const calls = w.calls();
    const primaryAt = calls.findIndex((c) => c[0] === 'drbdadm' && c.includes('primary'));
    const takeoverAt = calls.findIndex((c) => c[0] === 'vgchange' && c.includes('--systemid'));
    expect(primaryAt).toBeGreaterThanOrEqual(0);
    expect(takeoverAt).toBeGreaterThan(primaryAt);
    expect(calls[takeoverAt]).toContain('local{extra_system_ids=["node2"]}');
  });

  it('promote twice is fine; demote then makes DRBD Secondary with the VG inactive; monitor says 0', async () => {
    const w = make({ module });
    await w.run('start');
    expect((await w.run('promote')).code).toBe(0);
    expect((await w.run('promote')).code).toBe(0);
    const r = await w.run('demote');
    expect(r.code, r.stderr).toBe(0);
    const s = w.state();
    expect(s.drbd.resources.r0.role).toBe('Secondary');
    expect(s.lvm.vgs.vg1.lvs.lv0.active).toBe(false);
    expect((await w.run('monitor')).code).toBe(0);
    expect((await w.run('demote')).code).toBe(0);
  });

  it("refuses to promote Outdated data, says why, and leaves the dead owner's VG alone", async () => {
    const w = make({ module, disk: 'Outdated', peerReachable: false, vgSystemId: 'node2' });
    expect((await w.run('start')).code).toBe(0);
    expect(promotionScore(w)).toBeUndefined();
    const before = w.state();
    const r = await w.run('promote');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/refusing to promote r0: local data is Outdated/);
    const after = w.state();
    expect(after.drbd.resources.r0.role).toBe('Secondary');
    expect(after.lvm.vgs.vg1).toEqual(before.lvm.vgs.vg1);
    expect(w.calls().some((c) => c[0] === 'vgchange')).toBe(false);
  });

  it('refuses to promote Inconsistent data', async () => {
    const w = make({ module, disk: 'Inconsistent' });
    await w.run('start');
    const r = await w.run('promote');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/Inconsistent/);
    expect(w.state().drbd.resources.r0.role).toBe('Secondary');
  });

  it('refuses Consistent data unless allow_consistent=true, and scores it only then', async () => {
    const w = make({ module, disk: 'Consistent', peerReachable: false });
    await w.run('start');
    expect(promotionScore(w)).toBeUndefined();
    const refused = await w.run('promote');
    expect(refused.code).toBe(1);
    expect(refused.reason).toMatch(/Consistent, not UpToDate.*allow_consistent/);
    const allowed = { ...defaultParams, allow_consistent: 'true' };
    expect((await w.run('monitor', allowed)).code).toBe(0);
    expect(promotionScore(w)).toBe('10');
    const r = await w.run('promote', allowed);
    expect(r.code, r.stderr).toBe(0);
    expect(w.state().drbd.resources.r0.role).toBe('Primary');
  });

  it('scores UpToDate data lower when the peer is not connected, and reports degraded (190/191) to an OCF 1.1 manager', async () => {
    const w = make({ module, peerReachable: false });
    await w.run('start');
    expect(promotionScore(w)).toBe('1000');
    expect((await w.run('monitor', defaultParams, recurring)).code).toBe(190);
    expect((await w.run('monitor', defaultParams, { ...recurring, OCF_RA_VERSION_MINOR: '0' })).code).toBe(0);
    expect((await w.run('promote')).code).toBe(0);
    expect((await w.run('monitor', defaultParams, recurring)).code).toBe(191);
    expect((await w.run('monitor', defaultParams, { ...recurring, OCF_RA_VERSION_MINOR: '0' })).code).toBe(8);
  });

  it('a probe answers 0 or 8 where a recurring monitor says degraded (Pacemaker lists a degraded probe as failed)', async () => {
    const w = make({ module, peerReachable: false });
    await w.run('start');
    const probe = await w.run('monitor');
    expect(probe.code).toBe(0);
    expect(probe.stderr).toMatch(/probe: peer not connected/);
    expect((await w.run('promote')).code).toBe(0);
    expect((await w.run('monitor')).code).toBe(8);
    expect((await w.run('monitor', defaultParams, recurring)).code).toBe(191);
  });

  it('a Primary that loses its peer keeps the top score, so promotion does not move to the stale side', async () => {
    const w = make({ module });
    await w.run('start');
    expect((await w.run('promote')).code).toBe(0);
    expect(promotionScore(w)).toBe('10000');
    w.edit((s) => {
      s.drbd.resources.r0.peer.reachable = false;
    });
    expect((await w.run('monitor', defaultParams, recurring)).code).toBe(191);
    expect(promotionScore(w)).toBe('10000');
  });

  it("monitor says 9 when the VG was deactivated behind the agent's back", async () => {
    const w = make({ module });
    await w.run('start');
    await w.run('promote');
    w.edit((s) => {
      s.lvm.vgs.vg1.lvs.lv1.active = false;
    });
    const r = await w.run('monitor');
    expect(r.code).toBe(9);
    expect(r.reason).toMatch(/volume group vg1 is not active: LV lv1 inactive/);
  });

  it("monitor says 9 when the promoted node's disk failed", async () => {
    const w = make({ module });
    await w.run('start');
    await w.run('promote');
    w.edit((s) => {
      s.drbd.resources.r0.disk = 'Diskless';
    });
    const r = await w.run('monitor');
    expect(r.code).toBe(9);
    expect(r.reason).toMatch(/local disk is Diskless/);
  });

  it('demote refuses while an LV is open and names the holding process; nothing changes', async () => {
    const w = make({ module });
    await w.run('start');
    await w.run('promote');
    const pid = w.holdOpen('vg1', 'lv0');
    await w.waitHeld('vg1', 'lv0');
    const before = w.rawState();
    const r = await w.run('demote');
    expect(r.code).toBe(1);
    expect(r.reason).toContain(`vg1/lv0 is open in process ${pid} (sleep)`);
    expect(w.rawState()).toBe(before);
    w.releaseHolders();
    expect((await w.run('demote')).code).toBe(0);
  });

  it('stop of a promoted resource demotes first, then takes DRBD down', async () => {
    const w = make({ module });
    await w.run('start');
    await w.run('promote');
    expect((await w.run('stop')).code).toBe(0);
    const s = w.state();
    expect(s.drbd.resources.r0.up).toBe(false);
    expect(s.lvm.vgs.vg1.lvs.lv0.active).toBe(false);
  });
});

describe('stop and probes where nothing can run', () => {
  it('stop succeeds when the module is not loaded, and the probe says 7', async () => {
    const w = make({ loaded: false });
    expect((await w.run('stop')).code).toBe(0);
    expect((await w.run('monitor')).code).toBe(7);
  });

  it('stop succeeds when the resource is not configured on this node', async () => {
    const w = make();
    w.edit((s) => {
      s.drbd.resources.r0.configured = false;
    });
    expect((await w.run('stop')).code).toBe(0);
    expect((await w.run('monitor')).code).toBe(7);
  });

  it('stop succeeds when the backing device is absent (start could not bring it up)', async () => {
    const w = make();
    w.edit((s) => {
      s.drbd.resources.r0.backingPresent = false;
    });
    const start = await w.run('start');
    expect(start.code).toBe(1);
    expect(start.reason).toMatch(
      /drbdadm adjust r0 failed: drbdadm failed: Command 'drbdmeta 0 v08 \/dev\/vdb internal apply-al' terminated with exit code 20/,
    );
    expect((await w.run('stop')).code).toBe(0);
  });

  it('stop succeeds when drbdadm is not installed, and the probe says 7', async () => {
    const w = make();
    const noTools = { PATH: `${w.dir}:/usr/bin:/bin` };
    expect((await w.run('stop', defaultParams, noTools)).code).toBe(0);
    expect((await w.run('monitor', defaultParams, noTools)).code).toBe(7);
    const recurring = await w.run('monitor', defaultParams, {
      ...noTools,
      OCF_RESKEY_CRM_meta_interval: '31000',
    });
    expect(recurring.code).toBe(5);
  });

  it('stop succeeds with a bad non-identity parameter (stop depends only on what identifies the resource)', async () => {
    const w = make();
    await w.run('start');
    const r = await w.run('stop', { ...defaultParams, score_uptodate_alone: 'many' });
    expect(r.code).toBe(0);
    expect(w.state().drbd.resources.r0.up).toBe(false);
  });
});

describe('tagging exclusivity', () => {
  const tagging = { ...defaultParams, exclusivity: 'tagging', tag: 'node1' };

  it("strips a dead owner's tag only after DRBD made this node Primary, then adds its own", async () => {
    const w = make({ vgTags: ['node2'], volumeList: ['@node1'], vgSystemId: '' });
    expect((await w.run('validate-all', tagging)).code).toBe(0);
    await w.run('start', tagging);
    const r = await w.run('promote', tagging);
    expect(r.code, r.stderr).toBe(0);
    expect(w.state().lvm.vgs.vg1.tags).toEqual(['node1']);
    const calls = w.calls();
    const primaryAt = calls.findIndex((c) => c[0] === 'drbdadm' && c.includes('primary'));
    const deltagAt = calls.findIndex((c) => c.includes('--deltag'));
    expect(deltagAt).toBeGreaterThan(primaryAt);
    expect(calls.findIndex((c) => c.includes('--addtag'))).toBeGreaterThan(deltagAt);
    expect((await w.run('monitor', tagging)).code).toBe(8);
    expect((await w.run('demote', tagging)).code).toBe(0);
    expect(w.state().lvm.vgs.vg1.tags).toEqual([]);
  });

  it('keeps the stale tag when promotion is refused', async () => {
    const w = make({ vgTags: ['node2'], volumeList: ['@node1'], disk: 'Outdated', vgSystemId: '' });
    await w.run('start', tagging);
    expect((await w.run('promote', tagging)).code).toBe(1);
    expect(w.state().lvm.vgs.vg1.tags).toEqual(['node2']);
  });

  it('validate-all wants volume_list to list our tag and not the VG', async () => {
    const none = make({ volumeList: null });
    expect(await none.run('validate-all', tagging)).toMatchObject({
      code: 5,
      reason: expect.stringMatching(/activation\/volume_list/) as unknown,
    });
    none.dispose();
    const both = make({ volumeList: ['vg1', '@node1'] });
    expect(await both.run('validate-all', tagging)).toMatchObject({
      code: 5,
      reason: expect.stringMatching(/every node/) as unknown,
    });
    both.dispose();
    expect(await make({ volumeList: ['@other'] }).run('validate-all', tagging)).toMatchObject({
      code: 5,
      reason: expect.stringMatching(/"@node1"/) as unknown,
    });
  });
});

describe('notify', () => {
  it('reconnects a StandAlone resource after the peer started, and re-scores', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      s.drbd.resources.r0.standalone = true;
      s.drbd.resources.r0.peer.reachable = false;
    });
    expect((await w.run('monitor', defaultParams, recurring)).code).toBe(190);
    expect(promotionScore(w)).toBe('1000');
    w.edit((s) => {
      s.drbd.resources.r0.peer.reachable = true;
    });
    const r = await w.run('notify', defaultParams, {
      OCF_RESKEY_CRM_meta_notify_type: 'post',
      OCF_RESKEY_CRM_meta_notify_operation: 'start',
      OCF_RESKEY_CRM_meta_notify_start_uname: 'node2',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(w.calls().some((c) => c[0] === 'drbdadm' && c.includes('adjust'))).toBe(true);
    expect(promotionScore(w)).toBe('10000');
  });

  it('a pre-notification changes nothing and runs no tool at all', async () => {
    const w = make();
    await w.run('start');
    const before = w.rawState();
    const calls = w.calls().length;
    for (const operation of ['start', 'promote', 'demote', 'stop']) {
      const r = await w.run('notify', defaultParams, {
        OCF_RESKEY_CRM_meta_notify_type: 'pre',
        OCF_RESKEY_CRM_meta_notify_operation: operation,
      });
      expect(r.code).toBe(0);
    }
    expect(w.rawState()).toBe(before);
    expect(w.calls().slice(calls)).toEqual([]);
  });

  it('a recurring monitor of a StandAlone resource says it will not connect and how to reconnect it', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      s.drbd.resources.r0.standalone = true;
    });
    const calls = w.calls().length;
    const r = await w.run('monitor', defaultParams, recurring);
    expect(r.code).toBe(190);
    expect(r.stderr).toMatch(/r0 is StandAlone: it does not connect to its peer;.*drbdadm adjust r0/);
    // A monitor only reports: the reconnect is the administrator's (or a post-start notification's).
    expect(
      w
        .calls()
        .slice(calls)
        .filter((c) => c[0] === 'drbdadm'),
    ).toEqual([]);
  });
});

describe('validate-all', () => {
  it('passes with a known resource and an LVM system ID, with no meta attributes at all', async () => {
    const r = await make().run('validate-all');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('answers 5, not 6, when the DRBD resource is not configured on this node', async () => {
    const w = make();
    w.edit((s) => {
      s.drbd.resources.r0.configured = false;
    });
    const r = await w.run('validate-all');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/DRBD resource r0 is not configured on this node: 'r0' not defined/);
  });

  it('answers 5 when the node has no LVM system ID in system_id mode', async () => {
    const w = make();
    w.edit((s) => {
      s.lvm.systemIdSource = 'none';
    });
    const r = await w.run('validate-all');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/system_id_source/);
  });

  it('answers 5 when drbdconf is not readable here', async () => {
    const r = await make().run('validate-all', { ...defaultParams, drbdconf: '/nonexistent/drbd.conf' });
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/drbdconf \/nonexistent\/drbd.conf is not readable/);
  });

  it.each([
    ['clone_node_max', '2', /clone-node-max=2: must be 1/],
    ['promoted_max', '2', /promoted-max=2: must be 1/],
    ['master_max', '2', /master-max=2: must be 1/],
    ['promotable', 'false', /promotable clone/],
  ])('answers 6 for clone meta %s=%s', async (name, value, reason) => {
    const r = await make().run('validate-all', defaultParams, { [`OCF_RESKEY_CRM_meta_${name}`]: value });
    expect(r.code).toBe(6);
    expect(r.reason).toMatch(reason);
  });

  it('accepts a clone without notifications (notify=false)', async () => {
    const r = await make().run('validate-all', defaultParams, { OCF_RESKEY_CRM_meta_notify: 'false' });
    expect(r.code, r.stderr).toBe(0);
  });

  it('accepts sane clone meta attributes', async () => {
    const r = await make().run('validate-all', defaultParams, {
      OCF_RESKEY_CRM_meta_notify: 'true',
      OCF_RESKEY_CRM_meta_clone_node_max: '1',
      OCF_RESKEY_CRM_meta_promoted_max: '1',
      OCF_RESKEY_CRM_meta_clone_max: '2',
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('the LVM filter: LVM must see the VG only on the DRBD device', () => {
  const backingVisible = (w: World): void =>
    w.edit((s) => {
      s.lvm.backingVisible = true;
    });
  const pvsCalls = (w: World): number => w.calls().filter((c) => c[0] === 'pvs').length;

  it('validate-all, start and promote each read the PVs once; monitor and notify never', async () => {
    const w = make();
    expect((await w.run('validate-all')).code).toBe(0);
    expect(pvsCalls(w)).toBe(1);
    expect((await w.run('start')).code).toBe(0);
    expect(pvsCalls(w)).toBe(2);
    expect((await w.run('promote')).code).toBe(0);
    expect(pvsCalls(w)).toBe(3);
    expect((await w.run('monitor')).code).toBe(8);
    const env = { OCF_RESKEY_CRM_meta_notify_type: 'post', OCF_RESKEY_CRM_meta_notify_operation: 'start' };
    expect((await w.run('notify', defaultParams, env)).code).toBe(0);
    expect(pvsCalls(w)).toBe(3);
  });

  it('validate-all and start answer 5 naming the backing disk and global_filter; DRBD stays down', async () => {
    const w = make();
    backingVisible(w);
    const before = w.rawState();
    for (const action of ['validate-all', 'start']) {
      const r = await w.run(action);
      expect(r.code, action).toBe(5);
      expect(r.reason).toMatch(
        /LVM sees volume group vg1 on \/dev\/vdb, not only on \/dev\/drbd0: set devices\/global_filter .*reject \/dev\/vdb/,
      );
    }
    expect(w.rawState()).toBe(before);
    expect(w.calls().some((c) => c[0] === 'drbdadm' && c.includes('up'))).toBe(false);
  });

  it('promote of a Secondary that sees the VG on the backing disk answers 5; DRBD stays Secondary', async () => {
    const w = make({ vgSystemId: 'node2' });
    expect((await w.run('start')).code).toBe(0);
    backingVisible(w);
    const before = w.rawState();
    const r = await w.run('promote');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/on \/dev\/vdb.*global_filter/);
    expect(w.rawState()).toBe(before);
  });

  it('promote of a Primary with duplicate PVs answers 5 naming the unused duplicate; the VG stays inactive', async () => {
    const w = make({ vgSystemId: 'node1' });
    expect((await w.run('start')).code).toBe(0);
    w.edit((s) => {
      s.drbd.resources.r0.role = 'Primary';
      s.lvm.backingVisible = true;
    });
    const r = await w.run('promote');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(
      /twice: on \/dev\/drbd0 and on \/dev\/vdb \(duplicate PVs\): set devices\/global_filter/,
    );
    expect(w.state().lvm.vgs.vg1.lvs.lv0.active).toBe(false);
    expect(w.calls().some((c) => c[0] === 'vgchange')).toBe(false);
  });

  it('names the devices file when lvm.conf uses one', async () => {
    const w = make();
    w.edit((s) => {
      s.lvm.backingVisible = true;
      s.lvm.useDevicesFile = true;
    });
    const r = await w.run('validate-all');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/remove \/dev\/vdb from LVM's devices file/);
  });
});

describe('bad parameters: the right code, a clear exit reason, and no state change', () => {
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['drbd_resource missing', { drbd_resource: undefined }, /required parameter drbd_resource is not set/],
    ['drbd_resource hostile', { drbd_resource: 'r0;reboot' }, /drbd_resource="r0;reboot": may contain only/],
    ['drbd_resource an option', { drbd_resource: '-c/etc/passwd' }, /drbd_resource=/],
    ['vgname missing', { vgname: undefined }, /required parameter vgname is not set/],
    ['vgname hostile', { vgname: 'vg1$(reboot)' }, /vgname="vg1\$\(reboot\)": may contain only/],
    ['vgname with a quote', { vgname: 'vg"]}' }, /vgname=/],
    ['vgname an option', { vgname: '--yes' }, /vgname="--yes": must not start with '-'/],
    ['drbdconf relative', { drbdconf: 'drbd.conf' }, /drbdconf="drbd.conf": is not an absolute path/],
    ['lvs hostile', { lvs: 'lv0 lv1;rm' }, /LV name 'lv1;rm'/],
    ['exclusivity unknown', { exclusivity: 'clvm' }, /exclusivity="clvm": must be one of system_id, tagging/],
    ['tag hostile', { tag: 'a b' }, /tag="a b": may contain only/],
    [
      'allow_consistent not boolean',
      { allow_consistent: 'maybe' },
      /allow_consistent="maybe": not a boolean/,
    ],
    [
      'score not an integer',
      { score_uptodate_connected: '1e9' },
      /score_uptodate_connected="1e9": not an integer/,
    ],
    ['score out of range', { score_uptodate_alone: '0' }, /must be at least 1/],
    ['connect_timeout not a duration', { connect_timeout: 'soon' }, /connect_timeout="soon": not a duration/],
    ['device_timeout out of range', { device_timeout: '0' }, /device_timeout="0": must be at least 1s/],
  ];
  const actions = ['validate-all', 'start', 'promote', 'demote', 'monitor', 'notify'];

  // One promoted world for all cases: the cases must leave it exactly as it was.
  let shared: World;
  beforeAll(async () => {
    shared = new World();
    expect((await shared.run('start')).code).toBe(0);
    expect((await shared.run('promote')).code).toBe(0);
  });
  afterAll(() => shared.dispose());

  it.each(cases)('%s → 6 for every action, nothing touched', async (_name, change, reason) => {
    const params: Record<string, string> = { ...defaultParams };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete params[k];
      else params[k] = v;
    }
    const before = shared.rawState();
    const callsBefore = shared.calls().length;
    for (const act of actions) {
      const r = await shared.run(act, params, { OCF_RESKEY_CRM_meta_interval: '29000' });
      expect(r.code, `${act}: ${r.stderr}`).toBe(6);
      expect(r.reason, act).toMatch(reason);
    }
    expect(shared.rawState()).toBe(before);
    // Not even a query reached the tools: the parameters are refused before anything runs.
    expect(shared.calls().length).toBe(callsBefore);
  });
});

describe('promotion score plumbing', () => {
  it('reload-agent applies new scores at once', async () => {
    const w = make();
    await w.run('start');
    expect(promotionScore(w)).toBe('10000');
    const r = await w.run('reload-agent', { ...defaultParams, score_uptodate_connected: '777' });
    expect(r.code, r.stderr).toBe(0);
    expect(promotionScore(w)).toBe('777');
  });

  it('crm_attribute failing outside a cluster is a warning, not a failed monitor', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      s.pacemaker.attrdDown = true;
    });
    const r = await w.run('monitor');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARN.*could not update the promotion score/);
    expect(r.reason).toBeUndefined();
  });

  it('the score goes to the clone, without the instance suffix, through --promotion', async () => {
    const w = make();
    await w.run('start');
    expect(w.calls().find((c) => c[0] === 'crm_attribute')).toEqual([
      'crm_attribute',
      '--promotion=drbdlvm',
      '--update',
      '10000',
    ]);
    expect(w.calls().some((c) => c[0] === 'crm_master')).toBe(false);
  });
});

describe('meta-data and actions', () => {
  it('an unknown action answers 3', async () => {
    expect((await make().run('migrate_to')).code).toBe(3);
  });
  it('meta-data needs no parameters and no tools', async () => {
    const r = await make().run('meta-data', {}, { PATH: path.dirname(process.execPath) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<resource-agent name="drbd-lvm"');
    expect(r.stdout).toContain('role="Promoted"');
  });
});
