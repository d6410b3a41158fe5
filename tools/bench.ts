// `npm run bench`: ocf:lxcha:lxc against ocf:heartbeat:lxc on the same busybox container, alternating the
// two in one run: recurring monitor of a RUNNING container, start, and stop. Prints median ratios (wall,
// CPU of the agent and its children) and peak memory. Ratios, not absolute times: these machines are noisy.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { containerState, createBusyboxContainer, destroyContainer } from './lib/busybox.js';
import { ensurePackages, packageSets } from './lib/packages.js';

const repo = path.resolve(import.meta.dirname, '..');
const OURS = path.join(repo, 'dist/ocf/resource.d/lxcha/lxc');
const THEIRS = '/usr/lib/ocf/resource.d/heartbeat/lxc';
const PAIRS = Number(process.env.LXCHA_BENCH_PAIRS ?? 15);
const MONITOR_PAIRS = Number(process.env.LXCHA_BENCH_MONITOR_PAIRS ?? 30);
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

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the bench runs real containers: run it as root');
  await ensurePackages(packageSets.local);
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const ct = createBusyboxContainer(NAME, LXCPATH);
  try {
    const env = envFor(ct.config);
    const monitorEnv = envFor(ct.config, {
      OCF_RESKEY_CRM_meta_interval: '30000',
      OCF_RESKEY_CRM_meta_timeout: '20000',
    });
    const mon = { ours: [] as Sample[], theirs: [] as Sample[] };
    // The floor every Node.js agent pays: the runtime starting and exiting with nothing to do.
    const nodeFloor: Sample[] = [];
    const start = { ours: [] as Sample[], theirs: [] as Sample[] };
    const stop = { ours: [] as Sample[], theirs: [] as Sample[] };
    expectCode(measure(OURS, 'start', env), 0, 'warm-up start');
    for (let i = 0; i < MONITOR_PAIRS; i++) {
      // Alternate which agent goes first, so neither always runs on a warmer cache.
      const order = i % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const);
      for (const who of order)
        mon[who].push(
          expectCode(measure(who === 'ours' ? OURS : THEIRS, 'monitor', monitorEnv), 0, `${who} monitor`),
        );
      nodeFloor.push(measure(process.execPath, '-e', monitorEnv));
    }
    expectCode(measure(OURS, 'stop', env), 0, 'warm-up stop');
    for (let i = 0; i < PAIRS; i++) {
      for (const who of i % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const)) {
        const agent = who === 'ours' ? OURS : THEIRS;
        start[who].push(expectCode(measure(agent, 'start', env), 0, `${who} start`));
        if (containerState(ct) !== 'RUNNING')
          throw new Error(`${who} start left the container ${containerState(ct)}`);
        stop[who].push(expectCode(measure(agent, 'stop', env), 0, `${who} stop`));
        if (containerState(ct) !== 'STOPPED')
          throw new Error(`${who} stop left the container ${containerState(ct)}`);
      }
    }
    console.log('\nocf:lxcha:lxc / ocf:heartbeat:lxc, medians, same container, alternating:');
    console.log(report('monitor', mon.ours, mon.theirs));
    console.log(report('start', start.ours, start.theirs));
    console.log(report('stop', stop.ours, stop.theirs));
    console.log(
      `node -e 0 (the floor of any Node agent): wall ${median(nodeFloor.map((x) => x.wall)).toFixed(3)}s, cpu ${median(nodeFloor.map((x) => x.cpu)).toFixed(3)}s; ` +
        `our monitor above it: wall +${(median(mon.ours.map((x) => x.wall)) - median(nodeFloor.map((x) => x.wall))).toFixed(3)}s`,
    );
  } finally {
    destroyContainer(NAME, LXCPATH);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
