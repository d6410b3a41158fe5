// Pacemaker helpers for tests: the one-node cluster, lxcha's resources in it, and waiting on crm_mon.
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureLocalCluster, resourceStatus, waitForCrmMon } from '../../tools/lib/local-cluster.js';
import { installAgents } from '../../tools/install-agents.js';
import { repoRoot } from './paths.js';

export { resourceStatus, waitForCrmMon };

export async function prepareCluster(): Promise<void> {
  await ensureLocalCluster(() => undefined);
  installAgents({ repo: repoRoot, ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf', log: () => undefined });
}

export function crm(...args: string[]): string {
  return execFileSync('crm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Removes a test resource whatever its state (stop, delete, clean its history). */
export function removeResource(id: string): void {
  spawnSync('crm_resource', [
    '--resource',
    id,
    '--set-parameter',
    'target-role',
    '--meta',
    '--parameter-value',
    'Stopped',
  ]);
  spawnSync('crm', ['-w', 'resource', 'stop', id], { timeout: 120_000 });
  spawnSync('cibadmin', ['--delete', '--xml-text', `<primitive id="${id}"/>`]);
  spawnSync('crm_resource', ['--cleanup', '--resource', id]);
}
