// The cluster harness's per-action table (test/cluster/action-times.ts): Pacemaker's execution times read
// from pacemaker.log, each operation given to its stack by resource id and agent, both stacks side by side.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actionTable,
  actionTimes,
  attribute,
  logTimeMs,
  parsePacemakerLog,
  readableIntervalMs,
  sharedScenarios,
  withinScenarios,
  type FinishedOperation,
  type ScenarioWindow,
} from '../../cluster/action-times.js';
import { fixture } from '../../helpers/paths.js';

describe("Pacemaker's readable intervals", () => {
  it("read as pcmk__readable_interval writes them (its own unit test's values, Pacemaker 2.1.5)", () => {
    expect(readableIntervalMs('0s')).toBe(0);
    expect(readableIntervalMs('30s')).toBe(30_000);
    expect(readableIntervalMs('2m30s')).toBe(150_000);
    expect(readableIntervalMs('3.333s')).toBe(3333);
    expect(readableIntervalMs('49d17h2m47.295s')).toBe(4_294_967_295);
  });

  it('read milliseconds, whole minutes and a minute and a second as that function writes them', () => {
    expect(readableIntervalMs('420ms')).toBe(420);
    expect(readableIntervalMs('1000ms')).toBe(1000);
    expect(readableIntervalMs('2m')).toBe(120_000);
    expect(readableIntervalMs('1m1.050s')).toBe(61_050);
  });

  it('refuse what is not one', () => {
    for (const text of ['', 's', '1.5s', '3 s', '2ms30s', 'soon'])
      expect(readableIntervalMs(text)).toBeUndefined();
  });
});

const op = (
  resource: string,
  action: string,
  ms: number,
  more: Partial<FinishedOperation> = {},
): FinishedOperation => ({
  source: 'execd',
  node: 'node1',
  at: 'Dec 02 02:30:00.000',
  resource,
  action,
  call: 1,
  // An operation that could not be executed has no exit status.
  ...(more.notExecuted === undefined ? { exitStatus: 0 } : {}),
  ms,
  queuedMs: 0,
  ...more,
});

describe('each operation', () => {
  it("belongs to the stack whose own id it is: the promotable DRBD primitive, the anchor's LVM-activate", () => {
    expect(attribute(op('p_drbdlvm_r0', 'notify', 1))).toEqual({ stack: 'lxcha', kind: 'drbd' });
    expect(attribute(op('p_drbd_r1', 'demote', 1))).toEqual({ stack: 'anchor', kind: 'drbd' });
    expect(attribute(op('p_vg_lxc2', 'stop', 1))).toEqual({ stack: 'anchor', kind: 'volumeGroup' });
  });

  it('of a container belongs to the stack whose agent the log named for it, as both stacks use its id', () => {
    expect(attribute(op('p_ct1', 'stop', 1, { agent: 'ocf:lxcha:lxc' }))).toEqual({
      stack: 'lxcha',
      kind: 'container',
    });
    expect(attribute(op('p_ct3', 'start', 1, { agent: 'ocf:heartbeat:lxc' }))).toEqual({
      stack: 'anchor',
      kind: 'container',
    });
    expect(attribute(op('p_ct1', 'stop', 1))).toBeUndefined();
  });

  it('of any other resource is in no row (the filesystem is the same agent in both stacks, the fence device in neither)', () => {
    expect(attribute(op('p_fs_lxc1', 'start', 1, { agent: 'ocf:heartbeat:Filesystem' }))).toBeUndefined();
    expect(attribute(op('st_lxcha', 'start', 1, { agent: 'stonith:fence_lxcha' }))).toBeUndefined();
  });
});

