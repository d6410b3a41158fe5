// `npm run test:cluster`: builds (or reuses) the VM image, boots the two-node cluster under qemu,
// brings up Corosync, Pacemaker, DRBD and LVM with real fencing, and runs the failover scenarios.
// Options: --stack=anchor|lxcha|both  --record-fixtures  --record-only (record, collect, tear down: no
// scenarios; implies --record-fixtures)  --only=ocf-tester (ocf-tester on drbd-lvm, then tear down)

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { writeActionTimes } from './action-times.js';
import { Cluster } from './cluster.js';
import { FixtureRecorder, recordAfterPopulate, recordBeforeUp } from './fixtures.js';
import { ensureImage } from './image.js';
import { collectLogs, collectOffline } from './logs.js';
import type { Stack } from './sites.js';
import { runScenarios } from './suite.js';
import { errorText, log, timed } from './util.js';

const repo = process.cwd();

interface Options {
  stacks: Stack[];
  recordFixtures: boolean;
  /** Record the fixtures and stop: no scenarios run. */
  recordOnly: boolean;
  /** Run ocf-tester on ocf:lxcha:drbd-lvm in the VMs and stop: no Pacemaker, no scenarios. */
  ocfTesterOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  let stacks: Stack[] = ['anchor', 'lxcha'];
  let recordFixtures = false;
  let recordOnly = false;
  let ocfTesterOnly = false;
  for (const arg of argv) {
    if (arg === '--record-fixtures') recordFixtures = true;
    else if (arg === '--record-only') recordOnly = recordFixtures = true;
    else if (arg === '--only=ocf-tester') ocfTesterOnly = true;
    else if (arg.startsWith('--stack=')) {
      const value = arg.slice('--stack='.length);
      if (value === 'both') stacks = ['anchor', 'lxcha'];
      else if (value === 'anchor' || value === 'lxcha') stacks = [value];
      else throw new Error(`--stack: expected anchor, lxcha or both, got ${JSON.stringify(value)}`);
    } else throw new Error(`unknown option ${JSON.stringify(arg)}`);
  }
  return { stacks, recordFixtures, recordOnly, ocfTesterOnly };
}

/** Why this machine cannot run the cluster, or undefined when it can. */
async function missingPrerequisite(): Promise<string | undefined> {
  if (process.getuid?.() !== 0)
    return 'must run as root (debootstrap, chroot and mkfs -d of a root filesystem)';
  for (const tool of ['qemu-system-x86_64', 'qemu-img', 'debootstrap', 'mkfs.ext4', 'setpriv', 'chroot']) {
    const found = await execa('sh', ['-c', 'command -v "$1"', 'sh', tool], { reject: false });
    if (found.exitCode !== 0)
      return `${tool} not found (Debian: apt-get install qemu-system-x86 qemu-utils debootstrap e2fsprogs util-linux)`;
  }
  return undefined;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const missing = await missingPrerequisite();
  if (missing !== undefined) {
    if (process.env.LXCHA_SKIP_CLUSTER === '1') {
      console.log(`skip cluster: ${missing} (LXCHA_SKIP_CLUSTER=1)`);
      return 0;
    }
    console.log(
      `FAIL cluster-prerequisites ${missing} (set LXCHA_SKIP_CLUSTER=1 to skip the cluster tests explicitly)`,
    );
    console.log('cluster: 0 passed, 1 failed');
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = path.join(repo, '.test-logs/cluster', stamp);
  const workDir = path.join('/var/tmp', `lxcha-cluster-${stamp}`);
  await mkdir(logDir, { recursive: true });

  const { value: image, seconds: imageSeconds } = await timed(() => ensureImage(repo));
  log(`image ready in ${imageSeconds.toFixed(0)}s: ${image.dir}`);
  const cluster = new Cluster(repo, workDir, image);

  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    const unanswered = await collectLogs(cluster, logDir).catch((error: unknown) => {
      log(`logs: ${errorText(error)}`);
      return [];
    });
    await cluster.teardown();
    for (const vm of unanswered) await collectOffline(cluster, logDir, vm);
    await rm(workDir, { recursive: true, force: true });
    log(`logs in ${path.relative(repo, logDir)}`);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // `on`, not `once`: signal-exit (under execa) re-raises the signal when no other listener remains.
    process.on(signal, () => {
      log(`${signal}: tearing down`);
      void teardown().finally(() => process.exit(130));
    });
  }

  let failed = 0;
  // The result line comes last, after the logs are in and the action table printed from them.
  let summary = 'cluster: 0 passed, 1 failed';
  try {
    await cluster.create();
    const [a, b] = cluster.vms;
    if (a === undefined || b === undefined) throw new Error('cluster has no two VMs');
    const { seconds: bootSeconds } = await timed(() => Promise.all([cluster.boot(a), cluster.boot(b)]));
    log(`both VMs booted, guest agents answer: ${bootSeconds.toFixed(0)}s`);
    const fencePeer = process.env.LXCHA_FENCE_PEER ?? 'auto';
    await Promise.all([cluster.provision(a, fencePeer), cluster.provision(b, fencePeer)]);
    const recorder = options.recordFixtures ? new FixtureRecorder(cluster) : undefined;
    if (recorder !== undefined) await recordBeforeUp(recorder, a);
    await Promise.all([cluster.storage(a, 'md'), cluster.storage(b, 'md')]);
    // Each resource's VG and containers made on its home node, both at once.
    await Promise.all([cluster.storage(a, 'populate', ['r0']), cluster.storage(b, 'populate', ['r1'])]);
    log('storage: r0 and r1 up; vg_lxc1 (config, ct1, ct2) and vg_lxc2 (config, ct3) made');
    if (recorder !== undefined) {
      await recordAfterPopulate(recorder, a, b);
      await recorder.collect(repo);
    }
    if (options.recordOnly) summary = 'cluster: fixtures recorded (--record-only: no scenarios run)';
    else {
      await Promise.all([cluster.storage(a, 'down'), cluster.storage(b, 'down')]);
      const results = await runScenarios(cluster, options.stacks, options.ocfTesterOnly, logDir);
      failed = results.failed;
      summary = results.summary('cluster');
    }
  } catch (error) {
    console.log(`FAIL cluster-setup ${errorText(error)}`);
    failed = 1;
  } finally {
    try {
      await teardown();
    } finally {
      await printActionTimes(cluster, logDir);
      console.log(summary);
    }
  }
  await writeFile(path.join(logDir, 'result'), failed === 0 ? 'passed\n' : 'failed\n');
  return failed === 0 ? 0 : 1;
}

/** Both stacks' per-action table from the collected pacemaker.logs, on stdout and as action-times.md. */
async function printActionTimes(cluster: Cluster, logDir: string): Promise<void> {
  try {
    const table = await writeActionTimes(
      logDir,
      cluster.vms.map((vm) => vm.name),
    );
    if (table === undefined) log('action times: no pacemaker.log collected');
    else console.log(`\n${table}\n`);
  } catch (error) {
    log(`action times: ${errorText(error)}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.log(`FAIL cluster-harness ${errorText(error)}`);
    process.exitCode = 1;
  },
);
