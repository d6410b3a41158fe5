// A promotion score that cannot be set is not silence (issue 12, item 3): ocf:lxcha:drbd-lvm driven as
// Pacemaker drives it, against the fakes of test/fakes/drbd-lvm (crm_attribute included). A transient failure is
// retried and stays a warning; one that persists across recurring monitors fails the unpromoted monitor;
// probes, ocf-tester (which exports CRM_meta_interval) and crm_resource --force-check never fail for it; validate-all refuses Pacemaker < 2.1.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, ensureBuilt, removeAgentCopy, World } from './drbd-lvm-world.js';

beforeAll(ensureBuilt);
afterAll(removeAgentCopy);

let world: World | undefined;
const make = (): World => {
  world = new World();
  return world;
};
afterEach(() => {
  world?.dispose();
  world = undefined;
});

/** A recurring monitor as Pacemaker runs it: CRM_meta_interval and CRM_meta_timeout set (ms). */
const recurring = { OCF_RESKEY_CRM_meta_interval: '31000', OCF_RESKEY_CRM_meta_timeout: '20000' };
const monitor = (w: World, extra: Record<string, string> = recurring) =>
  w.run('monitor', defaultParams, extra);
const scoreCalls = (w: World): number =>
  w.calls().filter((c) => c[0] === 'crm_attribute' && !c.includes('--version')).length;
const streakFiles = (w: World): string[] => {
  const dir = path.join(w.dir, 'run', 'score-failures');
  return existsSync(dir) ? readdirSync(dir) : [];
};
const promotionScore = (w: World): string | undefined => w.state().pacemaker.attributes['master-drbdlvm'];

/** Started (score 10000), then crm_attribute fails every update from here on. */
async function startedThenFailing(kind: 'timeout' | 'cluster-down'): Promise<World> {
  const w = make();
  expect((await w.run('start')).code).toBe(0);
  w.edit((s) => {
    s.drbd.resources.r0.peer.reachable = false; // the score changes (10000 → 1000), so monitor must update it
    if (kind === 'timeout') s.pacemaker.attrdTimeouts = 1000;
    else s.pacemaker.attrdDown = true;
  });
  return w;
}

describe('a transient crm_attribute failure', () => {
  it('is retried within the monitor: rc 0, the score lands, nothing is kept under /run', async () => {
    const w = make();
    await w.run('start');
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 1;
      s.drbd.resources.r0.peer.reachable = false;
    });
    const before = scoreCalls(w);
    const r = await monitor(w);
    expect(r.code, r.stderr).toBe(190);
    expect(promotionScore(w)).toBe('1000');
    expect(scoreCalls(w) - before).toBe(2);
    expect(r.stderr).not.toMatch(/WARN.*promotion score/);
    expect(streakFiles(w)).toEqual([]);
  });

  it('that outlasts the retries is a warning with its count, rc unchanged, below the threshold', async () => {
    const w = await startedThenFailing('timeout');
    for (const n of [1, 2]) {
      const before = scoreCalls(w);
      const r = await monitor(w);
      expect(r.code, r.stderr).toBe(190);
      expect(r.reason).toBeUndefined();
      expect(r.stderr).toMatch(
        new RegExp(
          `WARN.*could not update the promotion score \\(recurring monitor ${n} in a row; 3 fail the monitor\\).*Timer expired`,
        ),
      );
      expect(scoreCalls(w) - before).toBe(3); // the first attempt and two retries
    }
    expect(streakFiles(w)).toEqual(['drbdlvm:0']);
  });

  it('outside a cluster ("Could not connect to the CIB") is not retried, and never fails a run by hand', async () => {
    const w = await startedThenFailing('cluster-down');
    for (let i = 0; i < 4; i++) {
      const before = scoreCalls(w);
      const r = await monitor(w, {}); // crm_resource --force-check, ocf-tester: no CRM_meta_interval
      expect(r.code, r.stderr).toBe(0); // a probe: 0 where a recurring monitor says degraded
      expect(r.reason).toBeUndefined();
      expect(r.stderr).toMatch(/WARN.*could not update the promotion score: .*Could not connect to the CIB/);
      expect(scoreCalls(w) - before).toBe(1);
    }
    expect(streakFiles(w)).toEqual([]);
  });
});

