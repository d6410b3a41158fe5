// Every agent of the suite, for the generators (metadata, docs, man pages) and their staleness tests.
import type { AgentDefinition } from '../lib/ocf/agent.js';
import { lxcAgent } from '../agents/lxc/definition.js';
import { drbdLvmAgent } from '../agents/drbd-lvm/definition.js';

export const agentDefinitions: readonly AgentDefinition[] = [lxcAgent, drbdLvmAgent];
