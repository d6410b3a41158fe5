// Container resource limits on either cgroup hierarchy: which LXC key and cgroup file carry each limit,
// decided per controller from the host's mounts (this host: v1 controllers; Debian 12 with systemd: v2).
import { readFileSync } from 'node:fs';

export type Controller = 'memory' | 'cpu' | 'cpuset';
export type CgroupVersion = 1 | 2;

export interface ResourceLimits {
  /** Bytes. */
  readonly memoryBytes?: number | undefined;
  /** cgroup v2 weight, 1..10000 (100 is the kernel's default). */
  readonly cpuWeight?: number | undefined;
  /** CPU list such as "0-1,3". */
  readonly cpuset?: string | undefined;
}

/** One limit as LXC's start-time override (`lxc-start -s KEY=VALUE`) and as a live cgroup file write. */
export interface CgroupSetting {
  readonly controller: Controller;
  /** lxc.cgroup.<file> (v1) or lxc.cgroup2.<file> (v2). */
  readonly lxcKey: string;
  /** File name in the container's cgroup, as lxc-cgroup takes it. */
  readonly file: string;
  readonly value: string;
}

/** Controllers mounted as cgroup v1 hierarchies; every other controller is on the unified (v2) hierarchy. */
export function v1Controllers(mounts: string): Set<string> {
  const found = new Set<string>();
  for (const line of mounts.split('\n')) {
    const [, , type, options] = line.split(' ');
    if (type !== 'cgroup' || options === undefined) continue;
    for (const o of options.split(',')) found.add(o);
  }
  return found;
}

export function detectVersions(
  mounts: string = readFileSync('/proc/self/mounts', 'utf8'),
): Record<Controller, CgroupVersion> {
  const v1 = v1Controllers(mounts);
  const version = (c: Controller): CgroupVersion => (v1.has(c) ? 1 : 2);
  return { memory: version('memory'), cpu: version('cpu'), cpuset: version('cpuset') };
}

/** systemd's mapping between v2 weight (default 100) and v1 shares (default 1024). */
export const weightToShares = (weight: number): number => Math.max(2, Math.round((weight * 1024) / 100));

const sizeUnits: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** "512M", "2G", "1048576" → bytes; undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const bytes = Number(m[1]) * (sizeUnits[(m[2] ?? '').toUpperCase()] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Why a CPU list is malformed, or undefined. */
export function cpusetProblem(text: string): string | undefined {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return 'not a CPU list (like 0-1,3)';
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (b !== undefined && a !== undefined && b < a) return `range ${part} is backwards`;
  }
  return undefined;
}

export function expandCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let c = a; c <= (b ?? a); c++) cpus.push(c);
  }
  return cpus;
}

/** How reload fills a limit absent from the parameters: the container's config, else the kernel's default. */
export interface UnsetLimits {
  /** The container config's last value of an LXC key (lxc.cgroup.* / lxc.cgroup2.*), if it sets one. */
  readonly configured: (lxcKey: string) => string | undefined;
  /** The node's online CPUs, the default CPU list. */
  readonly onlineCpus: string;
}

/**
 * The settings that express `limits`. At start an undefined limit is left out (LXC applies the
 * container's config). At reload (`unset` given) it becomes the config's value for the same key on this
 * host's hierarchy, else the kernel's default, so a reload never lifts a limit the config sets.
 */
export function cgroupSettings(
  limits: ResourceLimits,
  versions: Record<Controller, CgroupVersion>,
  unset?: UnsetLimits,
): CgroupSetting[] {
  const settings: CgroupSetting[] = [];
  const add = (
    controller: Controller,
    v1File: string,
    v2File: string,
    value: string | undefined,
    defaults: Record<CgroupVersion, string | undefined>,
  ) => {
    const v = versions[controller];
    const file = v === 1 ? v1File : v2File;
    const lxcKey = `${v === 1 ? 'lxc.cgroup' : 'lxc.cgroup2'}.${file}`;
    const chosen = value ?? (unset === undefined ? undefined : (unset.configured(lxcKey) ?? defaults[v]));
    if (chosen !== undefined && chosen !== '') settings.push({ controller, file, value: chosen, lxcKey });
  };
  const memory = limits.memoryBytes === undefined ? undefined : String(limits.memoryBytes);
  add('memory', 'memory.limit_in_bytes', 'memory.max', memory, { 1: '-1', 2: 'max' });
  const weight = limits.cpuWeight;
  const cpu =
    weight === undefined ? undefined : versions.cpu === 1 ? String(weightToShares(weight)) : String(weight);
  add('cpu', 'cpu.shares', 'cpu.weight', cpu, { 1: String(weightToShares(100)), 2: '100' });
  const cpus = unset?.onlineCpus;
  add('cpuset', 'cpuset.cpus', 'cpuset.cpus', limits.cpuset, { 1: cpus, 2: cpus });
  return settings;
}
