// ocf:lxcha:drbd-lvm entry point: Pacemaker runs `drbd-lvm ACTION`; the declaration binds each action to its module.
import { agentEntry } from '../lib/ocf/entry.js';
import { toolFailure } from '../lib/ocf/tool-failure.js';
import { drbdLvmAgent } from './drbd-lvm/definition.js';

// Its snapshot builder also makes the fence-peer handler's blob: the first fence after a boot starts from it.
agentEntry(drbdLvmAgent, { mapError: toolFailure, snapshotCompanions: ['fence-peer'] });
