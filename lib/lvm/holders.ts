// Who holds an LV open: mounts (/proc/self/mountinfo), stacked devices (/sys/dev/block/M:m/holders) and
// processes with an open descriptor on it (/proc/*/fd) — so demote can name the culprit, as fuser does.
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type Holder =
  | { readonly kind: 'mount'; readonly mountPoint: string }
  | { readonly kind: 'device'; readonly name: string }
  | { readonly kind: 'process'; readonly pid: number; readonly command: string };

export interface HolderScanOptions {
  readonly procRoot?: string;
  readonly sysRoot?: string;
}

export interface DeviceIdentity {
  /** Paths that name the device (/dev/vg/lv, /dev/mapper/vg-lv); resolved through symlinks. */
  readonly paths: readonly string[];
  readonly major?: number | undefined;
  readonly minor?: number | undefined;
}

export function describeHolder(holder: Holder): string {
  switch (holder.kind) {
    case 'mount':
      return `mounted on ${holder.mountPoint}`;
    case 'device':
      return `held by device ${holder.name}`;
    case 'process':
      return `open in process ${holder.pid} (${holder.command})`;
  }
}

const quietly = async <T>(fallback: T, f: () => Promise<T>): Promise<T> => {
  try {
    return await f();
  } catch {
    return fallback;
  }
};

export async function findHolders(
  device: DeviceIdentity,
  options: HolderScanOptions = {},
): Promise<Holder[]> {
  const proc = options.procRoot ?? '/proc';
  const sys = options.sysRoot ?? '/sys';
  const holders: Holder[] = [];
  const targets = new Set<string>();
  for (const p of device.paths) {
    targets.add(p);
    const real = await quietly(undefined, () => realpath(p));
    if (real !== undefined) targets.add(real);
  }
  const { major, minor } = device;
  const devno = major !== undefined && minor !== undefined ? `${major}:${minor}` : undefined;

  if (devno !== undefined) {
    // mountinfo: "36 35 254:3 / /lxc1 rw … " — the third field is the mounted device's major:minor.
    const mountinfo = await quietly('', () => readFile(path.join(proc, 'self/mountinfo'), 'utf8'));
    for (const line of mountinfo.split('\n')) {
      const f = line.split(' ');
      if (f[2] === devno && f[4] !== undefined)
        holders.push({ kind: 'mount', mountPoint: f[4].replace(/\\040/g, ' ') });
    }
    for (const name of await quietly<string[]>([], () =>
      readdir(path.join(sys, 'dev/block', devno, 'holders')),
    ))
      holders.push({ kind: 'device', name });
  }

  const pids = (await quietly<string[]>([], () => readdir(proc))).filter((e) => /^\d+$/.test(e));
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const fdDir = path.join(proc, pid, 'fd');
    const fds = await quietly<string[]>([], () => readdir(fdDir));
    for (const fd of fds) {
      const target = await quietly(undefined, () => readlink(path.join(fdDir, fd)));
      if (target === undefined) continue;
      let match = targets.has(target);
      if (!match && devno !== undefined && target.startsWith('/dev/')) {
        const st = await quietly(undefined, () => stat(path.join(fdDir, fd)));
        match =
          st !== undefined &&
          st.isBlockDevice() &&
          `${(st.rdev >> 8) & 0xfff}:${(st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)}` === devno;
      }
      if (match) {
        const command = (await quietly('', () => readFile(path.join(proc, pid, 'comm'), 'utf8'))).trim();
        holders.push({ kind: 'process', pid: Number(pid), command: command || '?' });
        break;
      }
    }
  }
  return holders;
}
