// ocf:lxcha:drbd-lvm entry point: Pacemaker runs `drbd-lvm ACTION`; the declaration binds each action to its module.
import { agentEntry } from '../lib/ocf/entry.js';
import { toolFailure } from '../lib/ocf/tool-failure.js';
import { drbdLvmAgent } from './drbd-lvm/definition.js';

agentEntry(drbdLvmAgent, { mapError: toolFailure });
