// ocf:lxcha:lxc against real busybox containers, driven as Pacemaker drives it.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, TEST_RSCTMP } from '../helpers/agent.js';
import {
  cgroupKey,
  cpusetFromCgroup,
  createContainer,
  destroyAllTestContainers,
  destroyContainer,
  initPid,
  memoryLimitFromCgroup,
  requireRootAndLxc,
  snapshot,
  state,
  TEST_LXCPATH,
  type TestContainer,
} from '../helpers/containers.js';
import { builtAgent } from '../helpers/paths.js';

let ct: TestContainer;
const params = () => ({ container: ct.name, lxcpath: ct.lxcpath, config: ct.config });
const probe = { interval: '0', timeout: '20000' };
const recurring = { interval: '30000', timeout: '20000' };

beforeAll(() => {
  requireRootAndLxc();
  destroyAllTestContainers();
  ct = createContainer('agent');
});
afterAll(() => destroyAllTestContainers());

describe('lifecycle', () => {
  it('probe of a stopped container is 7, start is 0 and RUNNING, a second start is 0', () => {
    expect(runAgent('monitor', { params: params(), meta: probe }).code).toBe(7);
    const start = runAgent('start', { params: params(), meta: { timeout: '60000' } });
    expect(start.code, start.stderr).toBe(0);
    expect(state(ct)).toBe('RUNNING');
    const pid = initPid(ct);
    expect(runAgent('start', { params: params() }).code).toBe(0);
    expect(initPid(ct)).toBe(pid);
    expect(runAgent('monitor', { params: params(), meta: recurring }).code).toBe(0);
  });

  it('monitor depth 10 proves init answers; depth 20 runs the health command as words, no shell', () => {
    expect(
      runAgent('monitor', { params: params(), meta: recurring, env: { OCF_CHECK_LEVEL: '10' } }).code,
    ).toBe(0);
    const healthy = runAgent('monitor', {
      params: { ...params(), health_command: 'test -d /etc' },
      meta: recurring,
      env: { OCF_CHECK_LEVEL: '20' },
    });
    expect(healthy.code, healthy.stderr).toBe(0);
    const sick = runAgent('monitor', {
      params: { ...params(), health_command: "sh -c 'echo broken >&2; exit 4'" },
      meta: recurring,
      env: { OCF_CHECK_LEVEL: '20' },
    });
    expect(sick.code).toBe(1);
    expect(sick.reason).toMatch(/health command failed \(exit 4\): broken/);
    // A metacharacter is a word, not shell syntax: `true; false` runs `true` with two arguments.
    expect(
      runAgent('monitor', {
        params: { ...params(), health_command: 'test -d /etc; false' },
        meta: recurring,
        env: { OCF_CHECK_LEVEL: '20' },
      }).code,
    ).toBe(1);
  });

  it('stop sends the halt signal from the config and init runs its ::shutdown: actions (orderly), then 0', () => {
    rmSync(ct.shutdownMarker, { force: true });
    const stop = runAgent('stop', { params: params(), meta: { timeout: '60000' } });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/sending SIGUSR1 to init/);
    expect(state(ct)).toBe('STOPPED');
    expect(existsSync(ct.shutdownMarker)).toBe(true);
  });

  it('stop of a stopped container is 0 and monitor is 7', () => {
    expect(runAgent('stop', { params: params() }).code).toBe(0);
    expect(runAgent('monitor', { params: params(), meta: recurring }).code).toBe(7);
  });

  it('stop succeeds without CRM_meta_timeout (uses the declared stop timeout)', () => {
    expect(runAgent('start', { params: params() }).code).toBe(0);
    const stop = runAgent('stop', { params: params(), meta: {} });
    expect(stop.code, stop.stderr).toBe(0);
    expect(state(ct)).toBe('STOPPED');
  });
});

