// Parsers for LVM's JSON reports (`vgs/lvs/pvs --reportformat json`) and lvmconfig/systemid answers.

export interface VolumeGroup {
  readonly name: string;
  /** The VG's system ID (lvmsystemid(7)); '' when it has none. */
  readonly systemId: string;
  readonly tags: readonly string[];
  readonly attr: string;
  readonly lvCount: number;
  /** vg_attr 3rd character: exported with vgexport. */
  readonly exported: boolean;
  /** vg_attr 4th character: a PV is missing. */
  readonly partial: boolean;
}

export interface LogicalVolume {
  readonly name: string;
  readonly vg: string;
  readonly attr: string;
  readonly active: boolean;
  /** The device is open (mounted, or held by a process or another device); unknown when LVM could not ask. */
  readonly open: boolean | undefined;
  readonly path: string;
  readonly dmPath: string;
  readonly tags: readonly string[];
  /** Kernel device numbers when active (lv_kernel_major/minor; -1 when not). */
  readonly major: number | undefined;
  readonly minor: number | undefined;
}

/** One PV as LVM chose to see it: on a duplicate, the device LVM uses (the others it names on stderr). */
export interface PhysicalVolume {
  /** The device LVM reads the PV from (/dev/drbd0, or a backing disk a filter let through). */
  readonly name: string;
  /** '' for a PV in no VG. */
  readonly vg: string;
  readonly uuid: string;
}

/** A device LVM found a PV on but does not use, because the same PV (UUID) is on another device too. */
export interface DuplicatePv {
  readonly device: string;
  readonly uuid: string;
}

/** What `pvs` answers: the PVs it uses, and the duplicate devices it warned about. */
export interface PvReport {
  readonly pvs: readonly PhysicalVolume[];
  readonly duplicates: readonly DuplicatePv[];
}

export const pvFields = ['pv_name', 'vg_name', 'pv_uuid'] as const;
export const vgFields = ['vg_name', 'vg_systemid', 'vg_tags', 'vg_attr', 'lv_count'] as const;
export const lvFields = [
  'lv_name',
  'vg_name',
  'lv_attr',
  'lv_active',
  'lv_device_open',
  'lv_path',
  'lv_dm_path',
  'lv_tags',
  'lv_kernel_major',
  'lv_kernel_minor',
] as const;

type Row = Readonly<Record<string, unknown>>;

/** The rows of one report kind ("vg" or "lv") from LVM's JSON, which may hold several reports. */
export function reportRows(stdout: string, kind: 'vg' | 'lv' | 'pv'): Row[] {
  const start = stdout.indexOf('{');
  if (start < 0)
    throw new SyntaxError(`no JSON report in LVM output: ${JSON.stringify(stdout.slice(0, 80))}`);
  const doc = JSON.parse(stdout.slice(start)) as { report?: Record<string, unknown>[] };
  const rows: Row[] = [];
  for (const report of doc.report ?? []) {
    const list = report[kind];
    if (Array.isArray(list))
      for (const row of list) if (typeof row === 'object' && row !== null) rows.push(row as Row);
  }
  return rows;
}

const text = (row: Row, key: string): string => {
  const v = row[key];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
};
const tags = (value: string): string[] =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
const int = (value: string): number | undefined => {
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) || n < 0 ? undefined : n;
};

export function parseVgs(stdout: string): VolumeGroup[] {
  return reportRows(stdout, 'vg').map((row) => {
    const attr = text(row, 'vg_attr');
    return {
      name: text(row, 'vg_name'),
      systemId: text(row, 'vg_systemid'),
      tags: tags(text(row, 'vg_tags')),
      attr,
      lvCount: int(text(row, 'lv_count')) ?? 0,
      exported: attr[2] === 'x',
      partial: attr[3] === 'p',
    };
  });
}

export function parseLvs(stdout: string): LogicalVolume[] {
  return reportRows(stdout, 'lv').map((row) => {
    const attr = text(row, 'lv_attr');
    const active = text(row, 'lv_active');
    const open = text(row, 'lv_device_open');
    return {
      name: text(row, 'lv_name'),
      vg: text(row, 'vg_name'),
      attr,
      // lv_active is "active" for an active LV; attr[4] 'a' says the same where the field is absent.
      active: active === '' ? attr[4] === 'a' : active === 'active',
      open:
        open === 'open'
          ? true
          : open === '' || open === 'unknown'
            ? attr[5] === 'o'
              ? true
              : attr[5] === '-'
                ? false
                : undefined
            : false,
      path: text(row, 'lv_path'),
      dmPath: text(row, 'lv_dm_path'),
      tags: tags(text(row, 'lv_tags')),
      major: int(text(row, 'lv_kernel_major')),
      minor: int(text(row, 'lv_kernel_minor')),
    };
  });
}

export function parsePvs(stdout: string): PhysicalVolume[] {
  return reportRows(stdout, 'pv').map((row) => ({
    name: text(row, 'pv_name'),
    vg: text(row, 'vg_name'),
    uuid: text(row, 'pv_uuid'),
  }));
}

/** LVM's warnings about duplicate PVs: `WARNING: Not using device /dev/vdb for PV UUID.` (LVM 2.03.16). */
export function parseDuplicateWarnings(stderr: string): DuplicatePv[] {
  return [...stderr.matchAll(/Not using device (\S+) for PV (\S+?)\.?$/gm)].map((m) => ({
    device: m[1] ?? '',
    uuid: m[2] ?? '',
  }));
}

/** `lvm systemid`: `  system ID: node1` (empty after the colon when the host has none). */
export function parseSystemId(stdout: string): string {
  return /system ID:[ \t]*(\S*)/.exec(stdout)?.[1] ?? '';
}

/** `lvmconfig KEY`: `name="value"`, `name=123` or `name=["a","b"]`. */
export function parseConfigValue(stdout: string): string | number | string[] | undefined {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^[a-z_]+=/.test(l));
  if (line === undefined) return undefined;
  const value = line.slice(line.indexOf('=') + 1).trim();
  if (value.startsWith('[')) return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
  if (value.startsWith('"')) return value.slice(1, value.endsWith('"') ? -1 : undefined);
  const n = Number(value);
  return Number.isNaN(n) ? value : n;
}

/** What LVM's own "not found" answer looks like, so a missing VG is a state, not an error. */
export function saysVgNotFound(stderr: string): boolean {
  return /Volume group "[^"]*" not found|Cannot process volume group/.test(stderr);
}

/** The line where vgchange/lvchange say why they left an LV inactive (filter or volume_list), if any. */
export function activationRefusal(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /Not activating|filter|volume_list/.test(l));
}
