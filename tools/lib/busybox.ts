// Small busybox LXC containers for tests, the bench and the demo: no network (type empty), unconfined
// (no AppArmor on these hosts), and an inittab whose ::shutdown: action leaves a marker file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BusyboxContainer {
  readonly name: string;
  readonly lxcpath: string;
  readonly config: string;
  readonly rootfs: string;
  /** Written by busybox init's ::shutdown: action: proof of an orderly stop. */
  readonly shutdownMarker: string;
}

export interface BusyboxOptions {
  /** Make the orderly shutdown hang (a ::shutdown: action that sleeps), to prove the forced stop. */
  readonly hangOnShutdown?: boolean;
}

export function createBusyboxContainer(
  name: string,
  lxcpath: string,
  options: BusyboxOptions = {},
): BusyboxContainer {
  mkdirSync(lxcpath, { recursive: true });
  destroyContainer(name, lxcpath);
  execFileSync('lxc-create', ['-n', name, '-P', lxcpath, '-t', 'busybox'], { stdio: 'pipe' });
  const config = path.join(lxcpath, name, 'config');
  const text = readFileSync(config, 'utf8')
    .replace(/^lxc\.net\.0\.type = .*$/m, 'lxc.net.0.type = empty')
    .replace(/^lxc\.net\.0\.(link|flags) = .*\n/gm, '')
    .replace(/^lxc\.apparmor\.profile = .*$/m, 'lxc.apparmor.profile = unconfined')
    .replace(/^lxc\.apparmor\.allow_nesting = .*\n/m, '');
  writeFileSync(config, text);
  const rootfs = path.join(lxcpath, name, 'rootfs');
  const shutdown =
    options.hangOnShutdown === true
      ? '::shutdown:/bin/sleep 600\n'
      : '::shutdown:/bin/touch /shutdown-marker\n';
  // No console getty: the container runs detached; sysinit, one long-running process, the orderly shutdown.
  writeFileSync(
    path.join(rootfs, 'etc/inittab'),
    `::sysinit:/etc/init.d/rcS\n::respawn:/bin/sleep 100000\n${shutdown}`,
  );
  // Network type empty: no DHCP client.
  writeFileSync(path.join(rootfs, 'etc/init.d/rcS'), '#!/bin/sh\n/bin/mount -a\n', { mode: 0o755 });
  return { name, lxcpath, config, rootfs, shutdownMarker: path.join(rootfs, 'shutdown-marker') };
}

export function containerState(c: { name: string; lxcpath: string }): string {
  const r = spawnSync('lxc-info', ['-n', c.name, '-P', c.lxcpath, '-s', '-H'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'ABSENT';
}

export function containerInitPid(c: { name: string; lxcpath: string }): number | undefined {
  const r = spawnSync('lxc-info', ['-n', c.name, '-P', c.lxcpath, '-p', '-H'], { encoding: 'utf8' });
  const pid = Number.parseInt(r.stdout.trim(), 10);
  return Number.isFinite(pid) && pid > 0 ? pid : undefined;
}

/**
 * One file of the container's cgroup, read from its init's own cgroup: `v1File` in the controller's v1
 * hierarchy, else `v2File` on the unified one. The cgroup is found from /proc/PID/cgroup: LXC nests it
 * under the caller's cgroup where it cannot escape to the root (a session or service cgroup), so its path
 * is not always lxc.payload.NAME.
 */
export function containerCgroupValue(
  c: { name: string; lxcpath: string },
  controller: string,
  v1File: string,
  v2File: string,
): string | undefined {
  const pid = containerInitPid(c);
  if (pid === undefined) return undefined;
  let lines: string[] = [];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of lines) {
    const [, controllers, where] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || where === undefined) continue;
    if (controllers.split(',').includes(controller))
      candidates.push(path.join('/sys/fs/cgroup', controller, where, v1File));
    if (controllers === '')
      for (const top of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'])
        candidates.push(path.join(top, where, v2File));
  }
  const file = candidates.find((f) => existsSync(f));
  return file === undefined ? undefined : readFileSync(file, 'utf8').trim();
}

/** The container's memory limit (v1 memory.limit_in_bytes or v2 memory.max). */
export const containerMemoryLimit = (c: { name: string; lxcpath: string }): string | undefined =>
  containerCgroupValue(c, 'memory', 'memory.limit_in_bytes', 'memory.max');

export function destroyContainer(name: string, lxcpath: string): void {
  spawnSync('lxc-unfreeze', ['-n', name, '-P', lxcpath]);
  spawnSync('lxc-stop', ['-n', name, '-P', lxcpath, '-k']);
  spawnSync('lxc-destroy', ['-n', name, '-P', lxcpath, '-f']);
  rmSync(path.join(lxcpath, name), { recursive: true, force: true });
}
