// The LVM filter check of validate-all, start and promote: LVM must see the VG's PVs only on this
// resource's DRBD device. A filter that lets the backing disk through shows the PV twice on a Primary
// (duplicate PVs) and, on a Secondary or with DRBD down, the VG on the raw backing disk, where LVM could
// activate it behind DRBD's back. lvm.conf is per node, so the refusal is 5 (this node), never 6.
import { aliasesOf, devicesOnOtherDrbd, rejectPattern } from '../../lib/lvm/block-devices.js';
import type { PvReport } from '../../lib/lvm/report.js';
import { notInstalledError } from '../../lib/ocf/exit-codes.js';
import type { Clients, DrbdLvmContext } from './context.js';

/** A device LVM sees one of the VG's PVs on that is not the resource's DRBD device. */
export interface StrayPv {
  readonly device: string;
  readonly uuid: string;
  /** LVM uses this device for the PV (else it is an unchosen duplicate LVM warned about). */
  readonly used: boolean;
}

/**
 * The devices outside `drbdDevices` where LVM sees a PV of `vgname` or a duplicate of a PV it reads from a
 * DRBD device (a backing disk carries the same PV header as its DRBD device). Empty when lvm.conf is right.
 */
export function strayPvs(report: PvReport, vgname: string, drbdDevices: readonly string[]): StrayPv[] {
  const onDrbd = (device: string): boolean => drbdDevices.includes(device);
  const ours = new Set(report.pvs.filter((pv) => pv.vg === vgname || onDrbd(pv.name)).map((pv) => pv.uuid));
  const stray: StrayPv[] = report.pvs
    .filter((pv) => pv.vg === vgname && !onDrbd(pv.name))
    .map((pv) => ({ device: pv.name, uuid: pv.uuid, used: true }));
  for (const dup of report.duplicates)
    if (ours.has(dup.uuid) && !onDrbd(dup.device) && !stray.some((s) => s.device === dup.device))
      stray.push({ device: dup.device, uuid: dup.uuid, used: false });
  return stray;
}

/** The exit reason: which device, and which lvm.conf setting hides it (filter or devices file). */
export function strayPvReason(
  stray: readonly StrayPv[],
  vgname: string,
  drbdDevices: readonly string[],
  devicesFile: boolean,
): string {
  const devices = [...new Set(stray.map((s) => s.device))];
  const drbd = drbdDevices.join(', ') || 'its DRBD device';
  const seen = stray.some((s) => s.used)
    ? `LVM sees volume group ${vgname} on ${devices.join(', ')}, not only on ${drbd}`
    : `LVM sees the PV of volume group ${vgname} twice: on ${drbd} and on ${devices.join(', ')} (duplicate PVs)`;
  // Debian 12's lvm2 2.03.16 leaves the devices file off (use_devicesfile=0) and ships no lvmdevices
  // command, so the reason names the file, not a command.
  const fix = devicesFile
    ? `remove ${devices.join(', ')} from LVM's devices file (devices/use_devicesfile=1: /etc/lvm/devices/system.devices), so that it lists only ${drbd}`
    : `set devices/global_filter (and devices/filter) in lvm.conf to accept only DRBD devices and reject ${devices.join(', ')}, e.g. global_filter = [ "a|^/dev/drbd[0-9]+$|", "r|.*|" ]`;
  return `${seen}: ${fix}`;
}

/**
 * The lvm.conf fragment that keeps promote's `pvs` off the other DRBD resources' devices and whatever is
 * stacked on them: this node's devices/global_filter with a rejection of each of their names put first
 * (LVM's filters take the first pattern that matches a name, and a device is read when any of its names is
 * accepted). A Primary whose peer was just lost freezes its I/O until its fence-peer handler answers, and a
 * full scan waits for it (the node-crash failover). Every other device is judged by this node's own
 * filters, as in a full scan: only a VG of this resource's name on another DRBD device goes unseen, and
 * start's and validate-all's full scans refuse that layout. Undefined (a full scan) when there is no other
 * DRBD device, or when lsblk or lvmconfig fails. (`--devices` would not do: LVM 2.03.16 then ignores the
 * filters, and the backing disk shows up; seen in the VM stage.)
 */
export async function filterApartFromOtherDrbd(
  { log }: DrbdLvmContext,
  { blocks, lvm }: Clients,
  drbdDevices: readonly string[],
): Promise<string | undefined> {
  try {
    const others = devicesOnOtherDrbd(await blocks.tree(), drbdDevices);
    if (others.length === 0) return undefined;
    const own = (await lvm.configList('devices/global_filter')) ?? [];
    const patterns = [...(await aliasesOf(others)).map(rejectPattern), ...own];
    return `devices{global_filter=[${patterns.map((p) => JSON.stringify(p)).join(',')}]}`;
  } catch (error) {
    log.warn(`the LVM filter check reads every device: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * One `pvs` call (with `narrowing`, an lvm.conf fragment, when given); refuses (5) when LVM sees the VG's PV
 * anywhere but on `drbdDevices`. Only then does it ask lvmconfig whether a devices file is in use, to name
 * the setting to change.
 */
export async function refuseStrayPvs(
  context: DrbdLvmContext,
  { lvm }: Clients,
  drbdDevices: readonly string[],
  narrowing?: string,
): Promise<void> {
  const vgname = context.params.vgname;
  const stray = strayPvs(await lvm.physicalVolumes(narrowing), vgname, drbdDevices);
  if (stray.length === 0) return;
  const devicesFile = await lvm.configValue('devices/use_devicesfile').catch(() => undefined);
  throw notInstalledError(strayPvReason(stray, vgname, drbdDevices, Number(devicesFile) === 1));
}
