// The device-mapper client: which devices of a VG the kernel has mapped and how often each is open
// (`dmsetup info`), the kernel's own answer, without the device scan every LVM command makes first.
import type { CommandResult, CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';

/** One mapped device of an LVM VG: an active LV, or one of its layers (a thin pool's -tpool, …). */
export interface MappedDevice {
  /** The device-mapper name (/dev/mapper/<name>). */
  readonly name: string;
  readonly vg: string;
  readonly lv: string;
  /** '' for the LV's own device; the layer's suffix (tpool, tdata, real, cow, …) otherwise. */
  readonly layer: string;
  /** How many openers the kernel counts: mounts, processes, devices stacked on it. */
  readonly openCount: number;
  readonly major: number;
  readonly minor: number;
}

export const dmFields = ['name', 'vg_name', 'lv_name', 'lv_layer', 'open', 'major', 'minor'] as const;
/** Never in a dm name LVM makes (VG and LV names are [A-Za-z0-9+_.-]). */
const SEPARATOR = ':';
/** dmsetup's answer when the kernel maps no device that matches. */
const NONE = 'No devices found';

const isCount = (text: string): boolean => /^\d+$/.test(text);

/** Parses `dmsetup info -c --noheadings --separator : -o <dmFields>`; refuses any line it cannot read. */
export function parseDmInfo(stdout: string): MappedDevice[] {
  const devices: MappedDevice[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (text === '' || text === NONE) continue;
    const cells = text.split(SEPARATOR);
    const [name = '', vg = '', lv = '', layer = '', open = '', major = '', minor = ''] = cells;
    if (cells.length !== dmFields.length || name === '' || ![open, major, minor].every(isCount))
      throw new SyntaxError(`unexpected dmsetup info line: ${JSON.stringify(line)}`);
    devices.push({
      name,
      vg,
      lv,
      layer,
      openCount: Number(open),
      major: Number(major),
      minor: Number(minor),
    });
  }
  return devices;
}

export interface DeviceMapperClientOptions {
  readonly run: CommandRunner;
  /** dmsetup's path; by default found on PATH. */
  readonly dmsetup?: string;
}

export class DeviceMapperClient {
  constructor(private readonly options: DeviceMapperClientOptions) {}

  /** The dmsetup command line that lists `vg`'s mapped devices. */
  static vgDevicesArgs(vg: string): string[] {
    return [
      'info',
      '-c',
      '--noheadings',
      '--separator',
      SEPARATOR,
      '-o',
      dmFields.join(','),
      '-S',
      `vg_name="${vg}"`,
    ];
  }

  /** The dmsetup command line that removes the mappings named (dm names, as `vgDevices` reads them). */
  static removeArgs(names: readonly string[]): string[] {
    return ['remove', ...names];
  }

  /**
   * Removes the named mappings: what `vgchange -an` does for plain LVs, without LVM's device scan and
   * metadata read first. dmsetup tries each name in turn and fails when any is open (busy) or unknown.
   */
  remove(names: readonly string[]): Promise<CommandResult> {
    return this.options.run(this.options.dmsetup ?? 'dmsetup', DeviceMapperClient.removeArgs(names));
  }

  /**
   * Every mapped device of `vg` (its active LVs and their layers); [] when none is. A ToolError when
   * dmsetup fails (not installed, no device-mapper in the kernel) or answers what this parser cannot read.
   */
  async vgDevices(vg: string): Promise<MappedDevice[]> {
    const r: CommandResult = await this.options.run(
      this.options.dmsetup ?? 'dmsetup',
      DeviceMapperClient.vgDevicesArgs(vg),
    );
    if (!r.ok) throw new ToolError(r, `dmsetup info ${vg}`);
    try {
      // The selection is dmsetup's; the check is ours, so a selection it ignored cannot widen the answer.
      return parseDmInfo(r.stdout).filter((d) => d.vg === vg);
    } catch (error) {
      throw new ToolError(r, `dmsetup info ${vg}`, `dmsetup info ${vg}: ${(error as Error).message}`);
    }
  }
}
