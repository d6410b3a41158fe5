// Real busybox test containers under their own lxcpath, with the prefix every test resource carries.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TEST_LXCPATH = '/var/lib/lxcha-test';
export const PREFIX = 'lxcha-test-';

export interface TestContainer {
  readonly name: string;
  readonly lxcpath: string;
  readonly config: string;
  readonly rootfs: string;
  /** Written by busybox init's ::shutdown: action: proof of an orderly stop. */
  readonly shutdownMarker: string;
}

export interface ContainerOptions {
  /** Make the orderly shutdown hang (a ::shutdown: action that sleeps), to prove the forced stop. */
  readonly hangOnShutdown?: boolean;
  readonly lxcpath?: string;
}

export function requireRootAndLxc(): void {
  if (process.getuid?.() !== 0) throw new Error('these tests need root (real LXC containers)');
  if (spawnSync('lxc-create', ['--version']).status !== 0) throw new Error('lxc-create is missing: install lxc (npm test installs it)');
}

export function createContainer(suffix: string, options: ContainerOptions = {}): TestContainer {
  const lxcpath = options.lxcpath ?? TEST_LXCPATH;
  const name = `${PREFIX}${suffix}`;
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
  const shutdown = options.hangOnShutdown === true ? '::shutdown:/bin/sleep 600\n' : '::shutdown:/bin/touch /shutdown-marker\n';
  // No console getty: the container runs detached; sysinit, then the orderly shutdown under test.
  writeFileSync(path.join(rootfs, 'etc/inittab'), `::sysinit:/etc/init.d/rcS\n::respawn:/bin/sleep 100000\n${shutdown}`);
  // Network type empty: no DHCP client.
  writeFileSync(path.join(rootfs, 'etc/init.d/rcS'), '#!/bin/sh\n/bin/mount -a\n', { mode: 0o755 });
  return { name, lxcpath, config, rootfs, shutdownMarker: path.join(rootfs, 'shutdown-marker') };
}

export function state(c: { name: string; lxcpath: string }): string {
  const r = spawnSync('lxc-info', ['-n', c.name, '-P', c.lxcpath, '-s', '-H'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'ABSENT';
}

export function initPid(c: { name: string; lxcpath: string }): number | undefined {
  const r = spawnSync('lxc-info', ['-n', c.name, '-P', c.lxcpath, '-p', '-H'], { encoding: 'utf8' });
  const pid = Number.parseInt(r.stdout.trim(), 10);
  return Number.isFinite(pid) && pid > 0 ? pid : undefined;
}

export function destroyContainer(name: string, lxcpath = TEST_LXCPATH): void {
  spawnSync('lxc-unfreeze', ['-n', name, '-P', lxcpath]);
  spawnSync('lxc-stop', ['-n', name, '-P', lxcpath, '-k']);
  spawnSync('lxc-destroy', ['-n', name, '-P', lxcpath, '-f']);
  rmSync(path.join(lxcpath, name), { recursive: true, force: true });
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
  for (const name of containers) lines.push(`${name} ${state({ name, lxcpath })} ${initPid({ name, lxcpath }) ?? '-'}`);
  for (const root of ['/sys/fs/cgroup/memory', '/sys/fs/cgroup']) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).filter((e) => e.includes(PREFIX)).sort()) {
      const file = ['memory.limit_in_bytes', 'memory.max'].map((f) => path.join(root, entry, f)).find((f) => existsSync(f));
      lines.push(`${root}/${entry} ${file === undefined ? '' : readFileSync(file, 'utf8').trim()}`);
    }
  }
  return lines.join('\n');
}

/** The container's memory limit read from its cgroup itself (v1 memory.limit_in_bytes or v2 memory.max). */
export function memoryLimitFromCgroup(name: string): string | undefined {
  for (const file of [`/sys/fs/cgroup/memory/lxc.payload.${name}/memory.limit_in_bytes`, `/sys/fs/cgroup/lxc.payload.${name}/memory.max`]) {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  }
  return undefined;
}
