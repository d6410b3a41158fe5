// A process by PID and start time (/proc/<pid>/stat): "is this still the process we signalled" without
// spawning anything, and without mistaking a new process that reused the PID for it.
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot at which the process started. */
  readonly startTicks: string;
}

/** The fields after the command name of a /proc/<pid>/stat line (the name may hold spaces and parentheses). */
export function statFields(line: string): string[] | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  return line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
}

function readStat(pid: number, proc: string): string[] | undefined {
  try {
    return statFields(readFileSync(`${proc}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The identity of a live process, or undefined when there is none (gone, or a zombie). */
export function identify(pid: number, proc = '/proc'): ProcessIdentity | undefined {
  const fields = readStat(pid, proc);
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  if (fields === undefined || fields[0] === 'Z' || fields[19] === undefined) return undefined;
  return { pid, startTicks: fields[19] };
}

/** Whether the process is still alive: same PID, same start time, not a zombie. */
export function stillRunning(process: ProcessIdentity, proc = '/proc'): boolean {
  return identify(process.pid, proc)?.startTicks === process.startTicks;
}
