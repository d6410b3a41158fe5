// The scale part of `npm run bench` (issue 10, "how cost grows"): a one-node Pacemaker on this host runs
// N busybox containers with a recurring monitor every 10 s, first through ocf:lxcha:lxc, then through
// ocf:heartbeat:lxc (the order alternating from one N to the next and round to round), with the same
// operations and timeouts, and counts the CPU that every child of pacemaker-execd spends over a fixed
// window: pacemaker-execd is moved into a cpuacct cgroup of its own, whose cpuacct.usage (ns) counts
// every process it forks (they inherit the cgroup, and what exited stays counted), less the cgroups LXC
// makes under it for the containers (their init and LXC's monitor process) and less pacemaker-execd's own
// run time (its threads' schedstat, the same nanosecond count). Pacemaker is started by the bench, once
// per runtime, with that runtime's node first on PATH, so the launcher runs it for every call.
// Runs inside the bench's private mount namespace (tools/lib/debian-node.ts), which pacemakerd inherits.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  readdirSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createBusyboxContainer, containerState, destroyContainer } from './lib/busybox.js';
import type { DebianNode } from './lib/debian-node.js';
import { ensureLocalCluster, foreignResources, waitForCrmMon } from './lib/local-cluster.js';
import { snapshotReady } from './lib/snapshot-ready.js';

const OCF_ROOT = '/usr/lib/ocf';
const OURS_LAUNCHER = path.join(OCF_ROOT, 'resource.d/lxcha/lxc');
const LXCPATH = '/var/lib/lxc'; // ocf:heartbeat:lxc knows no lxcpath
const PREFIX = 'lxcha-scale-';
const CGROUP = '/sys/fs/cgroup/cpuacct/lxcha-bench-scale';
const LOG = '/var/log/pacemaker/pacemaker.log';
const SIZES = (process.env.LXCHA_SCALE_SIZES ?? '10,50').split(',').map(Number);
const WINDOW_S = Number(process.env.LXCHA_SCALE_WINDOW ?? 120);
const ROUNDS = Number(process.env.LXCHA_SCALE_ROUNDS ?? 1);
/** Which runtimes: "host", "debian" or both (default). */
const RUNTIMES = (process.env.LXCHA_SCALE_RUNTIMES ?? 'host,debian').split(',');
const INTERVAL = '10s';
/** After all resources are Started: one monitor interval and a little, so every first monitor ran. */
const SETTLE_MS = 15_000;

type Agent = 'ours' | 'theirs';
const agentName: Record<Agent, string> = { ours: 'ocf:lxcha:lxc', theirs: 'ocf:heartbeat:lxc' };

interface Runtime {
  readonly name: string;
  readonly label: string;
  readonly env: Record<string, string>;
  readonly node: string;
  /** ours / theirs CPU the issue allows on this runtime. */
  readonly target: number;
}

