// ocf:lxcha:drbd-lvm entry point: Pacemaker runs `drbd-lvm ACTION`; each action's module loads only when it runs.
import { runAgent } from '../lib/ocf/run.js';
import { drbdLvmAgent } from './drbd-lvm/definition.js';

void runAgent(drbdLvmAgent, {
  start: () => import('./drbd-lvm/start.js'),
  stop: () => import('./drbd-lvm/stop.js'),
  promote: () => import('./drbd-lvm/promote.js'),
  demote: () => import('./drbd-lvm/demote.js'),
  monitor: () => import('./drbd-lvm/monitor.js'),
  status: () => import('./drbd-lvm/monitor.js'),
  notify: () => import('./drbd-lvm/notify.js'),
  'validate-all': () => import('./drbd-lvm/validate.js'),
  'reload-agent': () => import('./drbd-lvm/reload.js'),
});
