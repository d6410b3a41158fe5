// The cluster harness's per-action table (test/cluster/action-times.ts): Pacemaker's execution times read
// from pacemaker.log, each operation given to its stack by resource id and agent, both stacks side by side.
import { describe, expect, it } from 'vitest';
import {
  actionTable,
  actionTimes,
  attribute,
  readableIntervalMs,
  type FinishedOperation,
} from '../../cluster/action-times.js';

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
      op('p_drbd_r0', 'monitor', 100, { exitStatus: 7 }),
      op('p_drbd_r0', 'monitor', 300, { exitStatus: 8 }),
    ]);
    expect(table.get('monitor (DRBD)')?.[1]).toBe('0.2 s (2 calls, 0.1 s–0.3 s, 0.4 s in all)');
  });
});
