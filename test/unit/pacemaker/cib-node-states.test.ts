// Cib.nodeStates, the fence-peer handler's repeated look, against Pacemaker's real cibadmin on a CIB file
// (CIB_file: no cluster is asked): the node states without their operation history, in each shape
// cibadmin answers (the status element is asked for too: a CIB with no node state still matches, and a CIB that
// cannot be reached stays an error; cibadmin answers both a match of nothing and that with 105).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../../lib/exec/sync-runner.js';
import { Cib } from '../../../lib/pacemaker/cib.js';

let dir = '';
let cibFile = '';
const cibadmin = (...args: string[]): string =>
  execFileSync('/usr/sbin/cibadmin', args, { encoding: 'utf8', env: { CIB_file: cibFile } });
const cib = (): Cib =>
  new Cib({
    run: (command, args) => Promise.resolve(runSync(command, args, 30_000, { env: { CIB_file: cibFile } })),
    cibadmin: '/usr/sbin/cibadmin',
  });
const history =
  '<lrm id="ID"><lrm_resources><lrm_resource id="r" class="ocf" provider="lxcha" type="drbd-lvm"/></lrm_resources></lrm>';
const addState = (id: number, uname: string, attrs: string): void => {
  cibadmin(
    '--create',
    '--scope',
    'status',
    '--xml-text',
    `<node_state id="${id}" uname="${uname}" ${attrs}>${history.replace('ID', String(id))}</node_state>`,
  );
};

beforeAll(() => {
  // Not a skip: without Pacemaker's tools this fails, saying what is missing (npm test installs it).
  if (!existsSync('/usr/sbin/cibadmin'))
    throw new Error('/usr/sbin/cibadmin is missing: install pacemaker (npm test does)');
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-cib-'));
  cibFile = path.join(dir, 'cib.xml');
  writeFileSync(cibFile, execFileSync('/usr/sbin/cibadmin', ['--empty'], { encoding: 'utf8' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Cib.nodeStates: the node states alone, read with cibadmin --xpath --no-children', () => {
  it('two nodes: both states, as the whole status section gives them', async () => {
    addState(1, 'node1', 'in_ccm="true" crmd="online" join="member" expected="member"');
    addState(2, 'node2', 'in_ccm="false" crmd="offline" join="down" expected="down"');
    expect(await cib().nodeStates()).toEqual([
      { uname: 'node1', online: true, member: true, expectedDown: false },
      { uname: 'node2', online: false, member: false, expectedDown: true },
    ]);
  });

  it('one node: its state', async () => {
    addState(1, 'node1', 'in_ccm="1700000000" crmd="online" join="member" expected="member"');
    expect(await cib().nodeStates()).toEqual([
      { uname: 'node1', online: true, member: true, expectedDown: false },
    ]);
  });

  it('no node state recorded yet: an empty list, not an error', async () => {
    expect(await cib().nodeStates()).toEqual([]);
  });

  it('a CIB that cannot be read is an error naming the command', async () => {
    cibFile = path.join(dir, 'missing', 'cib.xml');
    await expect(cib().nodeStates()).rejects.toThrow(
      /cibadmin --query --xpath \/cib\/status\|\/cib\/status\/node_state --no-children/,
    );
  });
});
