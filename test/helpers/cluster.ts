// Pacemaker helpers for tests: the one-node cluster, lxcha's resources in it, and waiting on crm_mon.
import { execFileSync } from 'node:child_process';
import {
  ensureLocalCluster,
  removeResource,
  resourceStatus,
  waitForCrmMon,
} from '../../tools/lib/local-cluster.js';
import { installAgents } from '../../tools/install-agents.js';
import { repoRoot } from './paths.js';

export { removeResource, resourceStatus, waitForCrmMon };

export async function prepareCluster(): Promise<void> {
  await ensureLocalCluster(() => undefined);
  installAgents({ repo: repoRoot, ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf', log: () => undefined });
}

export function crm(...args: string[]): string {
  return execFileSync('crm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