describe('a failure that persists across recurring monitors', () => {
  it('fails the third consecutive recurring monitor with rc 1 and a reason naming the error, the count and what to check', async () => {
    const w = await startedThenFailing('timeout');
    expect((await monitor(w)).code).toBe(190);
    expect((await monitor(w)).code).toBe(190);
    const r = await monitor(w);
    expect(r.code, r.stderr).toBe(1);
    expect(r.reason).toMatch(/promotion score of drbdlvm not set to 1000 in 3 consecutive monitors/);
    expect(r.reason).toMatch(/crm_attribute --promotion --update: crm_attribute failed: .*Timer expired/);
    expect(r.reason).toMatch(/check pacemaker-attrd and the CIB/);
    // Until a score lands, the next one fails too.
    expect((await monitor(w)).reason).toMatch(/in 4 consecutive monitors/);
  });

  it('never counts "Could not connect to the CIB": ocf-tester exports CRM_meta_interval 20000 for its monitors outside any cluster', async () => {
    const w = await startedThenFailing('cluster-down');
    // ocf-tester's environment: CRM_meta_timeout 20000, CRM_meta_interval 20000 (10000 at first).
    const ocfTester = { OCF_RESKEY_CRM_meta_interval: '20000', OCF_RESKEY_CRM_meta_timeout: '20000' };
    for (let i = 0; i < 5; i++) {
      const r = await monitor(w, ocfTester);
      expect(r.code, r.stderr).toBe(190);
      expect(r.reason).toBeUndefined();
      expect(r.stderr).toMatch(/could not update the promotion score: .*Could not connect to the CIB/);
    }
    expect(streakFiles(w)).toEqual([]);
  });

  it('never fails a probe, ocf-tester or crm_resource --force-check, even after the threshold', async () => {
    const w = await startedThenFailing('timeout');
    for (let i = 0; i < 3; i++) await monitor(w);
    for (const extra of [{}, { OCF_RESKEY_CRM_meta_interval: '0' }]) {
      const r = await monitor(w, extra);
      expect(r.code, r.stderr).toBe(0); // a probe: 0 where a recurring monitor says degraded
      expect(r.reason).toBeUndefined();
    }
    // Nor does notify or start (neither is a recurring monitor).
    const post = {
      OCF_RESKEY_CRM_meta_notify_type: 'post',
      OCF_RESKEY_CRM_meta_notify_operation: 'start',
    };
    expect((await w.run('notify', defaultParams, post)).code).toBe(0);
  });

  it('a promoted instance keeps answering 8 and says why in a warning (failing it would restart the stack on it)', async () => {
    const w = make();
    await w.run('start');
    expect((await w.run('promote')).code).toBe(0);
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 1000;
    });
    // The promote's write 5 minutes in the past: each monitor writes the score again, and fails to.
    w.ageScoreRecord(5 * 60_000);
    for (let i = 0; i < 3; i++) {
      const r = await monitor(w, { ...recurring, OCF_RESKEY_CRM_meta_interval: '29000' });
      expect(r.code, r.stderr).toBe(8);
      expect(r.reason).toBeUndefined();
    }
    expect((await monitor(w, { ...recurring, OCF_RESKEY_CRM_meta_interval: '29000' })).stderr).toMatch(
      /WARN.*in 4 consecutive monitors.*keeps answering 8/,
    );
  });

  it('a success ends the count: two failures, a success, two failures is still rc 0', async () => {
    const w = await startedThenFailing('timeout');
    await monitor(w);
    await monitor(w);
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 0;
    });
    expect((await monitor(w)).code).toBe(190);
    expect(streakFiles(w)).toEqual([]);
    w.edit((s) => {
      s.pacemaker.attrdTimeouts = 1000;
    });
    // The successful write 5 minutes in the past: the monitors write again, and fail to.
    w.ageScoreRecord(5 * 60_000);
    expect((await monitor(w)).code).toBe(190);
    const r = await monitor(w);
    expect(r.code).toBe(190);
    expect(r.stderr).toMatch(/\(recurring monitor 2 in a row; 3 fail the monitor\)/);
  });

  it('a successful monitor makes no extra tool call for the count', async () => {
    const w = make();
    await w.run('start');
    // Start's write 5 minutes in the past, so that this monitor writes the score.
    w.ageScoreRecord(5 * 60_000);
    const before = w.calls().length;
    expect((await monitor(w)).code).toBe(0);
    expect(
      w
        .calls()
        .slice(before)
        .map((c) => c[0]),
    ).toEqual(['drbdsetup', 'crm_attribute']);
  });
});

describe('validate-all and the Pacemaker version', () => {
  it('passes on Pacemaker 2.1.5 (crm_attribute --version, as recorded)', async () => {
    const w = make();
    const r = await w.run('validate-all');
    expect(r.code, r.stderr).toBe(0);
    expect(w.calls()).toContainEqual(['crm_attribute', '--version']);
  });

  it('refuses Pacemaker 2.0 with rc 5 and a reason naming the version', async () => {
    const w = make();
    w.edit((s) => {
      s.pacemaker.version = '2.0.5';
    });
    const r = await w.run('validate-all');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(
      /Pacemaker 2\.0\.5: .*crm_attribute --promotion, which needs Pacemaker 2\.1 or later/,
    );
  });
});