describe('the table', () => {
  const rows = (ops: FinishedOperation[]): Map<string, string[]> =>
    new Map(
      actionTable(actionTimes(ops).times)
        .split('\n')
        .slice(2)
        .map((line) => line.split(' | ').map((c) => c.replace(/^\| | \|$/g, '')))
        .map(([action = '', ...cells]) => [action, cells]),
    );

  it('sets each stack beside the other: average, calls, range and total of the DRBD notifications', () => {
    const table = rows([
      op('p_drbdlvm_r0', 'notify', 10_000),
      op('p_drbdlvm_r1', 'notify', 14_000),
      op('p_drbd_r0', 'notify', 5_000),
    ]);
    expect(table.get('DRBD notify (calls)')).toEqual([
      '12.0 s (2 calls, 10.0 s–14.0 s, 24.0 s in all)',
      '5.0 s (1 call)',
      '2.40×',
    ]);
  });

  it("puts lxcha's demote beside the anchor's drbd demote plus LVM-activate stop, and compares with their sum", () => {
    const table = rows([
      op('p_drbdlvm_r0', 'demote', 9_000),
      op('p_drbd_r0', 'demote', 4_000),
      op('p_vg_lxc1', 'stop', 2_000),
      op('p_vg_lxc2', 'stop', 4_000),
    ]);
    expect(table.get('demote')).toEqual([
      '9.0 s (1 call)',
      '4.0 s drbd (1 call) + 3.0 s LVM-activate stop (2 calls, 2.0 s–4.0 s)',
      '1.29×',
    ]);
    expect(table.get('LVM-activate stop')?.[0]).toBe('— (in drbd-lvm)');
  });

  it('counts the calls that failed and leaves the ratio out when a stack logged none', () => {
    const table = rows([
      op('p_ct1', 'stop', 120_000, { agent: 'ocf:lxcha:lxc', notExecuted: 'Timed Out' }),
      op('p_ct2', 'stop', 30_000, { agent: 'ocf:lxcha:lxc' }),
    ]);
    expect(table.get('container stop')).toEqual([
      '75.0 s (2 calls, 30.0 s–120.0 s, 150 s in all, 1 failed)',
      'none logged',
      '',
    ]);
  });

  it('counts a probe that finds a resource stopped, or a monitor that finds it promoted, as no failure', () => {
    const table = rows([
      op('p_drbd_r0', 'monitor', 100, { source: 'cib', exitStatus: 7 }),
      op('p_drbd_r0', 'monitor', 300, { source: 'cib', exitStatus: 8 }),
    ]);
    expect(table.get('monitor (DRBD)')?.[1]).toBe('0.2 s (2 calls, 0.1 s–0.3 s, 0.4 s in all)');
  });

  it("counts OCF 1.1's degraded 190 and 191 as no failure, a monitor's 1 or 9 as one", () => {
    const table = rows([
      op('p_drbdlvm_r0', 'monitor', 100, { source: 'cib', exitStatus: 190 }),
      op('p_drbdlvm_r0', 'monitor', 100, { source: 'cib', exitStatus: 191 }),
      op('p_drbdlvm_r0', 'monitor', 100, { source: 'cib', exitStatus: 9 }),
      op('p_drbdlvm_r0', 'monitor', 100, { source: 'cib', exitStatus: 1 }),
    ]);
    expect(table.get('monitor (DRBD)')?.[0]).toBe('0.1 s (4 calls, 0.1 s–0.1 s, 0.4 s in all, 2 failed)');
  });
});

