// The other DRBD resources' devices on this node, and what is stacked on them, from lsblk's device tree
// (sysfs only: lsblk opens no device), with every name LVM knows them by (the /dev symlinks pointing at
// them), so that one LVM command can be kept off them. A DRBD Primary whose peer is lost freezes its I/O
// (fencing resource-and-stonith) until its fence-peer handler answers; every LVM command reads the label of
// every device its filter accepts, so one `pvs` waits on that freeze.
import { readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';

/** One node of lsblk's tree: a device and the devices stacked on it (its holders). */
export interface BlockDevice {
  /** lsblk's NAME with --paths: /dev/vdb, /dev/drbd1, /dev/mapper/vg_lxc2-ct3. */
  readonly name: string;
  /** The kernel's name with --paths: /dev/dm-0 for /dev/mapper/vg_lxc2-ct3. */
  readonly kname: string;
  /** "major:minor". */
  readonly majMin: string;
  readonly children: readonly BlockDevice[];
}

/** The kernel's block major of DRBD (Documentation/admin-guide/devices.txt). */
export const DRBD_MAJOR = 147;

export const lsblkArgs = ['--json', '--paths', '--all', '--output', 'NAME,KNAME,MAJ:MIN'] as const;

interface RawDevice {
  name?: unknown;
  kname?: unknown;
  'maj:min'?: unknown;
  children?: unknown;
}

function toDevice(raw: RawDevice): BlockDevice | undefined {
  if (typeof raw.name !== 'string' || typeof raw['maj:min'] !== 'string') return undefined;
  const children = Array.isArray(raw.children) ? (raw.children as RawDevice[]) : [];
  return {
    name: raw.name,
    kname: typeof raw.kname === 'string' ? raw.kname : raw.name,
    majMin: raw['maj:min'],
    children: children.map(toDevice).filter((d): d is BlockDevice => d !== undefined),
  };
}

/** lsblk --json's tree (util-linux 2.38: {"blockdevices": [{"name", "kname", "maj:min", "children"}]}). */
export function parseLsblk(stdout: string): BlockDevice[] {
  const doc = JSON.parse(stdout) as { blockdevices?: unknown };
  if (!Array.isArray(doc.blockdevices)) throw new Error('lsblk printed no "blockdevices" list');
  return (doc.blockdevices as RawDevice[]).map(toDevice).filter((d): d is BlockDevice => d !== undefined);
}

const isDrbd = (device: BlockDevice): boolean => Number(device.majMin.split(':')[0]) === DRBD_MAJOR;

/**
 * The DRBD devices not in `own`, and every device stacked on one of them (an LV or a dm-crypt on another
 * resource's device freezes with it), each once, in tree order.
 */
export function devicesOnOtherDrbd(tree: readonly BlockDevice[], own: readonly string[]): BlockDevice[] {
  const found = new Map<string, BlockDevice>();
  const walk = (device: BlockDevice, onOther: boolean): void => {
    const other = onOther || (isDrbd(device) && !own.includes(device.name) && !own.includes(device.kname));
    if (other && !found.has(device.majMin)) found.set(device.majMin, device);
    for (const child of device.children) walk(child, other);
  };
  for (const device of tree) walk(device, false);
  return [...found.values()];
}

/** Directories under /dev that hold no block device links. */
const skipped = new Set(['pts', 'shm', 'mqueue', 'hugepages', 'fd', 'char', 'cpu', 'net', 'input', 'snd']);

/**
 * Every name of `devices` under `devRoot`: the device nodes, /dev/block/MAJ:MIN, and each symlink that
 * resolves to one of them (udev's drbd/by-res, drbd/by-disk, disk/by-id …): the names LVM's device cache
 * matches its filter against. Unreadable directories are skipped.
 */
export async function aliasesOf(devices: readonly BlockDevice[], devRoot = '/dev'): Promise<string[]> {
  const names = new Set<string>();
  const targets = new Set<string>();
  for (const d of devices) {
    names
      .add(d.name)
      .add(d.kname)
      .add(path.join(devRoot, 'block', d.majMin));
    for (const p of [d.name, d.kname]) targets.add(await realpath(p).catch(() => p));
  }
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 6 && !(depth === 0 && skipped.has(e.name))) await walk(p, depth + 1);
      } else if (e.isSymbolicLink()) {
        const target = await readlink(p).catch(() => undefined);
        if (target !== undefined && targets.has(path.resolve(dir, target))) names.add(p);
      }
    }
  };
  await walk(devRoot, 0);
  return [...names];
}

/** An LVM filter pattern rejecting exactly `name` (libdm's regex: metacharacters escaped). */
export const rejectPattern = (name: string): string => `r|^${name.replace(/[.*+?^$()[\]{}|\\]/g, '\\$&')}$|`;

export class BlockDeviceClient {
  constructor(private readonly options: { readonly run: CommandRunner; readonly lsblk?: string }) {}

  async tree(): Promise<BlockDevice[]> {
    const command = this.options.lsblk ?? 'lsblk';
    const r = await this.options.run(command, lsblkArgs);
    if (!r.ok) throw new ToolError(r, 'lsblk');
    return parseLsblk(r.stdout);
  }
}
