// `npm run demo`: the main job on one machine. A local one-node cluster runs a busybox container through
// ocf:lxcha:lxc: started by the cluster, killed and recovered, its memory limit changed live through
// reload-agent, stopped in order. `npm run demo -- --clean` removes what the demo created.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  containerInitPid,
  containerMemoryLimit,
  containerState,
  createBusyboxContainer,
  destroyContainer,
} from './lib/busybox.js';
import {
  ensureLocalCluster,
  ForeignClusterError,
  lxcPrimitiveArgs,
  removeResource,
  resourceStatus,
  waitForCrmMon,
} from './lib/local-cluster.js';
import { ensurePackages, packageSets } from './lib/packages.js';
import { installAgents } from './install-agents.js';

const repo = path.resolve(import.meta.dirname, '..');
const LXCPATH = '/var/lib/lxcha-demo';
const NAME = 'lxcha-demo-ct';
const RSC = 'lxcha-demo-ct';
const STATE_FILE = path.join(LXCPATH, 'demo-state.json');

interface DemoState {
  clusterStarted: boolean;
}

const say = (line: string) => console.log(`demo: ${line}`);
const step = (n: number, title: string) => console.log(`\n=== step ${n}: ${title}`);
const crmMon = () => console.log(execFileSync('crm_mon', ['-1', '-f', '-r'], { encoding: 'utf8' }).trim());

function memoryLimit(ct: { name: string; lxcpath: string }): string {
  return containerMemoryLimit(ct) ?? 'unknown';
}

const active = (xml: string) => {
  const s = resourceStatus(xml, RSC);
  return s !== undefined && s.active && s.role === 'Started' && !s.failed;
};

async function clean(): Promise<void> {
  const state: DemoState = existsSync(STATE_FILE)
    ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DemoState)
    : { clusterStarted: false };
  if (spawnSync('pgrep', ['-x', 'pacemakerd']).status === 0) {
    say(`removing resource ${RSC}`);
    removeResource(RSC);
  }
  say(`destroying container ${NAME}`);
  destroyContainer(NAME, LXCPATH);
  if (state.clusterStarted) {
    say('stopping the local cluster the demo started (pacemaker, corosync)');
    spawnSync('pkill', ['-TERM', '-x', 'pacemakerd']);
    for (let i = 0; i < 120 && spawnSync('pgrep', ['-x', 'pacemakerd']).status === 0; i++)
      await new Promise((r) => setTimeout(r, 500));
    spawnSync('corosync-cfgtool', ['-H']);
    for (let i = 0; i < 40 && spawnSync('pgrep', ['-x', 'corosync']).status === 0; i++)
      await new Promise((r) => setTimeout(r, 250));
  }
  rmSync(LXCPATH, { recursive: true, force: true });
  say('clean');
}

async function demo(): Promise<void> {
  step(1, 'install what the demo needs, build and install the agents');
  await ensurePackages(packageSets.demo);
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  installAgents({ repo, ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf', log: say });

  step(2, 'a busybox container and a one-node cluster on this machine');
  const ct = createBusyboxContainer(NAME, LXCPATH);
  say(`container ${NAME} created under ${LXCPATH} (config ${ct.config})`);
  const { started } = await ensureLocalCluster(say);
  const previous: DemoState | undefined = existsSync(STATE_FILE)
    ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DemoState)
    : undefined;
  mkdirSync(LXCPATH, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ clusterStarted: started || previous?.clusterStarted === true }));
  removeResource(RSC);

  step(3, 'the cluster starts the container (ocf:lxcha:lxc, memory limit 64M)');
  execFileSync('crm', lxcPrimitiveArgs(RSC, { container: NAME, lxcpath: LXCPATH, memory_limit: '64M' }));
  await waitForCrmMon(active, 120_000);
  crmMon();
  const pid = containerInitPid(ct);
  say(`container ${NAME} ${containerState(ct)} (init pid ${pid ?? '?'}), memory limit ${memoryLimit(ct)}`);

  step(4, 'kill the container behind the cluster: the next monitor sees it, Pacemaker recovers it');
  process.kill(pid ?? 0, 'SIGKILL');
  say(`killed init (pid ${pid ?? '?'})`);
  const t0 = Date.now();
  await waitForCrmMon(
    (xml) => active(xml) && containerInitPid(ct) !== undefined && containerInitPid(ct) !== pid,
    120_000,
  );
  crmMon();
  const recovered = containerInitPid(ct);
  say(
    `recovered: ${containerState(ct)} with new init pid ${recovered ?? '?'} after ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );

  step(5, 'raise the memory limit to 128M: Pacemaker calls reload-agent, the container keeps running');
  const before = memoryLimit(ct);
  execFileSync('crm', ['resource', 'param', RSC, 'set', 'memory_limit', '128M']);
  await waitForCrmMon((xml) => active(xml) && memoryLimit(ct) === String(128 * 1024 * 1024), 120_000);
  crmMon();
  const after = containerInitPid(ct);
  say(
    `memory limit ${before} -> ${memoryLimit(ct)}, init pid ${after === recovered ? 'unchanged' : 'CHANGED'} (${after ?? '?'})`,
  );

  step(6, 'stop it through the cluster: an orderly shutdown');
  rmSync(ct.shutdownMarker, { force: true });
  execFileSync('crm', ['resource', 'stop', RSC]);
  await waitForCrmMon((xml) => resourceStatus(xml, RSC)?.active === false, 120_000);
  crmMon();
  say(
    `container ${containerState(ct)}; orderly shutdown ${existsSync(ct.shutdownMarker) ? 'confirmed (the ::shutdown: action of its init ran)' : 'NOT seen'}`,
  );

  console.log(`
Look around:
  crm_mon -1 -f            the cluster, with fail counts
  crm configure show ${RSC}
  crm resource start ${RSC}; lxc-attach -n ${NAME} -P ${LXCPATH}
  tail /var/log/pacemaker/pacemaker.log   the agent's log lines (lxc(${RSC})[pid]: …)
Remove what the demo created:  npm run demo -- --clean`);
}

const run = process.argv.includes('--clean') ? clean : demo;
run().catch((error: unknown) => {
  console.error(`demo: ${error instanceof ForeignClusterError ? '' : 'failed: '}${(error as Error).message}`);
  process.exitCode = 1;
});
