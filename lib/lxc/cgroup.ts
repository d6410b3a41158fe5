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

/** The settings that express `limits`; an undefined limit is "reset" only when `resetUnset` (reload). */
export function cgroupSettings(
  limits: ResourceLimits,
  versions: Record<Controller, CgroupVersion>,
  options: { resetUnset?: boolean; onlineCpus?: string } = {},
): CgroupSetting[] {
  const settings: CgroupSetting[] = [];
  const add = (controller: Controller, v1File: string, v2File: string, value: string) => {
    const v = versions[controller];
    const file = v === 1 ? v1File : v2File;
    settings.push({ controller, file, value, lxcKey: `${v === 1 ? 'lxc.cgroup' : 'lxc.cgroup2'}.${file}` });
  };
  if (limits.memoryBytes !== undefined)
    add('memory', 'memory.limit_in_bytes', 'memory.max', String(limits.memoryBytes));
  else if (options.resetUnset === true)
    add('memory', 'memory.limit_in_bytes', 'memory.max', versions.memory === 1 ? '-1' : 'max');
  const weight = limits.cpuWeight ?? (options.resetUnset === true ? 100 : undefined);
  if (weight !== undefined)
    add(
      'cpu',
      'cpu.shares',
      'cpu.weight',
      versions.cpu === 1 ? String(weightToShares(weight)) : String(weight),
    );
  const cpus = limits.cpuset ?? (options.resetUnset === true ? options.onlineCpus : undefined);
  if (cpus !== undefined && cpus !== '') add('cpuset', 'cpuset.cpus', 'cpuset.cpus', cpus);
  return settings;
}
