// ocf:lxcha:lxc entry point: Pacemaker runs `lxc ACTION`; the declaration binds each action to its module.
import { agentMain } from '../lib/ocf/run.js';
import { toolFailure } from '../lib/ocf/tool-failure.js';
import { lxcAgent } from './lxc/definition.js';

void agentMain(lxcAgent, { mapError: toolFailure });
