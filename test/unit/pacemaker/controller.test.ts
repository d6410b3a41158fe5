// Controller (crmadmin --status) on Pacemaker 2.1.5's recorded answers (test/fixtures/pacemaker-host), and
// the fence-peer tests' fake crmadmin, which prints those recordings, checked against them.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandResult, type CommandRunner } from '../../../lib/exec/command.js';
import { Controller, parseControllerStatus } from '../../../lib/pacemaker/controller.js';
import { repoRoot } from '../../helpers/paths.js';

interface Recording {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}
const recording = (name: string): Recording =>
  JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/pacemaker-host', `${name}.json`), 'utf8'),
  ) as Recording;

/** A runner that answers with one recording, and keeps the argv it was asked. */
function replay(r: Recording): { run: CommandRunner; asked: string[][] } {
  const asked: string[][] = [];
  const run: CommandRunner = (command, args) => {
    asked.push([command, ...args]);
    return Promise.resolve(
      commandResult(command, args, { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }),
    );
  };
  return { run, asked };
}

describe('Controller.status on recorded crmadmin answers', () => {
  it('crmadmin-status: the controller answers (its state is kept)', async () => {
    const rec = recording('crmadmin-status');
    const { run, asked } = replay(rec);
    expect(await new Controller({ run }).status('node1', 5)).toEqual({ answered: true, state: 'S_IDLE' });
    expect(asked).toEqual([rec.args]);
  });

  it('crmadmin-status-silent: no reply before the timeout (a partitioned or fenced peer)', async () => {
    const { run } = replay(recording('crmadmin-status-silent'));
    expect(await new Controller({ run }).status('node9', 5)).toEqual({
      answered: false,
      reason: 'No reply received from controller before timeout (5000ms)',
    });
  });

  it('crmadmin-status-down: no cluster on this node', async () => {
    const { run } = replay(recording('crmadmin-status-down'));
    expect(await new Controller({ run }).status('node1', 5)).toEqual({
      answered: false,
      reason: 'Could not connect to controller: Connection refused',
    });
  });

  it('an answer for another node, no XML, or crmadmin missing: not an answer from the node asked', async () => {
    expect(parseControllerStatus(recording('crmadmin-status').stdout, 'node2').answered).toBe(false);
    expect(parseControllerStatus('Controller on node1 in state S_IDLE: ok\n', 'node1').answered).toBe(false);
    const missing: CommandRunner = (command, args) =>
      Promise.resolve(commandResult(command, args, { missing: true }));
    expect(await new Controller({ run: missing }).status('node1', 5)).toEqual({
      answered: false,
      reason: 'crmadmin is not installed',
    });
  });

  it('asks with a whole number of seconds, at least 1 (TIMESPEC, as crmadmin 2.1.5 parses it)', async () => {
    const { run, asked } = replay(recording('crmadmin-status'));
    await new Controller({ run }).status('node1', 0.2);
    expect(asked[0]).toContain('--timeout=1s');
  });
});

describe('the fence-peer tests’ fake crmadmin = the recordings', () => {
  const fake = path.join(repoRoot, 'test/fakes/handler/crmadmin');
  it.each([
    ['ok', 'crmadmin-status'],
    ['silent', 'crmadmin-status-silent'],
    ['down', 'crmadmin-status-down'],
  ])('LXCHA_TEST_CRMADMIN=%s prints %s', (mode, name) => {
    const rec = recording(name);
    const r = spawnSync(fake, rec.args.slice(1), {
      env: { PATH: process.env.PATH, LXCHA_TEST_CRMADMIN: mode },
      encoding: 'utf8',
    });
    expect({ exitCode: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      exitCode: rec.exitCode,
      stdout: rec.stdout,
      stderr: rec.stderr,
    });
  });
  it('answers for the node it is asked about', () => {
    const out = execFileSync(fake, ['--status=node2', '--timeout=5s', '--output-as=xml'], {
      env: { PATH: process.env.PATH, LXCHA_TEST_CRMADMIN: 'ok' },
      encoding: 'utf8',
    });
    expect(parseControllerStatus(out, 'node2')).toEqual({ answered: true, state: 'S_IDLE' });
  });
});
