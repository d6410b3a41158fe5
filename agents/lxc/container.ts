// What every lxc action shares: the container's identity, its config, its tools, its limits.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ParameterValues } from '../../lib/ocf/agent.js';
import type { ActionContext } from '../../lib/ocf/action.js';
import { argumentsError, notInstalledError } from '../../lib/ocf/exit-codes.js';
import { LxcClient } from '../../lib/lxc/client.js';
import { readConfig, rootfsLocation, type LxcConfig } from '../../lib/lxc/config.js';
import { expandCpuList, type ResourceLimits } from '../../lib/lxc/cgroup.js';
import type { LxcParameters } from './definition.js';

export type LxcParams = ParameterValues<LxcParameters>;
export type LxcContext = ActionContext<LxcParameters>;

export const configPath = (p: LxcParams): string => p.config ?? path.join(p.lxcpath, p.container, 'config');

/** The container's client: every lxc-* tool but lxc-attach runs synchronously (no execa loaded). */
export const lxcClient = (p: LxcParams): LxcClient =>
  new LxcClient({ name: p.container, lxcpath: p.lxcpath });

/**
 * A client whose lxc-attach runs through execa: a command inside the container may leave a child holding
 * the output pipe, and only execa's process-group kill at the deadline frees the agent from it.
 */
export async function attachClient(p: LxcParams): Promise<LxcClient> {
  const { execaRunner } = await import('../../lib/exec/execa-runner.js');
  return new LxcClient({ name: p.container, lxcpath: p.lxcpath }, execaRunner);
}

/** Finds an executable on PATH without running it. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const requiredTools = ['lxc-start', 'lxc-stop', 'lxc-info', 'lxc-attach', 'lxc-cgroup', 'lxc-unfreeze'];

/** The LXC tools this agent runs; missing on this node → rc 5. */
export function requireTools(): void {
  const missing = requiredTools.filter((t) => !onPath(t));
  if (missing.length > 0)
    throw notInstalledError(`LXC tools not installed on this node: ${missing.join(', ')}`);
}

/** Reads the container's config (and its includes); unreadable here → rc 5, the node lacks it. */
export function loadConfig(p: LxcParams): LxcConfig {
  const file = configPath(p);
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw notInstalledError(
      `container config ${file} is not readable on this node (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const config = readConfig(file);
  if (config.problems.length > 0)
    throw notInstalledError(`container config ${file}: ${config.problems.join('; ')}`);
  return config;
}

/** The rootfs must exist here (a directory or a block device), else rc 5. */
export function requireRootfs(config: LxcConfig): void {
  const rootfs = rootfsLocation(config);
  if (rootfs === undefined) return; // LXC then uses <lxcpath>/<name>/rootfs or the host's /
  if (!['dir', 'block', 'lvm', 'loop', 'btrfs', 'overlay', 'overlayfs'].includes(rootfs.type)) return;
  if (!existsSync(rootfs.path))
    throw notInstalledError(`rootfs ${rootfs.path} of ${config.file} does not exist on this node`);
  if (rootfs.type === 'dir' && !statSync(rootfs.path).isDirectory())
    throw notInstalledError(`rootfs ${rootfs.path} of ${config.file} is not a directory`);
}

export function onlineCpus(): string {
  try {
    return readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  } catch {
    return '';
  }
}

/** Limits from the parameters; a cpuset naming CPUs this node lacks → rc 2 (invalid on this host). */
export function resourceLimits(p: LxcParams): ResourceLimits {
  if (p.cpuset !== undefined) {
    const online = new Set(expandCpuList(onlineCpus()));
    const absent = expandCpuList(p.cpuset).filter((c) => online.size > 0 && !online.has(c));
    if (absent.length > 0)
      throw argumentsError(`cpuset ${p.cpuset} names CPUs not online on this node: ${absent.join(',')}`);
  }
  return {
    memoryBytes: p.memory_limit,
    cpuWeight: p.cpu_weight,
    cpuset: p.cpuset,
  };
}
