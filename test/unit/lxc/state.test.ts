import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInitPid, parseStateResult } from '../../../lib/lxc/state.js';
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
});
