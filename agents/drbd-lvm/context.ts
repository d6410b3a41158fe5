// What every drbd-lvm action shares: the clients (one synchronous runner bounded by the operation's
// deadline: no execa to load) and the node's identity.
import { hostname } from 'node:os';
import type { CommandRunner } from '../../lib/exec/command.js';
import { syncRunner } from '../../lib/exec/sync-runner.js';
import { DrbdClient } from '../../lib/drbd/client.js';
import { BlockDeviceClient } from '../../lib/lvm/block-devices.js';
import { LvmClient } from '../../lib/lvm/client.js';
import { DeviceMapperClient } from '../../lib/lvm/device-mapper.js';
import type { ActionContext } from '../../lib/ocf/action.js';
import type { Deadline } from '../../lib/system/deadline.js';
import { PromotionScore } from '../../lib/pacemaker/crm-attribute.js';
import type { DrbdLvmParameters } from './definition.js';

export type DrbdLvmContext = ActionContext<DrbdLvmParameters>;
export type DrbdLvmParams = DrbdLvmContext['params'];

// Each child gets what is left of the operation, less a margin for the agent to answer.
const MARGIN_MS = 1500;

export const runnerFor = (deadline: Deadline): CommandRunner => syncRunner(MARGIN_MS, deadline);

export interface Clients {
  readonly drbd: DrbdClient;
  readonly lvm: LvmClient;
  readonly blocks: BlockDeviceClient;
  readonly dm: DeviceMapperClient;
  readonly score: PromotionScore;
}

export function clients({ params, ocf, deadline, log }: DrbdLvmContext): Clients {
  const run = runnerFor(deadline);
  return {
    drbd: new DrbdClient({ run, config: params.drbdconf, warn: (message) => log.warn(message) }),
    lvm: new LvmClient({ run }),
    blocks: new BlockDeviceClient({ run }),
    dm: new DeviceMapperClient({ run }),
    score: new PromotionScore({ run, resource: ocf.env.OCF_RESOURCE_INSTANCE ?? ocf.instance }),
  };
}

/**
 * The clients with LVM kept to this resource's DRBD devices (`--devices`), where its VG lives once the
 * filter check passed: a Primary of another resource whose peer was just lost freezes its I/O until its
 * fence-peer handler answers, and an unscoped LVM command would wait on it.
 */
export const lvmOnOwnDevices = (c: Clients, devices: readonly string[]): Clients => ({
  ...c,
  lvm: c.lvm.scopedTo(devices),
});

/** This node's tag in tagging mode. */
export const ownTag = (params: DrbdLvmParams): string => params.tag ?? hostname();
