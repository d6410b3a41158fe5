import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInitPid, parseStateAndPid, parseStateResult } from '../../../lib/lxc/state.js';
import { commandResult } from '../../../lib/exec/command.js';
import { fixture } from '../../helpers/paths.js';

describe('lxc-info parsing', () => {
  const result = (stdout: string, exitCode: number, stderr = '') =>
    commandResult('lxc-info', [], {
      exitCode,
      signal: undefined,
      stdout,
      stderr,
      timedOut: false,
      missing: false,
    });
  it('reads states and an absent container (recorded stderr)', () => {
    expect(parseStateResult(result('RUNNING\n', 0))).toEqual({ kind: 'state', state: 'RUNNING' });
    expect(
      parseStateResult(result('', 1, readFileSync(fixture('host/lxc-info-absent.stderr'), 'utf8'))),
    ).toEqual({ kind: 'state', state: 'ABSENT' });
    expect(parseStateResult({ ...result('', 1), missing: true })).toEqual({ kind: 'tools-missing' });
    expect(parseStateResult(result('WEIRD', 0)).kind).toBe('error');
    expect(parseInitPid('15162\n')).toBe(15162);
    expect(parseInitPid('')).toBeUndefined();
  });

  it('reads state and init PID from one labelled `lxc-info -s -p -H` (recorded output)', () => {
    const recorded = (name: string) =>
      readFileSync(fixture(`host/lxc-info-state-pid-${name}.stdout`), 'utf8');
    expect(parseStateAndPid(result(recorded('running'), 0))).toEqual({
      query: { kind: 'state', state: 'RUNNING' },
      pid: 656,
    });
    expect(parseStateAndPid(result(recorded('frozen'), 0))).toEqual({
      query: { kind: 'state', state: 'FROZEN' },
      pid: 656,
    });
    expect(parseStateAndPid(result(recorded('stopped'), 0))).toEqual({
      query: { kind: 'state', state: 'STOPPED' },
      pid: undefined,
    });
  });
  it('a failed or unlabelled `lxc-info -s -p -H` is absent, missing or an error, never a PID', () => {
    const absent = readFileSync(fixture('host/lxc-info-absent.stderr'), 'utf8');
    expect(parseStateAndPid(result('', 1, absent))).toEqual({
      query: { kind: 'state', state: 'ABSENT' },
      pid: undefined,
    });
    expect(parseStateAndPid({ ...result('', 1), missing: true }).query).toEqual({ kind: 'tools-missing' });
    expect(parseStateAndPid(result('RUNNING\n656\n', 0)).query.kind).toBe('error');
    expect(parseStateAndPid(result('State: WEIRD\nPID: 656\n', 0)).query.kind).toBe('error');
    expect(parseStateAndPid(result('State: RUNNING\nPID: 1\n', 0)).pid).toBeUndefined();
  });
});
