// DrbdClient against recorded answers: the command lines it runs, and its events2 status checked against
// 8.4's own role/cstate/dstate recordings of the same state (read through parse-84; no client runs them).
import { describe, expect, it } from 'vitest';
import { DrbdClient } from '../../../lib/drbd/client.js';
import { parseConnectionStates, parseDiskStates, parseRoles, saysNotUp } from '../../../lib/drbd/parse-84.js';
import { linkOf, type DiskState, type DrbdRole, type LinkState } from '../../../lib/drbd/status.js';
import { ToolError } from '../../../lib/exec/tool-error.js';
import { fixture } from '../../helpers/paths.js';
import { hostRecording, recordedRunner, vmRecording, type Recording } from './recorded.js';

const fromState =
  (state: string) =>
  (command: string, args: readonly string[]): Recording | undefined => {
    const rest = args[0] === '-c' ? args.slice(2) : args;
    if (command === 'drbdsetup' && rest[0] === 'events2')
      return vmRecording('drbd-8.4', `${state}.drbdsetup-events2-now`);
    if (command === 'drbdadm' && rest[0] === 'sh-dev')
      return vmRecording('drbd-8.4', `${state}.drbdadm-sh-dev`);
    return undefined;
  };

interface Reading84 {
  readonly up: boolean;
  readonly role: DrbdRole | undefined;
  readonly disk: DiskState | undefined;
  readonly peers: readonly { link: LinkState; role: DrbdRole | undefined; disk: DiskState | undefined }[];
}

/** The state as DRBD 8.4's drbdadm role/cstate/dstate recorded it (one volume, one peer). */
function read84(state: string): Reading84 {
  const recorded = (sub: string): Recording => vmRecording('drbd-8.4', `${state}.drbdadm-${sub}`);
  const role = recorded('role');
  // role decides whether the resource is up: dstate of a down resource reads the meta data instead.
  if (role.exitCode !== 0)
    return { up: !saysNotUp(role.stderr), role: undefined, disk: undefined, peers: [] };
  const [roles] = parseRoles(role.stdout);
  const [disks] = parseDiskStates(recorded('dstate').stdout);
  const [cstate = 'StandAlone'] = parseConnectionStates(recorded('cstate').stdout);
  return {
    up: true,
    role: roles?.local,
    disk: disks?.local,
    peers: [{ link: linkOf(cstate), role: roles?.peer, disk: disks?.peer }],
  };
}

