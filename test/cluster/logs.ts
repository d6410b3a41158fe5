// Copies both nodes' logs (console, pacemaker, corosync, kernel, journal) into the run's log folder.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import type { Vm } from './vm.js';
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

/** Collects logs from the running guests; returns the VMs whose guest agent did not answer. */
export async function collectLogs(cluster: Cluster, logDir: string): Promise<Vm[]> {
  const unanswered: Vm[] = [];
  for (const vm of cluster.vms) {
    const dir = path.join(logDir, vm.name);
    await mkdir(dir, { recursive: true });
    for (const file of ['console.log', 'qemu.stderr']) {
      const from = path.join(cluster.workDir, `${vm.name}-${file}`);
      if (existsSync(from)) await copyFile(from, path.join(dir, file));
    }
    if (!vm.running) {
      unanswered.push(vm);
      continue;
    }
    for (const [name, argv] of GUEST_LOGS) {
      try {
        const r = await vm.exec(argv, { timeoutS: 60 });
        await writeFile(path.join(dir, name), r.stdout + r.stderr);
      } catch (error) {
        log(`logs: ${vm.name} ${name}: ${error instanceof Error ? error.message : String(error)}`);
        // A guest that does not answer now will not answer for the next file either.
        unanswered.push(vm);
        break;
      }
    }
  }
  await writeFile(path.join(logDir, 'fences.json'), JSON.stringify(cluster.fences, null, 2));
  return unanswered;
}

/** Reads the logs of a powered-off node out of its disk: qcow2 overlay -> raw, then debugfs. */
export async function collectOffline(cluster: Cluster, logDir: string, vm: Vm): Promise<void> {
  const dir = path.join(logDir, vm.name, 'disk');
  await mkdir(dir, { recursive: true });
  const raw = path.join(cluster.workDir, `${vm.name}-root.raw`);
  try {
    await execa('qemu-img', ['convert', '-O', 'raw', vm.spec.overlay, raw]);
    for (const folder of ['/var/log/pacemaker', '/var/log/corosync', '/var/log/journal']) {
      await execa('debugfs', ['-R', `rdump ${folder} ${dir}`, raw], { reject: false });
    }
    const journal = await execa(
      'journalctl',
      ['--directory', path.join(dir, 'journal'), '--merge', '--no-pager', '-o', 'short-precise'],
      {
        reject: false,
        stdout: { file: path.join(logDir, vm.name, 'journal-from-disk.log') },
      },
    );
    log(`logs: ${vm.name}: read from its disk (journalctl exit ${String(journal.exitCode)})`);
  } catch (error) {
    log(
      `logs: ${vm.name}: offline collection failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await rm(raw, { force: true });
  }
}