interface Phase {
  readonly n: number;
  readonly agent: Agent;
  readonly runtime: string;
  readonly cpuS: number;
  readonly childrenS: number;
  readonly calls: number;
  readonly windowS: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ctName = (i: number) => `${PREFIX}ct${i}`;
const rscId = (agent: Agent, i: number) => `${PREFIX}${agent}-${i}`;

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.status}`);
  return r.stdout;
}

const pidOf = (name: string): number | undefined => {
  const r = spawnSync('pgrep', ['-x', name], { encoding: 'utf8' });
  const pid = Number.parseInt(r.stdout.trim().split('\n')[0] ?? '', 10);
  return r.status === 0 && pid > 0 ? pid : undefined;
};

/** The cgroup's CPU (ns) less its descendant cgroups' (the containers' init and LXC's monitor). */
function cgroupOwnNs(dir: string): number {
  let own = Number(readFileSync(path.join(dir, 'cpuacct.usage'), 'utf8'));
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) own -= Number(readFileSync(path.join(dir, e.name, 'cpuacct.usage'), 'utf8'));
  return own;
}

/** pacemaker-execd's own run time (ns, all threads) and its waited-for children's CPU (s, clock ticks). */
function execdCpu(pid: number): { ownNs: number; childrenS: number } {
  let ownNs = 0;
  for (const t of readdirSync(`/proc/${pid}/task`))
    ownNs += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { ownNs, childrenS: (Number(f[13]) + Number(f[14])) / 100 };
}

/** pacemaker-execd's "RSC monitor (call N, PID P) exited" lines (PCMK_debug) of our resources since `from`. */
function countCalls(from: number, to: number): number {
  const fd = openSync(LOG, 'r');
  const buf = Buffer.alloc(to - from);
  readSync(fd, buf, 0, buf.length, from);
  closeSync(fd);
  const re = new RegExp(`\\b${PREFIX}(?:ours|theirs)-\\d+ monitor \\(call \\d+`, 'g');
  return [...buf.toString('utf8').matchAll(re)].length;
}

async function stopPacemaker(): Promise<void> {
  const pid = pidOf('pacemakerd');
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 240 && pidOf('pacemakerd') !== undefined; i++) await sleep(500);
  if (pidOf('pacemakerd') !== undefined) throw new Error('pacemakerd did not stop within 120 s');
}

/** Starts pacemakerd with this runtime's node first on PATH and execd's debug log, and waits for a DC. */
async function startPacemaker(rt: Runtime): Promise<number> {
  mkdirSync('/var/log/pacemaker', { recursive: true });
  // The environment of a service, not this shell's: a variable such as NODE_EXTRA_CA_CERTS would make
  // every node start read a certificate bundle, which no cluster node does.
  const env = {
    LANG: 'C.UTF-8',
    ...rt.env,
    PATH: `${path.dirname(rt.node)}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    PCMK_logfile: LOG,
    PCMK_debug: 'pacemaker-execd',
  };
  spawn('pacemakerd', [], { detached: true, stdio: 'ignore', env }).unref();
  await waitForCrmMon(
    (xml) => /<node [^>]*online="true"/.test(xml) && /<current_dc [^>]*present="true"/.test(xml),
    180_000,
  );
  let execd: number | undefined;
  for (let i = 0; i < 40 && (execd = pidOf('pacemaker-execd')) === undefined; i++) await sleep(250);
  if (execd === undefined) throw new Error('no pacemaker-execd');
  const environ = readFileSync(`/proc/${execd}/environ`, 'utf8');
  if (!environ.includes(`PATH=${path.dirname(rt.node)}:`))
    throw new Error(`pacemaker-execd does not have ${rt.node} first on PATH`);
  mkdirSync(CGROUP, { recursive: true });
  writeFileSync(path.join(CGROUP, 'cgroup.procs'), String(execd));
  return execd;
}

function primitiveXml(agent: Agent, i: number): string {
  const [cls, provider] = agent === 'ours' ? ['ocf', 'lxcha'] : ['ocf', 'heartbeat'];
  const id = rscId(agent, i);
  const name = ctName(i);
  const op = (o: string, extra: string) => `<op id="${id}-${o}" name="${o}" ${extra}/>`;
  return (
    `<primitive id="${id}" class="${cls}" provider="${provider}" type="lxc">` +
    `<instance_attributes id="${id}-ia">` +
    `<nvpair id="${id}-ia-container" name="container" value="${name}"/>` +
    `<nvpair id="${id}-ia-config" name="config" value="${path.join(LXCPATH, name, 'config')}"/>` +
    `</instance_attributes><operations>` +
    op('start', 'interval="0s" timeout="60s"') +
    op('stop', 'interval="0s" timeout="60s"') +
    op('monitor', `interval="${INTERVAL}" timeout="20s"`) +
    `</operations></primitive>`
  );
}

const ourStarted = (xml: string, agent: Agent): number =>
  [...xml.matchAll(/<resource id="([^"]+)"[^>]*>/g)].filter(
    (m) =>
      (m[1] ?? '').startsWith(`${PREFIX}${agent}-`) &&
      /role="Started"/.test(m[0]) &&
      /active="true"/.test(m[0]) &&
      /failed="false"/.test(m[0]),
  ).length;

