// Reading DRBD's state for an action, with the one ambiguity handled: an unreadable drbd.conf on 8.4
// hides the resource's minor, so "down" is then proven from /proc/drbd (no device configured at all).
import { readFile } from 'node:fs/promises';
import { ToolError } from '../../lib/exec/tool-error.js';
import { parseProcDrbd } from '../../lib/drbd/parse-84.js';
import { downStatus, type DrbdStatus } from '../../lib/drbd/status.js';
import { genericError } from '../../lib/ocf/exit-codes.js';
import type { Clients, DrbdLvmContext } from './context.js';

export async function readDrbd(context: DrbdLvmContext, { drbd }: Clients): Promise<DrbdStatus> {
  const resource = context.params.drbd_resource;
  try {
    return await drbd.status(resource);
  } catch (error) {
    if (!(error instanceof ToolError) || error.result.missing || !/Can not open/.test(error.result.stderr))
      throw error;
    const proc = await readFile('/proc/drbd', 'utf8').catch(() => '');
    const configured = parseProcDrbd(proc).devices.filter((d) => d.connectionState !== 'Unconfigured');
    if (configured.length === 0) {
      context.log.warn(
        `DRBD configuration unreadable (${error.result.stderr.trim().split('\n').at(-2) ?? ''}); no DRBD device is configured, so ${resource} is down`,
      );
      return downStatus(resource);
    }
    throw genericError(
      `DRBD configuration unreadable and ${configured.length} DRBD device(s) configured: cannot tell whether ${resource} runs`,
    );
  }
}

export function describeDrbd(s: DrbdStatus): string {
  if (!s.up) return 'down';
  const peer = s.peers[0];
  return `${s.role}/${peer?.role ?? 'Unknown'} ${s.disk}/${peer?.disk ?? 'DUnknown'} ${peer?.connectionState ?? 'StandAlone'}`;
}
