// DrbdClient against recorded answers: the command lines it runs, and the same status read two ways
// (events2 and 8.4's role/cstate/dstate) from real DRBD 8.4 recordings.
import { describe, expect, it } from 'vitest';
import { DrbdClient } from '../../../lib/drbd/client.js';
import { ToolError } from '../../../lib/exec/tool-error.js';
import { hostRecording, recordedRunner, vmRecording, type Recording } from './recorded.js';

const fromState =
  (state: string) =>
  (command: string, args: readonly string[]): Recording | undefined => {
    const rest = args[0] === '-c' ? args.slice(2) : args;
    if (command === 'drbdsetup' && rest[0] === 'events2')
      return vmRecording('drbd-8.4', `${state}.drbdsetup-events2-now`);
    if (command === 'drbdadm' && ['role', 'cstate', 'dstate', 'sh-dev', 'dump'].includes(rest[0] ?? ''))
      return vmRecording('drbd-8.4', `${state}.drbdadm-${rest[0] ?? ''}`);
    return undefined;
  };

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
    const b = await client.statusViaDrbdadm('r0');
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
    expect((await client.statusViaDrbdadm('r0')).up).toBe(false);
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
