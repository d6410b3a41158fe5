import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify, statFields, stillRunning } from '../../../lib/system/process-identity.js';

// A /proc/<pid>/stat line as Linux prints it (fields 1–22 shown; the rest cut), the name with a space and ')'.
const stat = (state: string, start: string) =>
  `4711 (init) x) ${state} 1 4711 4711 0 -1 4194560 590 0 0 0 1 2 0 0 20 0 1 0 ${start} 2555904 214\n`;

function fakeProc(entries: Record<number, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-proc-'));
  for (const [pid, line] of Object.entries(entries)) {
    mkdirSync(path.join(dir, pid));
    writeFileSync(path.join(dir, pid, 'stat'), line);
  }
  return dir;
}

describe('a process by PID and start time', () => {
  it('reads the start time past a command name holding spaces and parentheses', () => {
    expect(statFields(stat('S', '98765'))?.[19]).toBe('98765');
    expect(identify(4711, fakeProc({ 4711: stat('S', '98765') }))).toEqual({
      pid: 4711,
      startTicks: '98765',
    });
  });
  it('a gone process, a zombie, or a new process on the same PID is not the one signalled', () => {
    const init = { pid: 4711, startTicks: '98765' };
    expect(stillRunning(init, fakeProc({ 4711: stat('S', '98765') }))).toBe(true);
    expect(stillRunning(init, fakeProc({}))).toBe(false);
    expect(stillRunning(init, fakeProc({ 4711: stat('Z', '98765') }))).toBe(false);
    expect(stillRunning(init, fakeProc({ 4711: stat('S', '99999') }))).toBe(false);
  });
  it('this very process is running, under the real /proc', () => {
    const self = identify(process.pid);
    expect(self).toBeDefined();
    expect(stillRunning(self!)).toBe(true);
  });
});
