// `npm run bench`: ocf:lxcha:lxc against ocf:heartbeat:lxc on the same busybox container, alternating them
// in one run, on two runtimes: this host's node and Debian 12's own nodejs 18.20 (the cluster nodes'
// runtime; tools/lib/debian-node.ts). Recurring monitor of a RUNNING container: CPU per call over batches
// of calls (the agent and all its children, from the kernel's count of waited-for children), beside a bare
// `node -e 0` on the same runtime, node started from an empty startup snapshot (the floor of any snapshot
// start on this machine) and our agent with its startup snapshot turned off. Start and stop: median
// wall and CPU under GNU time, and peak memory. Ratios, not absolute times: these machines are noisy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { containerState, createBusyboxContainer, destroyContainer } from './lib/busybox.js';
import { ensureDebianNode, enterDebianNodeNamespace, type DebianNode } from './lib/debian-node.js';
import { ensurePackages, packageSets } from './lib/packages.js';
import { snapshotReady } from './lib/snapshot-ready.js';
import { benchScale } from './bench-scale.js';
import { installAgents } from './install-agents.js';

const repo = path.resolve(import.meta.dirname, '..');
const OURS = path.join(repo, 'dist/ocf/resource.d/lxcha/lxc');
const THEIRS = '/usr/lib/ocf/resource.d/heartbeat/lxc';
const PAIRS = Number(process.env.LXCHA_BENCH_PAIRS ?? 8);
/** Calls per batch and batches per variant of the monitor measurement. */
const BATCH = Number(process.env.LXCHA_BENCH_BATCH ?? 50);
const ROUNDS = Number(process.env.LXCHA_BENCH_ROUNDS ?? 3);
// ocf:heartbeat:lxc knows no lxcpath: both agents run the container under the default one.
const LXCPATH = '/var/lib/lxc';
const NAME = 'lxcha-bench-ct';

interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly maxRssKb: number;
  readonly code: number;
}

/** One agent run under GNU time: wall and CPU of the agent plus its children, peak RSS of the largest. */
function measure(agent: string, action: string, env: Record<string, string>): Sample {
  const args = action === '-e' ? [agent, '-e', '0'] : [agent, action];
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...args], { env, encoding: 'utf8' });
  const m = /TIME (\S+) (\S+) (\S+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (m === null) throw new Error(`cannot measure ${agent} ${action}: ${r.stderr}`);
  const code = Number(/Command exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), maxRssKb: Number(m[4]), code };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function envFor(config: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: NAME,
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '1',
    OCF_RESKEY_container: NAME,
    OCF_RESKEY_config: config,
    OCF_RESKEY_CRM_meta_timeout: '60000',
    ...extra,
  };
}

function expectCode(s: Sample, code: number, what: string): Sample {
  if (s.code !== code) throw new Error(`${what} answered ${s.code}, expected ${code}`);
  return s;
}

function report(title: string, ours: Sample[], theirs: Sample[]): string {
  const w = median(ours.map((s) => s.wall)) / median(theirs.map((s) => s.wall));
  const c = median(ours.map((s) => s.cpu)) / median(theirs.map((s) => s.cpu));
  return (
    `${title.padEnd(8)} wall ${w.toFixed(2)}x (${median(ours.map((s) => s.wall)).toFixed(3)}s vs ${median(theirs.map((s) => s.wall)).toFixed(3)}s)  ` +
    `cpu ${c.toFixed(2)}x (${median(ours.map((s) => s.cpu)).toFixed(3)}s vs ${median(theirs.map((s) => s.cpu)).toFixed(3)}s)  ` +
    `peak rss ${(Math.max(...ours.map((s) => s.maxRssKb)) / 1024) | 0} MiB vs ${(Math.max(...theirs.map((s) => s.maxRssKb)) / 1024) | 0} MiB  (n=${ours.length})`
  );
}

/** CPU seconds of this process's waited-for children so far (kernel count; exact across many calls). */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Runtime {
  readonly name: string;
  /** The environment that makes the launcher (and `node`) find this runtime first on PATH. */
  readonly env: Record<string, string>;
  readonly node: string;
}

/** CPU per call of `command args` over batches, the variants interleaved batch by batch. */
function batches(
  variants: readonly { label: string; command: string; args: string[]; env: Record<string, string> }[],
): Map<string, number[]> {
  const perCall = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
      const before = childrenCpu();
      for (let i = 0; i < BATCH; i++) {
        const r = spawnSync(v.command, v.args, { env: v.env, stdio: 'ignore' });
        if (r.status !== 0) throw new Error(`${v.label} answered ${r.status ?? r.signal}, expected 0`);
      }
      perCall.get(v.label)?.push((childrenCpu() - before) / BATCH);
    }
  return perCall;
}

/**
 * A startup snapshot whose main does nothing, built by `node` into `dir`: what starting that runtime from
 * a snapshot costs before any code of ours runs (docs/speed.md). The blob loads only into that binary.
 */
