// `npm run test:fresh`: the README's two set-up commands, exactly as written there, on a Debian 12 root
// that has never seen this project. The root is built once with debootstrap (minbase, from this host's
// Debian mirror) and cached; every run starts from a fresh copy of it. In a private mount and PID
// namespace (its own /proc, /run, /dev/shm; /sys and /dev as LXC needs them) the copy gets what a new
// user installs first (Debian's nodejs, npm and git), clones the current commit (never the working
// tree) and runs the two commands with only the emulated-VM stages skipped (LXCHA_SKIP_CLUSTER=1; npm
// test on the host runs them). The network is the host's, for the package registries: the root's
// one-node cluster would share loopback and IPC with a cluster on the host, so it refuses to start while
// one runs. Ends with `fresh: N passed, M failed`, and removes everything it made.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { debianMirror } from './lib/debian-mirror.js';
import { withLock } from './lib/dir-lock.js';
import { ensurePackages, packageSets } from './lib/packages.js';
import { parseSetupCommands } from './lib/readme-setup.js';

const SUITE = 'bookworm';
/** What a new user installs before the two commands (README: apt-get install nodejs npm git). */
const USER_PACKAGES = ['nodejs', 'npm', 'git'];
/** Changing how the base root is made changes this, and with it the cache key. */
const BASE_RECIPE = `debootstrap --variant=minbase ${SUITE} v1`;
const CACHE = process.env.LXCHA_FRESH_CACHE ?? '/var/cache/lxcha/fresh';
const CHROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Inside the root: the clone of the commit under test, and the host's git folder it is cloned from. */
const CLONE = '/root/lxcha';
const ORIGIN = '/srv/lxcha.git';

const repo = path.resolve(import.meta.dirname, '..');

interface Step {
  title: string;
  seconds: number;
  ok: boolean;
}

interface InnerPlan {
  root: string;
  debs: string;
  gitDir: string;
  commit: string;
  demo: string;
  test: string;
  result: string;
  /** NAME=value of the host's proxy and CA variables. */
  network: string[];
}

interface InnerResult {
  steps: Step[];
  tests?: { passed: number; failed: number };
}

const log = (line: string): void => console.log(`fresh: ${line}`);
const now = (): number => performance.now() / 1000;

