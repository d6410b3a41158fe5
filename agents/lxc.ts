// ocf:lxcha:lxc entry point: Pacemaker runs `lxc ACTION`; the declaration binds each action to its module.
import { agentEntry } from '../lib/ocf/entry.js';
import { toolFailure } from '../lib/ocf/tool-failure.js';
import { lxcAgent } from './lxc/definition.js';

agentEntry(lxcAgent, { mapError: toolFailure });