describe('failures behind the agent', () => {
  it('a frozen container: monitor 1 (not serving), stop thaws it and stops it in order', () => {
    expect(runAgent('start', { params: params() }).code).toBe(0);
    execFileSync('lxc-freeze', ['-n', ct.name, '-P', ct.lxcpath]);
    expect(state(ct)).toBe('FROZEN');
    const mon = runAgent('monitor', { params: params(), meta: recurring });
    expect(mon.code).toBe(1);
    expect(mon.reason).toMatch(/FROZEN/);
    rmSync(ct.shutdownMarker, { force: true });
    const stop = runAgent('stop', { params: params(), meta: { timeout: '30000' } });
    expect(stop.code, stop.stderr).toBe(0);
    expect(state(ct)).toBe('STOPPED');
    expect(existsSync(ct.shutdownMarker)).toBe(true);
  });

  it('init killed behind the agent: the next recurring monitor answers 7', () => {
    expect(runAgent('start', { params: params() }).code).toBe(0);
    const pid = initPid(ct);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (state(ct) !== 'STOPPED' && Date.now() < deadline) execFileSync('sleep', ['0.1']);
    expect(runAgent('monitor', { params: params(), meta: recurring }).code).toBe(7);
  });

  it('a hanging orderly shutdown is forced within the stop timeout', () => {
    const hung = createContainer('hang', { hangOnShutdown: true });
    const p = { container: hung.name, lxcpath: hung.lxcpath };
    expect(runAgent('start', { params: p }).code).toBe(0);
    const stop = runAgent('stop', { params: p, meta: { timeout: '20000' } });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/killing the container/);
    expect(stop.ms).toBeLessThan(20_000);
    expect(state(hung)).toBe('STOPPED');
    const short = runAgent('start', { params: p });
    expect(short.code).toBe(0);
    const quick = runAgent('stop', { params: { ...p, halt_timeout: '2s' }, meta: { timeout: '60000' } });
    expect(quick.code).toBe(0);
    expect(quick.ms).toBeLessThan(10_000);
  });
});

describe('a node without the container config (replicated filesystem not mounted here)', () => {
  const absent = () => ({
    container: `${ct.name}-elsewhere`,
    lxcpath: TEST_LXCPATH,
    config: '/lxcha-test-not-mounted/ct/config',
  });
  it('probe answers 7, stop answers 0, start and validate-all answer 5 with a reason', () => {
    expect(runAgent('monitor', { params: absent(), meta: probe }).code).toBe(7);
    expect(runAgent('stop', { params: absent(), meta: { timeout: '20000' } }).code).toBe(0);
    expect(runAgent('stop', { params: absent() }).code).toBe(0);
    const start = runAgent('start', { params: absent() });
    expect(start.code).toBe(5);
    expect(start.reason).toMatch(/not readable on this node/);
    expect(runAgent('validate-all', { params: absent() }).code).toBe(5);
  });
  it('a probe where the LXC tools are absent answers 7; a recurring monitor 5; stop 0', () => {
    // PATH holds node (for the agent's #!/usr/bin/env node) and nothing else.
    const bin = mkdtempSync(path.join(tmpdir(), 'lxcha-nolxc-'));
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const noLxc = { PATH: bin };
    expect(runAgent('monitor', { params: params(), meta: probe, env: noLxc }).code).toBe(7);
    expect(runAgent('monitor', { params: params(), meta: recurring, env: noLxc }).code).toBe(5);
    expect(runAgent('stop', { params: params(), env: noLxc }).code).toBe(0);
    expect(runAgent('start', { params: params(), env: noLxc }).code).toBe(5);
  });
  it('stop and probe ignore errors in parameters other than container and lxcpath', () => {
    const bad = { ...params(), memory_limit: 'lots', cpu_weight: '0' };
    expect(runAgent('monitor', { params: bad, meta: probe }).code).toBe(7);
    expect(runAgent('stop', { params: bad }).code).toBe(0);
  });
});

