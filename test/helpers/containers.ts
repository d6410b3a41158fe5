// Real busybox test containers under their own lxcpath, with the prefix every test resource carries.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  containerCgroupValue,
  containerInitPid,
  containerMemoryLimit,
  containerState,
  createBusyboxContainer,
  destroyContainer as destroyBusybox,
  type BusyboxContainer,
  type BusyboxOptions,
} from '../../tools/lib/busybox.js';

export const TEST_LXCPATH = '/var/lib/lxcha-test';
export const PREFIX = 'lxcha-test-';

export type TestContainer = BusyboxContainer;

export interface ContainerOptions extends BusyboxOptions {
  readonly lxcpath?: string;
}

export function requireRootAndLxc(): void {
  if (process.getuid?.() !== 0) throw new Error('these tests need root (real LXC containers)');
  if (spawnSync('lxc-create', ['--version']).status !== 0)
    throw new Error('lxc-create is missing: install lxc (npm test installs it)');
}

export function createContainer(suffix: string, options: ContainerOptions = {}): TestContainer {
  return createBusyboxContainer(`${PREFIX}${suffix}`, options.lxcpath ?? TEST_LXCPATH, options);
}

export const state = containerState;
export const initPid = containerInitPid;

export function destroyContainer(name: string, lxcpath = TEST_LXCPATH): void {
  destroyBusybox(name, lxcpath);
}

export function destroyAllTestContainers(lxcpath = TEST_LXCPATH): void {
  if (!existsSync(lxcpath)) return;
  for (const name of readdirSync(lxcpath)) if (name.startsWith(PREFIX)) destroyContainer(name, lxcpath);
}

/** Everything a bad-parameter run must leave alone: container states, their cgroups, the files under lxcpath. */
export function snapshot(lxcpath = TEST_LXCPATH): string {
  const lines: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir).sort()) {
      const p = path.join(dir, entry);
      const s = statSync(p, { throwIfNoEntry: false });
      if (s === undefined) continue;
      lines.push(`${p} ${s.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`}`);
      if (s.isDirectory() && !entry.startsWith('rootfs')) walk(p, depth + 1);
    }
  };
  walk(lxcpath, 0);
  const containers = existsSync(lxcpath) ? readdirSync(lxcpath).filter((n) => n.startsWith(PREFIX)) : [];
  for (const name of containers)
    lines.push(`${name} ${state({ name, lxcpath })} ${initPid({ name, lxcpath }) ?? '-'}`);
  for (const root of ['/sys/fs/cgroup/memory', '/sys/fs/cgroup']) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)
      .filter((e) => e.includes(PREFIX))
      .sort()) {
      const file = ['memory.limit_in_bytes', 'memory.max']
        .map((f) => path.join(root, entry, f))
        .find((f) => existsSync(f));
      lines.push(`${root}/${entry} ${file === undefined ? '' : readFileSync(file, 'utf8').trim()}`);
    }
  }
  return lines.join('\n');
}

/** The container's memory limit read from its cgroup itself (v1 memory.limit_in_bytes or v2 memory.max). */
export const memoryLimitFromCgroup = containerMemoryLimit;

/** The container's CPU list (cpuset.cpus), read from its init's cgroup. */
export const cpusetFromCgroup = (c: { name: string; lxcpath: string }): string | undefined =>
  containerCgroupValue(c, 'cpuset', 'cpuset.cpus', 'cpuset.cpus');

/** The LXC key that carries `file`'s limit on this host's hierarchy for `controller` (as the agent decides). */
export function cgroupKey(controller: string, v1File: string, v2File: string): string {
  const v1 = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[2] === 'cgroup' && (l.split(' ')[3] ?? '').split(',').includes(controller));
  return v1 ? `lxc.cgroup.${v1File}` : `lxc.cgroup2.${v2File}`;
}
