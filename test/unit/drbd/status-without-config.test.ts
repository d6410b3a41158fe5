// DrbdClient owns events2's "cannot read drbd.conf" answer: down when /proc/drbd shows no configured
// device, a ToolError naming the ambiguity when one is; the boundary maps ToolErrors onto OCF codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrbdClient } from '../../../lib/drbd/client.js';
import { commandResult, type CommandRunner } from '../../../lib/exec/command.js';
import { ToolError } from '../../../lib/exec/tool-error.js';
import { activationRefusal } from '../../../lib/lvm/report.js';
import { OcfExit } from '../../../lib/ocf/exit-codes.js';
import { toolFailure } from '../../../lib/ocf/tool-failure.js';

const unreadable: CommandRunner = (command, args) =>
  Promise.resolve(
    commandResult(command, args, {
      exitCode: 20,
      stderr: "sh: 1: modinfo: not found\nCan not open '/nonexistent/drbd.conf'.\n.\n",
    }),
  );

function procDrbd(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lxcha-proc-')), 'drbd');
  writeFileSync(file, text);
  return file;
}

describe('DrbdClient.status without a readable drbd.conf', () => {
  it('is down, with a warning, when no DRBD device is configured', async () => {
    const warnings: string[] = [];
    const client = new DrbdClient({
      run: unreadable,
      procDrbd: procDrbd('version: 8.4.11 (api:1/proto:86-101)\n'),
      warn: (m) => warnings.push(m),
    });
    expect((await client.status('r0')).up).toBe(false);
    expect(warnings).toEqual([
      "DRBD configuration unreadable (Can not open '/nonexistent/drbd.conf'.); no DRBD device is configured, so r0 is down",
    ]);
  });

  it('cannot tell, as a ToolError mapped onto rc 1, when a device is configured', async () => {
    const client = new DrbdClient({
      run: unreadable,
      procDrbd: procDrbd(' 0: cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate C r-----\n'),
    });
    const error = await client.status('r0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect(toolFailure(error)).toMatchObject({
      code: OcfExit.ERR_GENERIC,
      reason: 'DRBD configuration unreadable and 1 DRBD device(s) configured: cannot tell whether r0 runs',
    });
  });
});

describe('the boundary mapping of tool failures', () => {
  it('a missing tool is 5, another failure 1 quoting the tool, anything else is not a tool failure', () => {
    const missing = new ToolError(commandResult('drbdadm', [], { missing: true }), 'drbdadm up');
    expect(toolFailure(missing)).toMatchObject({
      code: OcfExit.ERR_INSTALLED,
      reason: 'drbdadm is not installed on this node',
    });
    const failed = new ToolError(commandResult('vgs', [], { exitCode: 5, stderr: 'boom\n' }), 'vgs vg0');
    expect(toolFailure(failed)).toMatchObject({
      code: OcfExit.ERR_GENERIC,
      reason: 'vgs vg0: vgs failed: boom',
    });
    expect(toolFailure(new Error('x'))).toBeUndefined();
  });
});

describe('activationRefusal', () => {
  it('finds the line where LVM says why it did not activate', () => {
    expect(
      activationRefusal('  WARNING: x\n  Not activating vg0/lv0 since it does not pass activation filter.\n'),
    ).toBe('Not activating vg0/lv0 since it does not pass activation filter.');
    expect(activationRefusal('  1 logical volume(s) in volume group "vg0" now active\n')).toBeUndefined();
  });
});