let emptyBlobs = 0;
function emptySnapshot(node: string, dir: string, env: Record<string, string>): string {
  const entry = path.join(dir, 'empty-main.js');
  const blob = path.join(dir, `empty-${++emptyBlobs}.blob`);
  writeFileSync(entry, "require('v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
  const r = spawnSync(node, ['--snapshot-blob', blob, '--build-snapshot', entry], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${node} could not build an empty snapshot: ${r.stderr}`);
  return blob;
}

/** Which parts run: LXCHA_BENCH_PART=call (per call, one container), scale (a cluster of N), or both. */
const PART = process.env.LXCHA_BENCH_PART ?? 'all';

async function inner(debian: DebianNode): Promise<void> {
  enterDebianNodeNamespace(debian);
  if (PART !== 'scale') await perCall(debian);
  if (PART !== 'call') await benchScale(debian);
}

async function perCall(debian: DebianNode): Promise<void> {
  const ct = createBusyboxContainer(NAME, LXCPATH);
  try {
    const env = envFor(ct.config);
    const monitorEnv = envFor(ct.config, {
      OCF_RESKEY_CRM_meta_interval: '30000',
      OCF_RESKEY_CRM_meta_timeout: '20000',
    });
    const runtimes: Runtime[] = [
      { name: `node ${process.versions.node}`, env: {}, node: process.execPath },
      {
        name: `Debian's nodejs ${debian.version}`,
        env: { ...debian.env, PATH: `${debian.binDir}:${env.PATH ?? ''}` },
        node: path.join(debian.binDir, 'node'),
      },
    ];
    expectCode(measure(OURS, 'start', env), 0, 'warm-up start');
    for (const rt of runtimes) {
      expectCode(measure(OURS, 'monitor', { ...monitorEnv, ...rt.env }), 0, `${rt.name}: warm-up monitor`);
      await snapshotReady(OURS, rt.node);
    }
    const blobs = mkdtempSync(path.join(tmpdir(), 'lxcha-bench-'));
    const variants = runtimes.flatMap((rt) => [
      {
        label: `${rt.name}: node -e 0`,
        command: rt.node,
        args: ['-e', '0'],
        env: { ...monitorEnv, ...rt.env },
      },
      {
        label: `${rt.name}: empty snapshot`,
        command: rt.node,
        args: ['--snapshot-blob', emptySnapshot(rt.node, blobs, { ...monitorEnv, ...rt.env })],
        env: { ...monitorEnv, ...rt.env },
      },
      { label: `${rt.name}: lxcha`, command: OURS, args: ['monitor'], env: { ...monitorEnv, ...rt.env } },
      {
        label: `${rt.name}: lxcha, no snapshot`,
        command: OURS,
        args: ['monitor'],
        // The launcher leaves the snapshot out whenever node options are set.
        env: { ...monitorEnv, ...rt.env, NODE_OPTIONS: '--no-deprecation' },
      },
    ]);
    variants.push({ label: 'heartbeat', command: THEIRS, args: ['monitor'], env: monitorEnv });
    const cpu = batches(variants);
    rmSync(blobs, { recursive: true, force: true });
    const m = (label: string): number => median(cpu.get(label) ?? []);
    const hb = m('heartbeat');
    console.log(
      `\nmonitor of a RUNNING container, CPU per call (agent and children), median of ${ROUNDS} batches of ${BATCH} calls:`,
    );
    console.log(`  ocf:heartbeat:lxc                          ${hb.toFixed(4)}s`);
    for (const rt of runtimes) {
      const floor = m(`${rt.name}: node -e 0`);
      const ours = m(`${rt.name}: lxcha`);
      const plain = m(`${rt.name}: lxcha, no snapshot`);
      const empty = m(`${rt.name}: empty snapshot`);
      console.log(
        `  ${rt.name.padEnd(26)} node -e 0 ${floor.toFixed(4)}s  ocf:lxcha:lxc ${ours.toFixed(4)}s ` +
          `= ${(ours / hb).toFixed(2)}x heartbeat, ${(ours / floor).toFixed(2)}x node -e 0  ` +
          `(no snapshot ${plain.toFixed(4)}s = ${(plain / hb).toFixed(2)}x heartbeat)`,
      );
      console.log(
        `  ${''.padEnd(26)} empty snapshot ${empty.toFixed(4)}s = ${(empty / floor).toFixed(2)}x node -e 0: ` +
          `the floor of a snapshot start here; ours adds ${(ours - empty).toFixed(4)}s (launcher, bundle, lxc-info)`,
      );
    }

    expectCode(measure(OURS, 'stop', env), 0, 'warm-up stop');
    for (const rt of runtimes) {
      const start = { ours: [] as Sample[], theirs: [] as Sample[] };
      const stop = { ours: [] as Sample[], theirs: [] as Sample[] };
      const ourEnv = { ...env, ...rt.env };
      for (let i = 0; i < PAIRS; i++) {
        for (const who of i % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const)) {
          const agent = who === 'ours' ? OURS : THEIRS;
          const e = who === 'ours' ? ourEnv : env;
          start[who].push(expectCode(measure(agent, 'start', e), 0, `${who} start`));
          if (containerState(ct) !== 'RUNNING')
            throw new Error(`${who} start left the container ${containerState(ct)}`);
          stop[who].push(expectCode(measure(agent, 'stop', e), 0, `${who} stop`));
          if (containerState(ct) !== 'STOPPED')
            throw new Error(`${who} stop left the container ${containerState(ct)}`);
        }
      }
      console.log(`\n${rt.name}: ocf:lxcha:lxc / ocf:heartbeat:lxc, medians, same container, alternating:`);
      console.log(report('start', start.ours, start.theirs));
      console.log(report('stop', stop.ours, stop.theirs));
    }
  } finally {
    destroyContainer(NAME, LXCPATH);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the bench runs real containers: run it as root');
  if (process.argv[2] === '--inner') return inner(JSON.parse(process.argv[3] ?? '{}') as DebianNode);
  await ensurePackages(packageSets.local);
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  // The scale part runs the agents through Pacemaker, which finds them under $OCF_ROOT.
  if (PART !== 'call') installAgents({ repo, ocfRoot: '/usr/lib/ocf', log: () => undefined });
  const debian = ensureDebianNode();
  // Debian's node sees its /usr/share/nodejs only inside a private mount namespace: the bench runs there.
  const r = spawnSync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      process.execPath,
      process.argv[1] ?? '',
      '--inner',
      JSON.stringify(debian),
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`the measurement exited ${r.status ?? r.signal}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