describe('pacemaker.log as Pacemaker 2.1.5 writes it (test/fixtures/pacemaker-log, lines of a real run)', () => {
  const node1 = readFileSync(fixture('pacemaker-log', 'node1.pacemaker.log'), 'utf8');
  const node2 = readFileSync(fixture('pacemaker-log', 'node2.pacemaker.log'), 'utf8');
  const brief = (ops: FinishedOperation[]): string[] =>
    ops.map(
      (o) =>
        `${o.source} ${o.node} ${o.resource} ${o.action} call ${o.call}: ${o.exitStatus ?? o.notExecuted ?? ''} in ${o.ms} ms (${o.agent ?? 'no agent'})`,
    );

  it("yields execd's finished operations, with and without PID and queue time, and the CIB's recurring monitor results", () => {
    expect(brief(parsePacemakerLog(node1, 'node1'))).toEqual([
      'execd node1 st_lxcha start call 6: 0 in 7635 ms (stonith:fence_lxcha)',
      'execd node1 p_ct1 stop call 36: 0 in 65738 ms (ocf:lxcha:lxc)',
      'execd node1 p_drbdlvm_r0 start call 48: 0 in 109418 ms (ocf:lxcha:drbd-lvm)',
      'execd node1 p_drbdlvm_r0 notify call 50: 0 in 73776 ms (ocf:lxcha:drbd-lvm)',
      'execd node1 p_drbdlvm_r0 promote call 53: 0 in 58071 ms (ocf:lxcha:drbd-lvm)',
      'execd node1 p_drbdlvm_r0 notify call 55: 0 in 63890 ms (ocf:lxcha:drbd-lvm)',
      'cib node2 p_drbdlvm_r1 monitor call 45: 8 in 58998 ms (ocf:lxcha:drbd-lvm)',
      'execd node1 p_fs_lxc1 start call 57: 0 in 43391 ms (no agent)',
      'cib node1 p_drbdlvm_r1 monitor call 56: Timed Out in 90995 ms (ocf:lxcha:drbd-lvm)',
    ]);
  });

  it('reads the queue time apart from the execution time', () => {
    const stop = parsePacemakerLog(node1, 'node1').find((o) => o.action === 'stop');
    expect(stop).toMatchObject({
      ms: 65_738,
      queuedMs: 16,
      exitStatus: 0,
      call: 36,
      at: 'Dec 02 02:20:59.268',
    });
  });

  it('names the node of a monitor result by the node_state its pending entry named, in either log', () => {
    const monitors = parsePacemakerLog(node2, 'node2').filter((o) => o.action === 'monitor');
    expect(brief(monitors)).toEqual([
      'cib node2 p_drbdlvm_r1 monitor call 45: 8 in 58998 ms (ocf:lxcha:drbd-lvm)',
    ]);
  });

  it('gives an operation the agent the log named last for its id: a stack replaced by another under the same ids', () => {
    // The real primitive line of p_ct1, then the same line edited to the anchor's agent (no anchor line was recorded).
    const defined = node1.split('\n').find((l) => l.includes('<primitive id="p_ct1"')) ?? '';
    const stop = node1.split('\n').find((l) => l.includes('p_ct1 stop (call 36')) ?? '';
    const replaced = defined.replace('provider="lxcha"', 'provider="heartbeat"');
    const ops = parsePacemakerLog([defined, stop, replaced, stop].join('\n'), 'node1');
    expect(ops.map((o) => o.agent)).toEqual(['ocf:lxcha:lxc', 'ocf:heartbeat:lxc']);
    expect(ops.map((o) => attribute(o)?.stack)).toEqual(['lxcha', 'anchor']);
  });

  it("make lxcha's column of the table from both nodes, each monitor result counted once", () => {
    const { times, unattributed } = actionTimes([
      ...parsePacemakerLog(node1, 'node1'),
      ...parsePacemakerLog(node2, 'node2'),
    ]);
    expect(unattributed).toBe(0);
    const table = actionTable(times).split('\n');
    expect(table).toContain(
      '| DRBD notify (calls) | 51.1 s (3 calls, 15.7 s–73.8 s, 153 s in all) | none logged |  |',
    );
    expect(table).toContain(
      '| promote | 47.7 s (2 calls, 37.3 s–58.1 s, 95.4 s in all) | no drbd logged + no LVM-activate start logged |  |',
    );
    expect(table).toContain('| container stop | 65.7 s (1 call) | none logged |  |');
    expect(table).toContain(
      '| monitor (DRBD) | 75.0 s (2 calls, 59.0 s–91.0 s, 150 s in all, 1 failed) | none logged |  |',
    );
  });
});

