// ocf:lxcha:lxc entry point: Pacemaker runs `lxc ACTION`; each action's module loads only when it runs.
import { runAgent } from '../lib/ocf/run.js';
import { lxcAgent } from './lxc/definition.js';

void runAgent(lxcAgent, {
  start: () => import('./lxc/start.js'),
  stop: () => import('./lxc/stop.js'),
  monitor: () => import('./lxc/monitor.js'),
  status: () => import('./lxc/monitor.js'),
  'validate-all': () => import('./lxc/validate.js'),
  'reload-agent': () => import('./lxc/reload.js'),
});
