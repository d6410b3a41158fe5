// The LVM client: vgs/lvs/pvs JSON reports, activation, system ID and tags, through injectable binaries.
import type { CommandResult, CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';
import { systemIdProblem } from './names.js';
import {
  lvFields,
  parseConfigValue,
  parseDuplicateWarnings,
  parseLvs,
  parsePvs,
  parseSystemId,
  pvFields,
  parseVgs,
  saysVgNotFound,
  vgFields,
  type LogicalVolume,
  type PvReport,
  type VolumeGroup,
} from './report.js';

export interface LvmClientOptions {
  readonly run: CommandRunner;
  /** Each tool's path; by default its name, found on PATH. */
  readonly vgs?: string;
  readonly lvs?: string;
  readonly pvs?: string;
  readonly vgchange?: string;
  readonly lvchange?: string;
  readonly lvm?: string;
  readonly lvmconfig?: string;
  /**
   * The only devices vgs, lvs, pvs, vgchange and lvchange may read (`--devices`, LVM 2.03.12+). LVM 2.03.16
   * then ignores lvm.conf's filter and global_filter (seen in the VM stage): for reading a VG whose devices
   * are known, never for asking what the filters let LVM see. Every device the filters accept when undefined.
   */
  readonly devices?: readonly string[] | undefined;
}

export class LvmClient {
  private readonly bin: Required<Omit<LvmClientOptions, 'run' | 'devices'>>;

  constructor(private readonly options: LvmClientOptions) {
    this.bin = {
      vgs: options.vgs ?? 'vgs',
      lvs: options.lvs ?? 'lvs',
      pvs: options.pvs ?? 'pvs',
      vgchange: options.vgchange ?? 'vgchange',
      lvchange: options.lvchange ?? 'lvchange',
      lvm: options.lvm ?? 'lvm',
      lvmconfig: options.lvmconfig ?? 'lvmconfig',
    };
  }

  /** The same client, its reporting and activating commands kept to `devices` (see LvmClientOptions). */
  scopedTo(devices: readonly string[] | undefined): LvmClient {
    return new LvmClient({ ...this.options, devices });
  }

  private run(command: string, args: readonly string[]): Promise<CommandResult> {
    const devices = this.options.devices;
    const scoped =
      devices !== undefined && command !== this.bin.lvm && command !== this.bin.lvmconfig
        ? ['--devices', devices.join(','), ...args]
        : args;
    return this.options.run(command, scoped, { env: { LVM_SUPPRESS_FD_WARNINGS: '1' } });
  }

  /** The VG as any node sees it (--foreign: also when another node owns it); undefined when absent. */
  async volumeGroup(vg: string): Promise<VolumeGroup | undefined> {
    const r = await this.run(this.bin.vgs, [
      '--reportformat',
      'json',
      '--foreign',
      '-o',
      vgFields.join(','),
      vg,
    ]);
    if (!r.ok) {
      if (!r.missing && !r.timedOut && saysVgNotFound(r.stderr)) return undefined;
      throw new ToolError(r, `vgs ${vg}`);
    }
    return parseVgs(r.stdout).find((g) => g.name === vg);
  }

  async logicalVolumes(vg: string): Promise<LogicalVolume[]> {
    const r = await this.run(this.bin.lvs, [
      '--reportformat',
      'json',
      '--foreign',
      '-o',
      lvFields.join(','),
      vg,
    ]);
    if (!r.ok) {
      if (!r.missing && !r.timedOut && saysVgNotFound(r.stderr)) return [];
      throw new ToolError(r, `lvs ${vg}`);
    }
    return parseLvs(r.stdout).filter((lv) => lv.vg === vg);
  }

  /**
   * Every PV LVM sees on this node through its filters or devices file (also those of foreign VGs), and
   * the duplicate devices it named on stderr: where the agent learns whether lvm.conf hides the backing disk.
   * `config` (an lvm.conf fragment, `--config`) can narrow the scan, e.g. a stricter global_filter.
   */
  async physicalVolumes(config?: string): Promise<PvReport> {
    const r = await this.run(this.bin.pvs, [
      ...(config === undefined ? [] : ['--config', config]),
      '--reportformat',
      'json',
      '--foreign',
      '-o',
      pvFields.join(','),
    ]);
    if (!r.ok) throw new ToolError(r, 'pvs');
    return { pvs: parsePvs(r.stdout), duplicates: parseDuplicateWarnings(r.stderr) };
  }

  /** This host's LVM system ID ('' when lvm.conf gives it none). */
  async localSystemId(): Promise<string> {
    const r = await this.run(this.bin.lvm, ['systemid']);
    if (!r.ok) throw new ToolError(r, 'lvm systemid');
    return parseSystemId(r.stdout);
  }

  /** One lvm.conf setting with LVM's defaults applied; undefined when it has no value. */
  async configValue(key: string): Promise<string | number | string[] | undefined> {
    const r = await this.run(this.bin.lvmconfig, ['--typeconfig', 'full', key]);
    if (!r.ok) {
      if (!r.missing && /not found/.test(r.stderr)) return undefined;
      throw new ToolError(r, `lvmconfig ${key}`);
    }
    return parseConfigValue(r.stdout);
  }

  /**
   * A list setting; undefined when unset. lvmconfig prints a one-element list as a plain string
   * (`volume_list="@node1"`, seen on LVM 2.03.16), so a string is a list of one.
   */
  async configList(key: string): Promise<string[] | undefined> {
    const value = await this.configValue(key);
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value : [String(value)];
  }

  /** Activates the VG's LVs (or the listed ones); `volumeList` overrides activation/volume_list (tagging). */
  activate(
    vg: string,
    options: { lvs?: readonly string[]; volumeList?: readonly string[] } = {},
  ): Promise<CommandResult> {
    const config =
      options.volumeList === undefined
        ? []
        : [
            '--config',
            `activation{volume_list=[${options.volumeList.map((v) => JSON.stringify(v)).join(',')}]}`,
          ];
    if (options.lvs !== undefined && options.lvs.length > 0)
      return this.run(this.bin.lvchange, ['-ay', ...config, ...options.lvs.map((lv) => `${vg}/${lv}`)]);
    return this.run(this.bin.vgchange, ['-ay', ...config, vg]);
  }

  deactivate(vg: string, options: { lvs?: readonly string[] } = {}): Promise<CommandResult> {
    if (options.lvs !== undefined && options.lvs.length > 0)
      return this.run(this.bin.lvchange, ['-an', ...options.lvs.map((lv) => `${vg}/${lv}`)]);
    return this.run(this.bin.vgchange, ['-an', vg]);
  }

  /**
   * Writes `systemId` into the VG. A VG owned by another (dead) node is foreign and invisible to
   * vgchange; naming the old owner in local/extra_system_ids lets this one command take it over.
   */
  setSystemId(vg: string, systemId: string, previousOwner?: string): Promise<CommandResult> {
    for (const id of [systemId, previousOwner]) {
      const problem = id === undefined || id === '' ? undefined : systemIdProblem(id);
      if (problem !== undefined) throw new TypeError(`system ID '${id}' ${problem}`);
    }
    const extra =
      previousOwner === undefined || previousOwner === '' || previousOwner === systemId
        ? []
        : ['--config', `local{extra_system_ids=[${JSON.stringify(previousOwner)}]}`];
    return this.run(this.bin.vgchange, ['-y', ...extra, '--systemid', systemId, vg]);
  }

  addTag(vg: string, tag: string): Promise<CommandResult> {
    return this.run(this.bin.vgchange, ['--addtag', tag, vg]);
  }

  deleteTag(vg: string, tag: string): Promise<CommandResult> {
    return this.run(this.bin.vgchange, ['--deltag', tag, vg]);
  }
}