const anyActive = (xml: string): boolean =>
  [...xml.matchAll(/<resource id="([^"]+)"[^>]*>/g)].some(
    (m) => (m[1] ?? '').startsWith(PREFIX) && /active="true"/.test(m[0]),
  );

async function removeAll(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const id of ids)
    run('crm_resource', ['--resource', id, '--meta', '-p', 'target-role', '-v', 'Stopped']);
  await waitForCrmMon((xml) => !anyActive(xml), 600_000);
  for (const id of ids) run('cibadmin', ['--delete', '--xml-text', `<primitive id="${id}"/>`]);
  spawnSync('crm_resource', ['--cleanup'], { stdio: 'ignore' });
}

async function phase(rt: Runtime, n: number, agent: Agent, execd: number, log: (s: string) => void) {
  const ids = Array.from({ length: n }, (_, i) => rscId(agent, i));
  log(`scale: ${rt.label}, N=${n}, ${agentName[agent]}: starting ${n} resources`);
  const t0 = Date.now();
  for (let i = 0; i < n; i++)
    run('cibadmin', ['--create', '-o', 'resources', '--xml-text', primitiveXml(agent, i)]);
  await waitForCrmMon((xml) => ourStarted(xml, agent) === n, 900_000);
  if (agent === 'ours') await snapshotReady(OURS_LAUNCHER, rt.node);
  log(
    `scale:   all Started after ${((Date.now() - t0) / 1000).toFixed(0)} s; settling, then ${WINDOW_S} s window`,
  );
  await sleep(SETTLE_MS);
  const log0 = statSync(LOG).size;
  const c0 = cgroupOwnNs(CGROUP);
  const e0 = execdCpu(execd);
  const w0 = process.hrtime.bigint();
  await sleep(WINDOW_S * 1000);
  const c1 = cgroupOwnNs(CGROUP);
  const e1 = execdCpu(execd);
  const windowS = Number(process.hrtime.bigint() - w0) / 1e9;
  const calls = countCalls(log0, statSync(LOG).size);
  const xml = await waitForCrmMon(() => true, 10_000);
  if (ourStarted(xml, agent) !== n) throw new Error(`not all ${n} resources stayed Started in the window`);
  await removeAll(ids);
  for (let i = 0; i < n; i++)
    if (containerState({ name: ctName(i), lxcpath: LXCPATH }) !== 'STOPPED')
      throw new Error(`${ctName(i)} is not STOPPED after its resource stopped`);
  const cpuS = (c1 - c0 - (e1.ownNs - e0.ownNs)) / 1e9;
  const result: Phase = {
    n,
    agent,
    runtime: rt.label,
    cpuS,
    childrenS: e1.childrenS - e0.childrenS,
    calls,
    windowS,
  };
  log(
    `scale:   ${cpuS.toFixed(2)} CPU s in ${windowS.toFixed(1)} s, ${calls} monitor calls, ` +
      `${((cpuS / calls) * 1000).toFixed(1)} ms per call (execd's waited-for children: ${result.childrenS.toFixed(2)} s)`,
  );
  return result;
}

