// Copies both nodes' logs (console, pacemaker, corosync, kernel, journal) into the run's log folder.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import { log } from './util.js';

const GUEST_LOGS: [string, string[]][] = [
  ['pacemaker.log', ['cat', '/var/log/pacemaker/pacemaker.log']],
  ['corosync.log', ['cat', '/var/log/corosync/corosync.log']],
  ['kernel.log', ['journalctl', '_TRANSPORT=kernel', '--no-pager', '-o', 'short-precise']],
  ['journal.log', ['journalctl', '--no-pager', '-o', 'short-precise', '--merge']],
  ['boots.txt', ['journalctl', '--list-boots', '--no-pager']],
  ['crm_mon.txt', ['crm_mon', '-1', '--inactive', '--show-detail']],
  ['cib.xml', ['cibadmin', '-Q']],
  ['proc-drbd.txt', ['cat', '/proc/drbd']],
];

export async function collectLogs(cluster: Cluster, logDir: string): Promise<void> {
  for (const vm of cluster.vms) {
    const dir = path.join(logDir, vm.name);
    await mkdir(dir, { recursive: true });
    for (const file of ['console.log', 'qemu.stderr']) {
      const from = path.join(cluster.workDir, `${vm.name}-${file}`);
      if (existsSync(from)) await copyFile(from, path.join(dir, file));
    }
    if (!vm.running) continue;
    for (const [name, argv] of GUEST_LOGS) {
      try {
        const r = await vm.exec(argv, { timeoutS: 60 });
        await writeFile(path.join(dir, name), r.stdout + r.stderr);
      } catch (error) {
        log(`logs: ${vm.name} ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  await writeFile(path.join(logDir, 'fences.json'), JSON.stringify(cluster.fences, null, 2));
}
