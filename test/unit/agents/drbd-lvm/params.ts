// The drbd-lvm parameters as the agent receives them, parsed from its own declaration (defaults included).
import { drbdLvmAgent } from '../../../../agents/drbd-lvm/definition.js';
import type { DrbdLvmParams } from '../../../../agents/drbd-lvm/context.js';
import type { DrbdPeer, DrbdStatus } from '../../../../lib/drbd/status.js';
import { parseParameters } from '../../../../lib/ocf/parameters.js';

export function params(reskeys: Record<string, string> = {}): DrbdLvmParams {
  const env: Record<string, string> = { OCF_RESKEY_drbd_resource: 'r0', OCF_RESKEY_vgname: 'vg1' };
  for (const [k, v] of Object.entries(reskeys)) env[`OCF_RESKEY_${k}`] = v;
  return parseParameters(drbdLvmAgent, env);
}

/** A hand-built peer: connected Secondary UpToDate unless told otherwise. */
export const peer = (p: Partial<DrbdPeer> = {}): DrbdPeer => ({
  name: 'node2',
  link: 'connected',
  connectionState: 'Connected',
  role: 'Secondary',
  disk: 'UpToDate',
  resync: undefined,
  ...p,
});

/** A hand-built status: r0 up, Secondary UpToDate, with the given peers (none by default). */
export const status = (s: Partial<DrbdStatus> = {}): DrbdStatus => ({
  resource: 'r0',
  up: true,
  role: 'Secondary',
  disk: 'UpToDate',
  peers: [],
  minors: [0],
  ...s,
});