describe('DrbdClient on DRBD 8.4 recordings', () => {
  it.each([
    'secondary-connected',
    'primary-uptodate',
    'secondary-peer-primary',
    'standalone',
    'wfconnection',
    'outdated',
    'diskless',
    'peer-diskless',
  ])('%s: events2 and drbdadm role/cstate/dstate agree', async (state) => {
    const client = new DrbdClient({ run: recordedRunner(fromState(state)), procDrbd: '/nonexistent' });
    const a = await client.status('r0');
    const b = read84(state);
    expect(a.up && b.up).toBe(true);
    expect(b.role).toBe(a.role);
    expect(b.disk).toBe(a.disk);
    expect(b.peers[0]?.link).toBe(a.peers[0]?.link);
    expect(b.peers[0]?.role).toBe(a.peers[0]?.role);
    expect(b.peers[0]?.disk).toBe(a.peers[0]?.disk);
  });

  it('down: both readings say down (dstate of a down resource reads meta data and must not be trusted)', async () => {
    const client = new DrbdClient({ run: recordedRunner(fromState('down')) });
    expect((await client.status('r0')).up).toBe(false);
    expect(read84('down').up).toBe(false);
  });

  it('one child for the status: drbdsetup events2 --now RES', async () => {
    const calls: string[][] = [];
    await new DrbdClient({ run: recordedRunner(fromState('primary-uptodate'), calls) }).status('r0');
    expect(calls).toEqual([['drbdsetup', 'events2', '--now', 'r0']]);
  });

  it('drbdconf becomes drbdadm -c FILE', async () => {
    const calls: string[][] = [];
    await new DrbdClient({
      run: recordedRunner(fromState('secondary-connected'), calls),
      config: '/etc/drbd-test.conf',
    }).resourceConfig('r0');
    expect(calls).toEqual([['drbdadm', '-c', '/etc/drbd-test.conf', 'sh-dev', 'r0']]);
  });

  it('resourceConfig: known with its device, unknown from the VM recording', async () => {
    expect(await new DrbdClient({ run: recordedRunner(fromState('down')) }).resourceConfig('r0')).toEqual({
      state: 'known',
      device: '/dev/drbd0',
    });
    const unknown = await new DrbdClient({ run: recordedRunner(fromState('unknown')) }).resourceConfig(
      'nosuch',
    );
    expect(unknown).toEqual({
      state: 'unknown',
      message: "'nosuch' not defined in your config (for this host).",
    });
  });

  it('resourceConfig: unreadable configuration (host recording)', async () => {
    const client = new DrbdClient({
      run: recordedRunner(() => hostRecording('drbd-host', 'dump-no-config')),
    });
    expect(await client.resourceConfig('r0')).toEqual({
      state: 'unreadable',
      message: "Can not open '/nonexistent/drbd.conf'. .",
    });
  });

  it('a missing drbdsetup is a ToolError that says so', async () => {
    const client = new DrbdClient({ run: recordedRunner(() => undefined) });
    const error = await client.status('r0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).result.missing).toBe(true);
  });
});

describe('DrbdClient.secondary: drbdsetup per minor on DRBD 8.4, drbdadm otherwise', () => {
  // /proc/drbd as recorded on the VMs' 8.4.11 module; the recordings of drbdsetup secondary MINOR.
  const proc84 = fixture('drbd-8.4', 'primary-uptodate.proc-drbd.stdout');
  const answering =
    (name: string) =>
    (command: string, args: readonly string[]): Recording | undefined =>
      command === 'drbdsetup' && args[0] === 'secondary' ? vmRecording('drbd-8.4', name) : undefined;

  it('8.4: one drbdsetup secondary MINOR per minor, without drbdadm (which reads drbd.conf first)', async () => {
    const calls: string[][] = [];
    const client = new DrbdClient({
      run: recordedRunner(answering('primary-uptodate.drbdsetup-secondary'), calls),
      procDrbd: proc84,
    });
    expect(await client.kernelVersion()).toBe('8.4.11');
    expect((await client.secondary('r0', [0, 1])).ok).toBe(true);
    expect(calls).toEqual([
      ['drbdsetup', 'secondary', '0'],
      ['drbdsetup', 'secondary', '1'],
    ]);
  });

  it("8.4: the first volume DRBD refuses ends it, with DRBD's own refusal (held open, as recorded)", async () => {
    const calls: string[][] = [];
    const client = new DrbdClient({
      run: recordedRunner(answering('held-open.drbdsetup-secondary'), calls),
      procDrbd: proc84,
    });
    const r = await client.secondary('r0', [0, 1]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/held open/i);
    expect(calls).toEqual([['drbdsetup', 'secondary', '0']]);
  });

  it('no module (no /proc/drbd) or no minor known: drbdadm secondary RES, with -c when drbdconf is set', async () => {
    const calls: string[][] = [];
    const run = recordedRunner(() => ({ stdout: '', stderr: '', exitCode: 0 }), calls);
    await new DrbdClient({ run, procDrbd: '/nonexistent' }).secondary('r0', [0]);
    await new DrbdClient({ run, procDrbd: proc84 }).secondary('r0');
    await new DrbdClient({ run, procDrbd: proc84, config: '/etc/drbd-x.conf' }).secondary('r0', []);
    expect(calls).toEqual([
      ['drbdadm', 'secondary', 'r0'],
      ['drbdadm', 'secondary', 'r0'],
      ['drbdadm', '-c', '/etc/drbd-x.conf', 'secondary', 'r0'],
    ]);
  });
});
