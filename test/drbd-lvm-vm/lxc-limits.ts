// Scenario: ocf:lxcha:lxc's limits on cgroup v2 (the VM's Debian 12 with systemd; the host's v1 is
// test/integration/10-lxc-agent.test.ts): a limit in the container's own config holds at start and
// across reload-agent of another parameter, a parameter overrides it live, and removing the parameter
// returns to it. A busybox container on the VM's root file system, removed afterwards.
import type { Vm } from '../cluster/vm.js';

type Check = (name: string, ok: boolean, details: string) => void;

const AGENT = '/usr/lib/ocf/resource.d/lxcha/lxc';
const LXCPATH = '/var/lib/lxcha-vm-test';
const NAME = 'lxcha-vm-limits';
const MIB = 1024 * 1024;

export async function lxcLimitsOnCgroupV2(vm: Vm, check: Check): Promise<void> {
  const config = `${LXCPATH}/${NAME}/config`;
  const agent = async (action: string, params: Record<string, string> = {}) => {
    const env = {
      OCF_ROOT: '/usr/lib/ocf',
      OCF_RESOURCE_INSTANCE: NAME,
      OCF_RA_VERSION_MAJOR: '1',
      OCF_RA_VERSION_MINOR: '1',
      OCF_RESKEY_CRM_meta_timeout: '90000',
      OCF_RESKEY_container: NAME,
      OCF_RESKEY_lxcpath: LXCPATH,
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
    };
    const r = await vm.exec(['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), AGENT, action], {
      timeoutS: 120,
    });
    const reason = /^ocf-exit-reason:(.*)$/m.exec(r.stderr)?.[1] ?? '';
    return { code: r.code, details: `${action} → ${r.code}${reason === '' ? '' : `: ${reason}`}` };
  };
  /** memory.max of the container's init, read from its own cgroup (unified hierarchy). */
  const memoryMax = async (): Promise<string> => {
    const pid = (
      await vm.exec(['lxc-info', '-n', NAME, '-P', LXCPATH, '-p', '-H'], { timeoutS: 30 })
    ).stdout.trim();
    const where = (await vm.exec(['cat', `/proc/${pid}/cgroup`], { timeoutS: 30 })).stdout
      .split('\n')
      .find((l) => l.startsWith('0::'))
      ?.slice(3);
    if (pid === '' || where === undefined) return '(no init)';
    return (await vm.exec(['cat', `/sys/fs/cgroup${where}/memory.max`], { timeoutS: 30 })).stdout.trim();
  };
  const step = async (name: string, action: string, params: Record<string, string>, want: string) => {
    const r = await agent(action, params);
    const seen = await memoryMax();
    check(name, r.code === 0 && seen === want, `${r.details}; memory.max ${seen} (want ${want})`);
  };

  const hierarchy = (
    await vm.exec(['stat', '-f', '-c', '%T', '/sys/fs/cgroup'], { timeoutS: 30 })
  ).stdout.trim();
  check('lxc-vm-cgroup-v2', hierarchy === 'cgroup2fs', `/sys/fs/cgroup is ${hierarchy}`);
  await vm.run(['mkdir', '-p', LXCPATH], { timeoutS: 30 });
  // No network, unconfined (as cluster/container.conf), and the config's own limit, as an administrator writes it.
  const base = '/tmp/lxcha-vm-limits.conf';
  await vm.run(
    [
      'sh',
      '-c',
      `printf '%s\\n' "$@" > ${base}`,
      'sh',
      'lxc.net.0.type = empty',
      'lxc.apparmor.profile = unconfined',
      'lxc.cgroup2.memory.max = 96M',
    ],
    { timeoutS: 30 },
  );
  await vm.run(['lxc-create', '-n', NAME, '-P', LXCPATH, '-t', 'busybox', '-f', base], { timeoutS: 120 });
  try {
    await step('lxc-v2-start-keeps-config-limit', 'start', {}, String(96 * MIB));
    await step(
      'lxc-v2-reload-other-parameter-keeps-config-limit',
      'reload-agent',
      { cpu_weight: '50' },
      String(96 * MIB),
    );
    await step(
      'lxc-v2-reload-parameter-overrides',
      'reload-agent',
      { memory_limit: '128M' },
      String(128 * MIB),
    );
    await step('lxc-v2-reload-without-parameter-returns-to-config', 'reload-agent', {}, String(96 * MIB));
    await vm.run(['sed', '-i', '/^lxc.cgroup2.memory.max/d', config], { timeoutS: 30 });
    await step('lxc-v2-reload-without-any-limit-lifts-it', 'reload-agent', {}, 'max');
    const stop = await agent('stop');
    check('lxc-v2-stop', stop.code === 0, stop.details);
  } finally {
    await vm.exec(['lxc-stop', '-n', NAME, '-P', LXCPATH, '-k'], { timeoutS: 60 });
    await vm.exec(['lxc-destroy', '-n', NAME, '-P', LXCPATH, '-f'], { timeoutS: 60 });
  }
}