describe('bad input: right code, exit reason, and nothing changed', () => {
  beforeAll(() => {
    expect(runAgent('start', { params: params() }).code).toBe(0);
  });
  const cases: [string, Record<string, string>, number, RegExp][] = [
    [
      'container with shell metacharacters',
      { container: 'ct0;reboot' },
      6,
      /container="ct0;reboot": not a valid container name/,
    ],
    ['container unset', { container: '' }, 6, /required parameter container is not set/],
    ['relative config', { config: 'ct0/config' }, 6, /config="ct0\/config": not an absolute path/],
    ['config with ..', { config: '/var/lib/../../etc/passwd' }, 6, /contains "\.\." components/],
    ['relative lxcpath', { lxcpath: 'var/lib/lxc' }, 6, /lxcpath="var\/lib\/lxc": not an absolute path/],
    ['relative log', { log: 'lxc.log' }, 6, /log="lxc.log"/],
    ['relative console_log', { console_log: 'console.log' }, 6, /console_log="console.log"/],
    ['use_screen not a boolean', { use_screen: 'perhaps' }, 6, /use_screen="perhaps": not a boolean/],
    ['memory_limit without a number', { memory_limit: 'lots' }, 6, /memory_limit="lots": not a size/],
    ['memory_limit too small', { memory_limit: '1K' }, 6, /at least 4M/],
    ['cpu_weight zero', { cpu_weight: '0' }, 6, /cpu_weight="0": must be at least 1/],
    ['cpu_weight too big', { cpu_weight: '20000' }, 6, /at most 10000/],
    ['cpu_weight not a number', { cpu_weight: 'high' }, 6, /not an integer/],
    ['cpuset with a metacharacter', { cpuset: '0;1' }, 6, /cpuset="0;1": not a CPU list/],
    ['cpuset naming an absent CPU', { cpuset: '0,999' }, 2, /CPUs not online on this node: 999/],
    ['halt_timeout not a duration', { halt_timeout: 'soon' }, 6, /halt_timeout="soon": not a duration/],
    ['health_command with an open quote', { health_command: "sh -c 'oops" }, 6, /unterminated ' quote/],
    ['config missing on this node', { config: '/nonexistent/config' }, 5, /not readable on this node/],
  ];
  for (const action of ['start', 'validate-all', 'reload-agent']) {
    for (const [what, override, code, reason] of cases) {
      if (action === 'reload-agent' && code === 5) continue; // reload needs no config file
      it(`${action}: ${what} → ${code}`, () => {
        const other = createContainerName();
        const before = snapshot();
        const run = runAgent(action, { params: { ...params(), container: other, ...override } });
        expect(run.code, run.stderr).toBe(code);
        expect(run.reason).toMatch(reason);
        expect(snapshot()).toBe(before);
      });
    }
  }
  it('reload-agent with a bad memory_limit leaves the running container cgroup unchanged', () => {
    const before = memoryLimitFromCgroup(ct);
    const run = runAgent('reload-agent', { params: { ...params(), memory_limit: '12Q' } });
    expect(run.code).toBe(6);
    expect(memoryLimitFromCgroup(ct)).toBe(before);
  });
  it('an unknown action answers 3 with a reason', () => {
    const run = runAgent('migrate_to', { params: params() });
    expect(run.code).toBe(3);
    expect(run.reason).toMatch(/not implemented/);
  });
});

/** Bad-input cases name a second container that must never come to exist. */
function createContainerName(): string {
  return `${ct.name}-never`;
}

describe('resource limits', () => {
  it('start applies the memory limit; reload-agent changes it live, init keeps its PID', () => {
    runAgent('stop', { params: params() });
    const start = runAgent('start', { params: { ...params(), memory_limit: '64M', cpu_weight: '50' } });
    expect(start.code, start.stderr).toBe(0);
    expect(memoryLimitFromCgroup(ct)).toBe(String(64 * 1024 * 1024));
    const pid = initPid(ct);
    const reload = runAgent('reload-agent', {
      params: { ...params(), memory_limit: '128M', cpu_weight: '50' },
    });
    expect(reload.code, reload.stderr).toBe(0);
    expect(memoryLimitFromCgroup(ct)).toBe(String(128 * 1024 * 1024));
    expect(initPid(ct)).toBe(pid);
    expect(state(ct)).toBe('RUNNING');
  });
  it("reload-agent without memory_limit lifts the limit to the kernel's default (v1: -1 reaches lxc-cgroup as a value)", () => {
    const reload = runAgent('reload-agent', { params: { ...params(), cpu_weight: '50' } });
    expect(reload.code, reload.stderr).toBe(0);
    expect(memoryLimitFromCgroup(ct)).toMatch(/^(max|\d{16,})$/);
    expect(state(ct)).toBe('RUNNING');
  });
  it("a limit in the container's own config holds at start and across reloads; removing the parameter returns to it", () => {
    const own = createContainer('own-limit');
    const ownParams = { container: own.name, lxcpath: own.lxcpath, config: own.config };
    const key = cgroupKey('memory', 'memory.limit_in_bytes', 'memory.max');
    writeFileSync(own.config, `${key} = 96M\n`, { flag: 'a' });
    const mib = (n: number) => String(n * 1024 * 1024);
    try {
      const start = runAgent('start', { params: ownParams, meta: { timeout: '60000' } });
      expect(start.code, start.stderr).toBe(0);
      expect(memoryLimitFromCgroup(own)).toBe(mib(96));
      const other = runAgent('reload-agent', { params: { ...ownParams, cpu_weight: '50' } });
      expect(other.code, other.stderr).toBe(0);
      expect(memoryLimitFromCgroup(own)).toBe(mib(96));
      const raised = runAgent('reload-agent', { params: { ...ownParams, memory_limit: '128M' } });
      expect(raised.code, raised.stderr).toBe(0);
      expect(memoryLimitFromCgroup(own)).toBe(mib(128));
      const back = runAgent('reload-agent', { params: ownParams });
      expect(back.code, back.stderr).toBe(0);
      expect(back.stderr).toMatch(new RegExp(`set ${key.split('.').slice(2).join('.')} = 96M`));
      expect(memoryLimitFromCgroup(own)).toBe(mib(96));
      expect(runAgent('stop', { params: ownParams }).code).toBe(0);
    } finally {
      destroyContainer(own.name, own.lxcpath);
    }
  });
});

describe('log, console_log and cpuset (ocf:heartbeat:lxc parameters and ours) take effect', () => {
  it("cpuset pins the container, log receives lxc-start's log, console_log the console output", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-logs-'));
    const own = createContainer('logs');
    writeFileSync(
      path.join(own.rootfs, 'etc/inittab'),
      '::sysinit:/bin/sh -c "echo lxcha-console-marker >/dev/console"\n::respawn:/bin/sleep 100000\n',
    );
    const ownParams = { container: own.name, lxcpath: own.lxcpath, config: own.config };
    const log = path.join(dir, 'lxc-start.log');
    const consoleLog = path.join(dir, 'console.log');
    try {
      const start = runAgent('start', {
        params: { ...ownParams, cpuset: '0', log, console_log: consoleLog },
        meta: { timeout: '60000' },
      });
      expect(start.code, start.stderr).toBe(0);
      expect(cpusetFromCgroup(own)).toBe('0');
      expect(existsSync(log)).toBe(true);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !/lxcha-console-marker/.test(readFileSync(consoleLog, 'utf8'))) {
        execFileSync('sleep', ['0.2']);
      }
      expect(readFileSync(consoleLog, 'utf8')).toMatch(/lxcha-console-marker/);
      const reload = runAgent('reload-agent', { params: { ...ownParams, cpuset: '1' } });
      expect(reload.code, reload.stderr).toBe(0);
      expect(cpusetFromCgroup(own)).toBe('1');
      expect(runAgent('stop', { params: ownParams }).code).toBe(0);
    } finally {
      destroyContainer(own.name, own.lxcpath);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("without log, lxc-start logs to ocf:heartbeat:lxc's default file, $HA_RSCTMP/<resource instance>.log", () => {
    const own = createContainer('default-log');
    const ownParams = { container: own.name, lxcpath: own.lxcpath, config: own.config };
    const instance = 'lxcha-test-default-log';
    const file = path.join(TEST_RSCTMP, `${instance}.log`);
    rmSync(file, { force: true });
    try {
      const start = runAgent('start', {
        params: ownParams,
        meta: { timeout: '60000' },
        env: { OCF_RESOURCE_INSTANCE: instance },
      });
      expect(start.code, start.stderr).toBe(0);
      expect(existsSync(file)).toBe(true);
      expect(runAgent('stop', { params: ownParams }).code).toBe(0);
    } finally {
      destroyContainer(own.name, own.lxcpath);
      rmSync(file, { force: true });
    }
  });
});

describe('validate-all', () => {
  it("passes on the test container and warns, without failing, about the talk's pitfalls with the key to change", () => {
    const run = runAgent('validate-all', { params: params() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARNING: .*lxc\.apparmor\.profile: the container runs unconfined/);
    expect(run.stderr).toMatch(/lxc\.idmap: privileged container/);
    expect(run.stderr).toMatch(/lxc\.cap\.drop: capability sys_admin is not dropped/);
    expect(run.stderr).not.toMatch(/INFO/);
  });
  it('follows lxc.include: a hardening include silences its findings', () => {
    const include = path.join(path.dirname(ct.config), 'hardening.conf');
    writeFileSync(include, 'lxc.cap.drop = sys_admin syslog\n');
    const cfg = path.join(path.dirname(ct.config), 'config-hardened');
    execFileSync('cp', [ct.config, cfg]);
    writeFileSync(cfg, `lxc.include = ${include}\n`, { flag: 'a' });
    const run = runAgent('validate-all', { params: { ...params(), config: cfg } });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/sys_admin/);
    expect(run.stderr).not.toMatch(/capability syslog/);
    expect(run.stderr).toMatch(/sys_time|unconfined/);
  });
});

describe('administrator command line', () => {
  it('--help lists parameters; flags map onto OCF_RESKEY_*', () => {
    const help = execFileSync(builtAgent('lxc'), ['--help'], { encoding: 'utf8' });
    expect(help).toMatch(/--memory_limit/);
    expect(help).toMatch(/--container/);
    const r = execFileSync(
      builtAgent('lxc'),
      ['monitor', '--container', ct.name, '--lxcpath', ct.lxcpath, '--interval', '30s'],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    expect(r).toBe('');
  });
});
