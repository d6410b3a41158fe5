// test:vagrant's readings of the machines (test/vagrant/scenarios.ts), on recorded Pacemaker 2.1.5 output
// (test/fixtures/vagrant/README.md): these prove the parsing; test:vagrant itself proves the behaviour.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failedActions, fenceEvents, guestTime, lastPromote } from '../../vagrant/scenarios.js';
import { shellQuote } from '../../vagrant/vagrant.js';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/vagrant', name), 'utf8');

describe('test:vagrant readings', () => {
  it("reads the fence history's successful reboot of node2, with its delegate and completion time", () => {
    const events = fenceEvents(fixture('fence-history.xml'), 'node2');
    expect(events).toEqual([{ completed: Date.parse('2026-12-03T13:19:05Z'), delegate: 'node1' }]);
    expect(fenceEvents(fixture('fence-history.xml'), 'node1')).toEqual([]);
  });

  it('ignores a fence event that did not succeed', () => {
    const failed = fixture('fence-history.xml').replace('status="success"', 'status="failed"');
    expect(fenceEvents(failed, 'node2')).toEqual([]);
  });

  it("finds the last promote in crm_mon's operation history, by primitive id (clone instances too)", () => {
    const mon = fixture('crm_mon-operations.xml');
    expect(lastPromote(mon, 'node1', 'p_drbdlvm_r1')).toBe(Date.parse('2026-12-03T13:19:05Z'));
    expect(lastPromote(mon, 'node1', 'p_drbdlvm_r0')).toBe(Date.parse('2026-12-03T13:19:06Z'));
    expect(
      lastPromote(
        mon.replace('<resource_history id="p_drbdlvm_r1"', '<resource_history id="p_drbdlvm_r1:0"'),
        'node1',
        'p_drbdlvm_r1',
      ),
    ).toBe(Date.parse('2026-12-03T13:19:05Z'));
    expect(lastPromote(mon, 'node2', 'p_drbdlvm_r1')).toBeUndefined();
    expect(lastPromote(mon, 'node1', 'p_drbdlvm')).toBeUndefined();
    expect(lastPromote(mon, 'node1', 'p_ct3')).toBeUndefined();
  });

  it('names the device pacemaker-fenced used, as the fencing check reads it', () => {
    expect(fixture('fenced-node2.log')).toMatch(/targeting node2 using st_sbd returned 0/);
  });

  it("reads both of Pacemaker's time formats as UTC", () => {
    expect(guestTime('Thu Dec  3 13:08:37 2026')).toBe(Date.parse('2026-12-03T13:08:37Z'));
    expect(guestTime('2026-12-03 13:06:15Z')).toBe(Date.parse('2026-12-03T13:06:15Z'));
  });

  it("lists crm_mon's failed actions (a degraded recurring monitor is one), and none without them", () => {
    const mon = fixture('crm_mon-operations.xml');
    expect(failedActions(mon)).toEqual([
      'p_drbdlvm_r0_monitor_29000 on node1: promoted (degraded)',
      'p_drbdlvm_r1_monitor_29000 on node1: promoted (degraded)',
    ]);
    expect(failedActions(mon.replace(/<failures>[\s\S]*<\/failures>/, ''))).toEqual([]);
  });

  it('quotes arguments for the remote shell only where needed', () => {
    expect(shellQuote('crm_mon')).toBe('crm_mon');
    expect(shellQuote('--output-as=xml')).toBe('--output-as=xml');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