function pids(name: string): string[] {
  const r = spawnSync('pgrep', ['-x', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n') : [];
}

/** The host must run no cluster: the root's would share its loopback address and IPC sockets. */
function hostClusterProblem(): string | undefined {
  const running = ['corosync', 'pacemakerd', 'pacemaker-controld'].filter((d) => pids(d).length > 0);
  if (running.length === 0) return undefined;
  return `a cluster runs on this machine (${running.join(', ')}): the fresh root's one-node cluster would share its loopback address and IPC; stop it first`;
}

/** The pid of another test:fresh run, from its marker; this run's marker is written when there is none. */
function otherRun(): number | undefined {
  mkdirSync(CACHE, { recursive: true });
  const marker = path.join(CACHE, 'run.pid');
  const pid = Number(existsSync(marker) ? readFileSync(marker, 'utf8') : 'NaN');
  if (Number.isInteger(pid) && pid !== process.pid) {
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      // a dead run's marker
    }
  }
  writeFileSync(marker, String(process.pid));
  process.once('exit', () => rmSync(marker, { force: true }));
  return undefined;
}

/** The cached Debian 12 minbase root, built when missing. */
async function baseRoot(): Promise<string> {
  const key = createHash('sha256').update(BASE_RECIPE).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, `base-${key}`);
  if (existsSync(path.join(dir, 'complete'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  await withLock(path.join(CACHE, '.lock'), async () => {
    if (existsSync(path.join(dir, 'complete'))) return;
    const mirror = debianMirror();
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    log(`building the Debian 12 base root (debootstrap --variant=minbase ${SUITE}) into ${tmp}`);
    const started = now();
    await run('debootstrap', ['--variant=minbase', SUITE, path.join(tmp, 'root'), mirror], { quiet: true });
    writeFileSync(path.join(tmp, 'complete'), `${BASE_RECIPE}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    log(`base root built in ${(now() - started).toFixed(0)}s`);
  });
  return dir;
}

/** Runs a command; resolves with its status and, when `capture`, its stdout (shown as it comes). */
function run(
  command: string,
  args: string[],
  options: { quiet?: boolean; capture?: boolean } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [
        'ignore',
        options.quiet === true ? 'ignore' : 'pipe',
        options.quiet === true ? 'pipe' : 'inherit',
      ],
    });
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (options.capture === true) output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (options.quiet === true && code !== 0) {
        reject(
          new Error(`${command} failed (exit ${code}): ${errors.trim().split('\n').slice(-5).join(' / ')}`),
        );
        return;
      }
      resolve({ code, output });
    });
  });
}

// ---- inside the namespaces (PID 2, under tini) ----

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'inherit' });
}

/** /proc of this PID namespace, /sys and /dev of the host (cgroups and devices for LXC), own /run, /dev/shm. */
function mountRoot(plan: InnerPlan): void {
  const r = (p: string): string => path.join(plan.root, p);
  // The root must be a mount point: LXC's pivot_root into a container fails in a plain chroot (EINVAL).
  mount(['--bind', plan.root, plan.root]);
  mount(['-t', 'proc', 'proc', r('proc')]);
  mount(['--rbind', '/sys', r('sys')]);
  mount(['--rbind', '/dev', r('dev')]);
  mount(['-t', 'tmpfs', '-o', 'mode=1777', 'tmpfs', r('dev/shm')]);
  mount(['-t', 'tmpfs', '-o', 'mode=755', 'tmpfs', r('run')]);
  mkdirSync(r('run/lock'), { recursive: true });
  mount(['--bind', plan.debs, r('var/cache/apt/archives')]);
  mkdirSync(r(ORIGIN), { recursive: true });
  mount(['--bind', plan.gitDir, r(ORIGIN)]);
  mount(['-o', 'remount,bind,ro', r(ORIGIN)]);
}

/** One shell command line in the root, as a user types it (the README's commands are shell lines). */
async function inRoot(
  plan: InnerPlan,
  line: string,
  capture = false,
): Promise<{ code: number | null; output: string }> {
  return run(
    'chroot',
    [
      plan.root,
      '/usr/bin/env',
      '-i',
      'HOME=/root',
      `PATH=${CHROOT_PATH}`,
      'LANG=C.UTF-8',
      'TERM=dumb',
      'DEBIAN_FRONTEND=noninteractive',
      'LXCHA_SKIP_CLUSTER=1',
      ...plan.network,
      '/bin/bash',
      '-c',
      line,
    ],
    { capture },
  );
}

async function inner(plan: InnerPlan): Promise<void> {
  const result: InnerResult = { steps: [] };
  const step = async (
    title: string,
    line: string,
    capture = false,
  ): Promise<{ ok: boolean; output: string }> => {
    console.log(`\n=== fresh root: ${title}: ${line}`);
    const started = now();
    const r = await inRoot(plan, line, capture);
    const ok = r.code === 0;
    result.steps.push({ title, seconds: now() - started, ok });
    writeFileSync(plan.result, JSON.stringify(result));
    return { ok, output: r.output };
  };
  try {
    mountRoot(plan);
    const prerequisites = await step(
      'what a new user installs first',
      `apt-get update -q && apt-get install -y -q ${USER_PACKAGES.join(' ')}`,
    );
    const clone =
      prerequisites.ok &&
      (
        await step(
          'clone of the commit',
          `git clone -q ${ORIGIN} ${CLONE} && git -C ${CLONE} checkout -q --detach ${plan.commit}`,
        )
      ).ok;
    if (clone) {
      await step('the main job', `cd ${CLONE} && ${plan.demo}`);
      const tests = await step('every test', `cd ${CLONE} && ${plan.test}`, true);
      const m = [...tests.output.matchAll(/^tests: (\d+) passed, (\d+) failed$/gm)].at(-1);
      if (m !== undefined) result.tests = { passed: Number(m[1]), failed: Number(m[2]) };
    }
  } catch (error) {
    console.error(`fresh: ${(error as Error).message}`);
  } finally {
    writeFileSync(plan.result, JSON.stringify(result));
    // Every process this run started in its PID namespace, daemons and containers included.
    stopEverything();
  }
}

function stopEverything(): void {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-1, signal);
    } catch {
      return; // nothing left
    }
    spawnSync('sleep', [signal === 'SIGTERM' ? '5' : '1']);
  }
}

// ---- on the host ----

/** The mounts under `dir` in this (the host's) mount namespace: there must be none before it is removed. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
}

/** Removes a cgroup folder and its children, deepest first; a cgroup still holding a process stays. */
function removeCgroup(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) removeCgroup(path.join(dir, e.name));
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/** Empty cgroups that the root's containers (lxcha-*) left when their processes were killed, in each hierarchy. */
function removeLeftCgroups(): number {
  const top = '/sys/fs/cgroup';
  const hierarchies = [
    top,
    ...readdirSync(top, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(top, e.name)),
  ];
  let removed = 0;
  for (const h of hierarchies) {
    let names: string[] = [];
    try {
      names = readdirSync(h).filter((n) => /^lxc\.(payload|monitor)\.lxcha-/.test(n));
    } catch {
      continue;
    }
    for (const n of names) if (removeCgroup(path.join(h, n))) removed += 1;
  }
  return removed;
}

/**
 * The root shares the host's network, so it takes the host's way out: name servers, the certificate
 * authorities this host adds locally (a TLS-inspecting proxy's, for example; ca-certificates adds them
 * to the root's bundle when it is installed there) and the proxy and CA variables of this environment.
 */
function shareHostNetworkSettings(root: string): void {
  copyFileSync('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));
  writeFileSync(
    path.join(root, 'etc/hosts'),
    `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
  );
  const local = '/usr/local/share/ca-certificates';
  if (existsSync(local)) {
    mkdirSync(path.join(root, local), { recursive: true });
    for (const file of readdirSync(local).filter((f) => f.endsWith('.crt')))
      copyFileSync(path.join(local, file), path.join(root, local, file));
  }
}

/** The host's proxy and CA-bundle variables, passed into the root (it uses the same network). */
export function networkVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const names = [
    'http_proxy',
    'https_proxy',
    'no_proxy',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'GIT_SSL_CAINFO',
  ];
  return names.filter((n) => env[n] !== undefined && env[n] !== '').map((n) => `${n}=${env[n]}`);
}

async function outer(): Promise<number> {
  const started = now();
  const problem = hostClusterProblem();
  if (problem !== undefined) {
    console.error(`lxcha: npm run test:fresh: ${problem}.`);
    return 1;
  }
  const other = otherRun();
  if (other !== undefined) {
    console.error(
      `lxcha: npm run test:fresh: another run (pid ${other}) is under way; it shares the .deb cache and loopback.`,
    );
    return 1;
  }
  await ensurePackages(packageSets.fresh);
  const commit = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const gitDir = path.resolve(
    repo,
    execFileSync('git', ['-C', repo, 'rev-parse', '--git-common-dir'], { encoding: 'utf8' }).trim(),
  );
  // The commands of that commit's README: what is proven is what users of that commit read.
  const readme = execFileSync('git', ['-C', repo, 'show', `${commit}:README.md`], { encoding: 'utf8' });
  const commands = parseSetupCommands(readme);
  log(`commit ${commit.slice(0, 12)}; README's commands: "${commands.demo}", "${commands.test}"`);
  const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain'], { encoding: 'utf8' }).trim();
  if (dirty !== '') log('the working tree has uncommitted changes: they are not tested (the commit is)');

  const baseStarted = now();
  const base = await baseRoot();
  const baseSeconds = now() - baseStarted;
  const work = path.join('/var/tmp', `lxcha-fresh-${process.pid}`);
  const root = path.join(work, 'root');
  const debs = path.join(CACHE, 'debs');
  mkdirSync(path.join(debs, 'partial'), { recursive: true });
  mkdirSync(work, { recursive: true });
  let code = 1;
  // An interrupted run still removes what it made: the namespaces go with their first process.
  let child: ReturnType<typeof spawn> | undefined;
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    child?.kill('SIGKILL');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const copyStarted = now();
    execFileSync('cp', ['-a', '--reflink=auto', path.join(base, 'root'), root]);
    shareHostNetworkSettings(root);
    log(`fresh copy of the base root in ${(now() - copyStarted).toFixed(0)}s: ${root}`);
    const plan: InnerPlan = {
      root,
      debs,
      gitDir,
      commit,
      demo: commands.demo,
      test: commands.test,
      result: path.join(work, 'result.json'),
      network: networkVariables(),
    };
    const namespaces = spawn(
      'unshare',
      [
        '--mount',
        '--pid',
        '--fork',
        '--propagation',
        'private',
        '--kill-child',
        '--',
        'tini',
        '-s',
        '--',
        process.execPath,
        process.argv[1] ?? '',
        '--inner',
        JSON.stringify(plan),
      ],
      { stdio: 'inherit' },
    );
    child = namespaces;
    await new Promise((resolve) => namespaces.on('close', resolve));
    const result = existsSync(plan.result)
      ? (JSON.parse(readFileSync(plan.result, 'utf8')) as InnerResult)
      : { steps: [] };
    console.log('\n=== fresh: summary');
    console.log(`fresh: base root ${baseSeconds.toFixed(0)}s (${baseSeconds > 60 ? 'built' : 'cached'})`);
    for (const s of result.steps)
      console.log(`fresh: ${s.ok ? 'ok' : 'FAIL'} ${s.title} ${s.seconds.toFixed(0)}s`);
    const stepsOk = result.steps.length === 4 && result.steps.every((s) => s.ok);
    const passed = (result.tests?.passed ?? 0) + result.steps.filter((s) => s.ok).length;
    const failed = (result.tests?.failed ?? 0) + (4 - result.steps.filter((s) => s.ok).length);
    if (result.tests === undefined)
      console.log('fresh: FAIL the tests printed no "tests: N passed, M failed" line');
    console.log(`fresh: total ${((now() - started) / 60).toFixed(1)} min`);
    console.log(`fresh: ${passed} passed, ${failed} failed`);
    code = stepsOk && result.tests !== undefined && failed === 0 ? 0 : 1;
  } finally {
    const left = mountsUnder(work);
    if (left.length > 0) {
      console.error(`fresh: mounts left under ${work} (${left.join(', ')}): not removing it`);
      code = 1;
    } else {
      rmSync(work, { recursive: true, force: true });
    }
    const cgroups = removeLeftCgroups();
    if (cgroups > 0) log(`removed ${cgroups} empty container cgroups`);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  return interrupted ? 130 : code;
}

if (process.argv[2] === '--inner') {
  void inner(JSON.parse(process.argv[3] ?? '{}') as InnerPlan);
} else {
  outer().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`lxcha: npm run test:fresh: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
