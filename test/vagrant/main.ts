// `npm run test:vagrant`: the project's Vagrantfile brought up here as a user runs it, with Debian's vagrant
// and vagrant-libvirt, libvirtd in a network namespace of its own (no VM address exists in the host's), and
// a debian/bookworm64 box built locally from the emulated cluster's Debian 12 image (box.ts). Then what a
// user checks: both nodes Online, the stack's resources started on their home nodes, DRBD Connected
// UpToDate/UpToDate, a container running on each site, SBD in place; one switchover; one fencing (a running
// node's cluster and replication links cut with `virsh domif-setlink`: SBD must reboot it before the
// survivor promotes and runs both stacks); `vagrant destroy -f` and every process it started stopped by pid.
// LXCHA_VAGRANT_STACK=lxcha (default, the suite's agents) | anchor. LXCHA_SKIP_CLUSTER=1 skips it.
// LXCHA_VAGRANT_KEEP=1 leaves the machines and libvirtd running (printing how to reach them) for debugging.
// Prints `ok …`/`FAIL …` lines and `vagrant: N passed, M failed`; progress on stderr, logs under
// .test-logs/vagrant/<time>/.
import { existsSync, mkdirSync } from 'node:fs';
import { copyFile, cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensurePackages, packageSets } from '../../tools/lib/packages.js';
import { buildPackage } from '../../tools/package-deb.js';
import { errorText, log, timed } from '../cluster/util.js';
import { ensureBox, BOX_NAME } from './box.js';
import { LibvirtNamespace } from './namespace.js';
import { runScenarios, type Outcome } from './scenarios.js';
import { Vagrant } from './vagrant.js';

// Run from the repository's root (npm run test:vagrant).
const repo = process.cwd();

async function main(): Promise<number> {
  if (process.env.LXCHA_SKIP_CLUSTER === '1') {
    console.log('vagrant: skipped, LXCHA_SKIP_CLUSTER=1 (vagrant up did NOT run)');
    return 0;
  }
  const stack = process.env.LXCHA_VAGRANT_STACK ?? 'lxcha';
  if (stack !== 'lxcha' && stack !== 'anchor') {
    console.error(`vagrant: LXCHA_VAGRANT_STACK must be lxcha or anchor, not ${JSON.stringify(stack)}`);
    return 2;
  }
  if (stack === 'lxcha' && !existsSync(path.join(repo, 'dist/ocf'))) {
    console.error('vagrant: dist/ocf is missing: run `npm run build` first (npm run test:vagrant does)');
    return 2;
  }
  await ensurePackages([...packageSets.local, ...packageSets.vm], log);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logs = path.join(repo, '.test-logs', 'vagrant', stamp);
  mkdirSync(logs, { recursive: true });
  // Libvirt's images and state: large, removed at the end (kept with LXCHA_VAGRANT_KEEP=1).
  const work = path.join('/var/tmp', `lxcha-vagrant-${process.pid}`);
  await mkdir(work, { recursive: true });
  const keep = process.env.LXCHA_VAGRANT_KEEP === '1';
  const outcomes: Outcome[] = [];
  const record = (o: Outcome) => {
    outcomes.push(o);
    console.log(`${o.ok ? 'ok' : 'FAIL'} ${o.name} ${o.detail}`);
  };

  const { value: box, seconds: boxSeconds } = await timed(() => ensureBox(repo));
  log(`box ready in ${boxSeconds.toFixed(0)}s: ${box.file}`);

  // The project as a user has it: the Vagrantfile, cluster/, and for the suite's stack its Debian package.
  const project = path.join(work, 'lxcha');
  await mkdir(project, { recursive: true });
  await copyFile(path.join(repo, 'Vagrantfile'), path.join(project, 'Vagrantfile'));
  await cp(path.join(repo, 'cluster'), path.join(project, 'cluster'), { recursive: true });
  if (stack === 'lxcha') {
    await mkdir(path.join(project, 'dist'));
    buildPackage({ repo, outDir: path.join(project, 'dist'), log: () => undefined });
  }

  const ns = await LibvirtNamespace.start(repo, path.join(work, 'libvirt'), path.join(logs, 'libvirtd.log'));
  log(`libvirt: libvirtd and virtlogd in namespace of pid ${ns.pid}`);
  const env = {
    VAGRANT_HOME: path.join(work, 'vagrant.d'),
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    VAGRANT_CHECKPOINT_DISABLE: '1',
    LIBVIRT_DEFAULT_URI: 'qemu:///system',
    LXCHA_STACK: stack,
  };
  const vagrant = new Vagrant(ns, project, env, path.join(logs, 'vagrant.log'));
  // Interrupted: the machines, libvirtd and its children go with us.
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      log(`${sig}: stopping every process of the libvirt namespace`);
      void ns.stop().finally(() => process.exit(130));
    });
  try {
    const added = await vagrant.vagrant(['box', 'add', '--name', BOX_NAME, box.file], 600_000);
    if (added !== 0) throw new Error(`vagrant box add exit ${added} (${path.join(logs, 'vagrant.log')})`);
    log(`vagrant up (LXCHA_STACK=${stack}); output in ${path.join(logs, 'vagrant.log')}`);
    const { value: code, seconds } = await timed(() => vagrant.vagrant(['up'], 2_400_000));
    const up = code === 0;
    record({
      ok: up,
      name: `vagrant-up`,
      detail: `LXCHA_STACK=${stack} exit ${code} in ${seconds.toFixed(0)}s${up ? '' : ` (see ${path.join(logs, 'vagrant.log')})`}`,
    });
    if (up) {
      await vagrant.writeSshConfig(work);
      await runScenarios(vagrant, ns, stack, logs, record);
    }
  } catch (error) {
    record({ ok: false, name: 'vagrant', detail: errorText(error) });
  } finally {
    if (keep) {
      ns.detach();
      log(
        `LXCHA_VAGRANT_KEEP=1: left running. Reach them with: nsenter --target ${ns.pid} --net --mount -- env VAGRANT_HOME=${env.VAGRANT_HOME} LIBVIRT_DEFAULT_URI=qemu:///system sh -c 'cd ${project} && vagrant ssh node1'`,
      );
    } else {
      record(await teardown(vagrant, ns, work));
    }
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`vagrant: ${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** vagrant destroy -f, the shared SBD volume it leaves, then every process of the namespace by pid. */
async function teardown(vagrant: Vagrant, ns: LibvirtNamespace, work: string): Promise<Outcome> {
  const { value: code, seconds } = await timed(() => vagrant.vagrant(['destroy', '-f'], 600_000));
  // virsh's --name listings: one name per line.
  const names = async (args: string[]) =>
    String((await ns.run('virsh', args, { reject: false })).stdout)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  for (const v of (await names(['vol-list', '--pool', 'default', '--name'])).filter((n) =>
    n.startsWith('lxcha-sbd-'),
  ))
    await ns.run('virsh', ['vol-delete', '--pool', 'default', v], { reject: false });
  const leftDomains = await names(['list', '--all', '--name']);
  const { stopped, left } = await ns.stop();
  await rm(work, { recursive: true, force: true });
  const ok = code === 0 && leftDomains.length === 0 && left.length === 0;
  return {
    ok,
    name: 'teardown',
    detail: `vagrant destroy -f exit ${code} in ${seconds.toFixed(0)}s, domains left: ${leftDomains.join(' ') || 'none'}; stopped ${stopped.length} processes of the libvirt namespace by pid, ${left.length} left`,
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`vagrant: ${errorText(error)}`);
    console.log('vagrant: 0 passed, 1 failed');
    process.exitCode = 1;
  },
);