describe("the controller's meta-data waits (test/fixtures/pacemaker-log/metadata-node1.pacemaker.log, real lines)", () => {
  const log = readFileSync(fixture('pacemaker-log', 'metadata-node1.pacemaker.log'), 'utf8');
  const waits = parsePacemakerLog(log, 'node1').filter((o) => o.action === 'meta-data');

  it('pairs each "Retrieving metadata" with the operation the controller then hands to execd', () => {
    expect(waits.map((o) => `${o.resource} ${o.agent ?? ''} ${o.ms} ms at ${o.at}`)).toEqual([
      'p_drbdlvm_r0 ocf:lxcha:drbd-lvm 6308 ms at Dec 06 03:13:18.196',
      'p_ct1 ocf:lxcha:lxc 10144 ms at Dec 06 03:19:38.440',
      'p_ct1 ocf:heartbeat:lxc 856 ms at Dec 06 03:30:55.440',
    ]);
    expect(waits.every((o) => o.source === 'controld')).toBe(true);
  });

  it('counts no wait for an operation without meta-data asked for first (demote, monitor)', () => {
    expect(waits.filter((o) => o.resource === 'p_drbdlvm_r0')).toHaveLength(1);
  });

  it('sets both stacks side by side in their own rows', () => {
    const table = actionTable(actionTimes(parsePacemakerLog(log, 'node1')).times).split('\n');
    expect(table).toContain('| meta-data wait (container) | 10.1 s (1 call) | 0.9 s (1 call) | 11.85× |');
    expect(table).toContain('| meta-data wait (DRBD) | 6.3 s (1 call) | none logged |  |');
  });

  it('a wait across the year turn counts the seconds between, whatever the year', () => {
    const turn = [
      'Dec 31 23:59:59.500 node1 pacemaker-controld  [1983] (do_lrm_invoke) \tinfo: Retrieving metadata for p_ct1 (ocf:lxcha:lxc) asynchronously',
      'Jan 01 00:00:01.000 node1 pacemaker-controld  [1983] (do_lrm_rsc_op) \tnotice: Requesting local execution of start operation for p_ct1 on node1 | x',
    ].join('\n');
    expect(parsePacemakerLog(turn, 'node1').map((o) => o.ms)).toEqual([1500]);
  });
});

describe('the like-for-like table: only the scenarios both stacks ran', () => {
  const t = (hms: string): number => Date.parse(`2026-12-04T${hms}Z`);
  const windows: ScenarioWindow[] = [
    { stack: 'lxcha', scenario: 'switchover', fromMs: t('19:10:00'), toMs: t('19:11:00') },
    { stack: 'lxcha', scenario: 'remove', fromMs: t('19:20:00'), toMs: t('19:21:00') },
    { stack: 'anchor', scenario: 'switchover', fromMs: t('19:22:00'), toMs: t('19:23:00') },
  ];

  it("reads the guests' UTC log timestamps in the year of the run, and the year before across New Year", () => {
    expect(logTimeMs('Dec 04 19:10:56.780', t('19:00:00'))).toBe(Date.parse('2026-12-04T19:10:56.780Z'));
    expect(logTimeMs('Dec  4 19:10:56', t('19:00:00'))).toBe(Date.parse('2026-12-04T19:10:56Z'));
    expect(logTimeMs('Dec 31 23:59:59.500', Date.parse('2027-01-01T00:00:10Z'))).toBe(
      Date.parse('2026-12-31T23:59:59.500Z'),
    );
    expect(logTimeMs('Foo 04 19:10:56', t('19:00:00'))).toBeUndefined();
  });

  it('names the scenarios both stacks ran', () => {
    expect(sharedScenarios(windows)).toEqual(['switchover']);
  });

  it("keeps an operation only inside a window of its own stack's shared scenarios (±1 s)", () => {
    const at = (hms: string) => `Dec 04 ${hms}`;
    const ops = [
      op('p_drbdlvm_r0', 'demote', 3620, { at: at('19:10:56.780') }), // lxcha, switchover: kept
      op('p_drbdlvm_r0', 'demote', 8227, { at: at('19:20:11.984') }), // lxcha, remove: not shared
      op('p_drbdlvm_r1', 'demote', 5832, { at: at('19:11:00.900') }), // within the second of slack: kept
      op('p_drbd_r0', 'demote', 2463, { at: at('19:22:52.272') }), // anchor, switchover: kept
      op('p_drbd_r0', 'demote', 2000, { at: at('19:10:30.000') }), // anchor's id in lxcha's window: not kept
    ];
    const kept = withinScenarios(ops, windows, sharedScenarios(windows)).map((o) => o.ms);
    expect(kept).toEqual([3620, 5832, 2463]);
    expect(withinScenarios(ops, [], [])).toEqual([]);
  });
});