function table(phases: Phase[], runtimes: Runtime[]): string {
  const lines = [
    `| N | agent | runtime | window | CPU s | CPU cores | monitor calls | CPU per call | ours / theirs (cores) | target |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const rt of runtimes)
    for (const n of SIZES) {
      const sum = (agent: Agent) => {
        const ps = phases.filter((p) => p.runtime === rt.label && p.n === n && p.agent === agent);
        const cpu = ps.reduce((a, p) => a + p.cpuS, 0);
        const w = ps.reduce((a, p) => a + p.windowS, 0);
        const calls = ps.reduce((a, p) => a + p.calls, 0);
        return { cpu, w, calls, cores: cpu / w, rounds: ps.length };
      };
      const o = sum('ours');
      const t = sum('theirs');
      if (o.rounds === 0 || t.rounds === 0) continue;
      const ratio = o.cores / t.cores;
      for (const [agent, s] of [
        ['ours', o],
        ['theirs', t],
      ] as const)
        lines.push(
          `| ${n} | ${agentName[agent]} | ${rt.label} | ${s.w.toFixed(0)} s | ${s.cpu.toFixed(2)} | ` +
            `${s.cores.toFixed(4)} | ${s.calls} | ${((s.cpu / s.calls) * 1000).toFixed(1)} ms | ` +
            (agent === 'ours'
              ? `**${ratio.toFixed(2)}×** (per call ${(o.cpu / o.calls / (t.cpu / t.calls) || 0).toFixed(2)}×) | ≤ ${rt.target.toFixed(1)}× ${ratio <= rt.target ? 'met' : 'NOT met'} |`
              : `| |`),
        );
    }
  return lines.join('\n');
}

function removeCgroup(): void {
  if (!existsSync(CGROUP)) return;
  for (let i = 0; i < 20; i++) {
    try {
      for (const e of readdirSync(CGROUP, { withFileTypes: true }))
        if (e.isDirectory()) rmdirSync(path.join(CGROUP, e.name));
      rmdirSync(CGROUP);
      return;
    } catch {
      spawnSync('sleep', ['0.5']);
    }
  }
}

export async function benchScale(debian: DebianNode, log: (s: string) => void = console.log): Promise<void> {
  if (pidOf('pacemakerd') !== undefined)
    throw new Error(
      'the scale bench starts Pacemaker itself, with the runtime it measures: stop the running one first',
    );
  const corosyncBefore = pidOf('corosync') !== undefined;
  const runtimes: Runtime[] = [
    {
      name: 'host',
      label: `node ${process.versions.node}`,
      env: {},
      node: process.execPath,
      target: 1.2,
    },
    {
      name: 'debian',
      label: `Debian's nodejs ${debian.version.replace(/\+.*/, '')}`,
      env: { ...debian.env },
      node: path.join(debian.binDir, 'node'),
      target: 2.0,
    },
  ].filter((rt) => RUNTIMES.includes(rt.name));
  const phases: Phase[] = [];
  await ensureLocalCluster(log); // checks that the cluster is lxcha's; starts corosync (and pacemaker)
  try {
    const max = Math.max(...SIZES);
    log(`scale: creating ${max} busybox containers under ${LXCPATH}`);
    for (let i = 0; i < max; i++) createBusyboxContainer(ctName(i), LXCPATH);
    let k = 0;
    for (const rt of runtimes) {
      await stopPacemaker();
      const execd = await startPacemaker(rt);
      if ((await foreignResources()).length > 0) throw new Error('foreign resources in the cluster');
      for (const n of SIZES)
        for (let r = 0; r < ROUNDS; r++) {
          const order: Agent[] = k++ % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours'];
          for (const agent of order) phases.push(await phase(rt, n, agent, execd, log));
        }
      console.log(`\n${table(phases, runtimes)}\n`);
    }
  } finally {
    const xml = String(spawnSync('cibadmin', ['-Q', '-o', 'resources'], { encoding: 'utf8' }).stdout);
    const left = [...xml.matchAll(/<primitive id="([^"]+)"/g)]
      .map((m) => m[1] ?? '')
      .filter((id) => id.startsWith(PREFIX));
    await removeAll(left).catch((e: unknown) => log(`scale: cleanup: ${(e as Error).message}`));
    await stopPacemaker();
    if (!corosyncBefore) spawnSync('corosync-cfgtool', ['-H']);
    for (let i = 0; i < Math.max(...SIZES); i++) destroyContainer(ctName(i), LXCPATH);
    removeCgroup();
  }
  console.log(
    `How cost grows: a one-node Pacemaker, N busybox containers, monitor every ${INTERVAL}, ${WINDOW_S} s ` +
      `windows (${ROUNDS} per agent, N and runtime); CPU of every child of pacemaker-execd ` +
      `(cpuacct cgroup less the containers' cgroups and execd's own run time); calls from execd's debug log.`,
  );
  console.log(table(phases, runtimes));
}
