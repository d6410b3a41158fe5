// Reads recorded tool outputs: the VMs' NAME.stdout/.stderr files (exit codes from their README table)
// and this host's NAME.json recordings, and serves them as a CommandRunner keyed by the arguments.
import { existsSync, readFileSync } from 'node:fs';
import { commandResult, type CommandResult, type CommandRunner } from '../../../lib/exec/command.js';
import { fixture } from '../../helpers/paths.js';

export interface Recording {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** A recording from the VMs (test/fixtures/drbd-8.4, test/fixtures/lvm). */
export function vmRecording(dir: 'drbd-8.4' | 'lvm', name: string): Recording {
  const stdoutFile = fixture(dir, `${name}.stdout`);
  if (!existsSync(stdoutFile) && !existsSync(fixture(dir, `${name}.stderr`)))
    throw new Error(`no recording ${dir}/${name}`);
  const table = read(fixture(dir, 'README.md'));
  const row = table.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
  const code = row?.split('|').map((c) => c.trim())[3];
  return {
    stdout: read(stdoutFile),
    stderr: read(fixture(dir, `${name}.stderr`)),
    exitCode: Number(code ?? 0),
  };
}

/** A recording made on this host (test/fixtures/drbd-host, lvm-host, pacemaker-host). */
export function hostRecording(dir: 'drbd-host' | 'lvm-host' | 'pacemaker-host', name: string): Recording {
  const j = JSON.parse(readFileSync(fixture(dir, `${name}.json`), 'utf8')) as {
    stdout: string;
    stderr: string;
    exitCode: number;
  };
  return { stdout: j.stdout, stderr: j.stderr, exitCode: j.exitCode };
}

export function asResult(command: string, args: readonly string[], r: Recording): CommandResult {
  return {
    command,
    args,
    exitCode: r.exitCode,
    signal: undefined,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: false,
    missing: false,
    ok: r.exitCode === 0,
  };
}

/** A runner answering from recordings: `match` picks the recording for a command line (undefined: missing tool). */
export function recordedRunner(
  match: (command: string, args: readonly string[]) => Recording | undefined,
  calls: string[][] = [],
): CommandRunner {
  return (command, args) => {
    calls.push([command, ...args]);
    const r = match(command, args);
    if (r === undefined) return Promise.resolve(commandResult(command, args, { missing: true }));
    return Promise.resolve(asResult(command, args, r));
  };
}
