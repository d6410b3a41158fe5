// The DRBD client: runs drbdadm/drbdsetup (argument arrays, injectable paths) and answers typed states.
// `drbdsetup events2 --now` serves DRBD 8.4 and 9 alike and comes back as one DrbdStatus; /proc/drbd is
// read only when 8.4 cannot read drbd.conf.
import { readFile } from 'node:fs/promises';
import type { CommandResult, CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';
import { parseDumpFencing, parseDumpNodes, type FencingPolicy } from './dump.js';
import { parseEvents2 } from './events2.js';
import {
  parseProcDrbd,
  type ProcDrbd,
  saysConfigUnreadable,
  saysNotUp,
  saysUnknownResource,
} from './parse-84.js';
import { downStatus, type DrbdStatus } from './status.js';

export interface DrbdClientOptions {
  readonly run: CommandRunner;
  readonly drbdadm?: string;
  readonly drbdsetup?: string;
  /** drbdadm -c FILE; the default configuration (/etc/drbd.conf) when unset. */
  readonly config?: string | undefined;
  readonly procDrbd?: string;
  /** Where the client says what it inferred rather than read (the agent's log). */
  readonly warn?: (message: string) => void;
}

export type ResourceConfig =
  | { readonly state: 'known'; readonly device: string }
  | { readonly state: 'unknown'; readonly message: string }
  | { readonly state: 'unreadable'; readonly message: string };

export class DrbdClient {
  readonly drbdadm: string;
  readonly drbdsetup: string;

  constructor(private readonly options: DrbdClientOptions) {
    this.drbdadm = options.drbdadm ?? 'drbdadm';
    this.drbdsetup = options.drbdsetup ?? 'drbdsetup';
  }

  private adm(args: readonly string[]): Promise<CommandResult> {
    const config = this.options.config;
    return this.options.run(this.drbdadm, config === undefined ? args : ['-c', config, ...args]);
  }

  /** Whether drbdadm knows the resource on this host, and its device. */
  async resourceConfig(resource: string): Promise<ResourceConfig> {
    const r = await this.adm(['sh-dev', resource]);
    if (r.missing) throw new ToolError(r, 'drbdadm sh-dev');
    const device = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('/dev/'));
    if (r.ok && device !== undefined) return { state: 'known', device };
    const message = r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('sh: '))
      .join(' ');
    if (saysUnknownResource(r.stderr)) return { state: 'unknown', message };
    return {
      state: 'unreadable',
      message: message || `drbdadm sh-dev exit status ${r.exitCode ?? 'unknown'}`,
    };
  }

  /**
   * The nodes drbd.conf gives the resource (`drbdadm dump`), this one included: a two-node resource has two.
   * Read from the configuration, so it answers for a resource that is down too.
   */
  async configuredNodes(resource: string): Promise<string[]> {
    const r = await this.adm(['dump', resource]);
    if (!r.ok) throw new ToolError(r, 'drbdadm dump');
    return parseDumpNodes(r.stdout, resource);
  }

  /**
   * The resource's `fencing` policy from drbd.conf (`drbdadm dump`): undefined where drbd.conf sets none
   * (DRBD's default, dont-care). Throws when drbdadm cannot read the configuration or names a policy this
   * client does not know.
   */
  async fencingPolicy(resource: string): Promise<FencingPolicy | undefined> {
    const r = await this.adm(['dump', resource]);
    if (!r.ok) throw new ToolError(r, 'drbdadm dump');
    const found = parseDumpFencing(r.stdout, resource);
    if ('unknown' in found)
      throw new ToolError(
        r,
        'drbdadm dump',
        `drbdadm dump ${resource}: unknown fencing policy ${found.unknown}`,
      );
    return found.policy;
  }

  /**
   * The resource's state in the kernel; a resource that is not up (or no module) is down, not an error.
   * drbd-utils 9 answers `drbdsetup events2 --now` for DRBD 8.4 kernels too (recorded in the VMs:
   * test/fixtures/drbd-8.4), so one child serves both kernels.
   */
  async status(resource: string): Promise<DrbdStatus> {
    const r = await this.options.run(this.drbdsetup, ['events2', '--now', resource]);
    if (!r.ok) {
      if (!r.missing && !r.timedOut && saysNotUp(r.stderr)) return downStatus(resource);
      if (!r.missing && saysConfigUnreadable(r.stderr)) return this.statusWithoutConfig(resource, r);
      throw new ToolError(r, 'drbdsetup events2');
    }
    return parseEvents2(r.stdout, resource);
  }

  /**
   * An unreadable drbd.conf on 8.4 hides the resource's minor: "down" is then proven from /proc/drbd
   * (no device configured at all); with any device configured the state cannot be told.
   */
  private async statusWithoutConfig(resource: string, r: CommandResult): Promise<DrbdStatus> {
    const configured = (await this.procDrbd()).devices.filter((d) => d.connectionState !== 'Unconfigured');
    if (configured.length === 0) {
      this.options.warn?.(
        `DRBD configuration unreadable (${r.stderr.trim().split('\n').at(-2) ?? ''}); no DRBD device is configured, so ${resource} is down`,
      );
      return downStatus(resource);
    }
    throw new ToolError(
      r,
      'drbdsetup events2',
      `DRBD configuration unreadable and ${configured.length} DRBD device(s) configured: cannot tell whether ${resource} runs`,
    );
  }

  /** `modprobe drbd` through drbdadm is implicit in `up`; these are the state changes the agent makes. */
  up(resource: string): Promise<CommandResult> {
    return this.adm(['up', resource]);
  }
  down(resource: string): Promise<CommandResult> {
    return this.adm(['down', resource]);
  }
  adjust(resource: string): Promise<CommandResult> {
    return this.adm(['adjust', resource]);
  }
  primary(resource: string): Promise<CommandResult> {
    return this.adm(['primary', resource]);
  }
  /** Primary on Consistent (or any) data: only when the administrator allowed it. */
  primaryForce(resource: string): Promise<CommandResult> {
    return this.adm(['primary', '--force', resource]);
  }
  /**
   * Secondary. On DRBD 8.4 (its /proc/drbd says so) `drbdsetup secondary MINOR` for each of the resource's
   * minors, which is what `drbdadm secondary` runs there, without drbdadm reading drbd.conf first (about
   * 0.2 s of every demote on an emulated cluster node). Otherwise, or with no minor given, `drbdadm
   * secondary`. Stops at the first volume DRBD refuses, with that refusal.
   */
  async secondary(resource: string, minors: readonly number[] = []): Promise<CommandResult> {
    if (minors.length === 0 || (await this.kernelVersion())?.startsWith('8.4.') !== true)
      return this.adm(['secondary', resource]);
    let result: CommandResult | undefined;
    for (const minor of minors) {
      result = await this.secondaryMinor(minor);
      if (!result.ok) break;
    }
    return result as CommandResult;
  }
  /** `drbdsetup secondary MINOR`: one volume (DRBD 8.4's drbdsetup takes the minor, 9's the resource). */
  secondaryMinor(minor: number): Promise<CommandResult> {
    return this.options.run(this.drbdsetup, ['secondary', String(minor)]);
  }

  /** The loaded DRBD module's version from /proc/drbd ("8.4.11"); undefined without the module. */
  async kernelVersion(): Promise<string | undefined> {
    return (await this.procDrbd()).version;
  }

  /** /proc/drbd, parsed; empty without the module. */
  private async procDrbd(): Promise<ProcDrbd> {
    return parseProcDrbd(await readFile(this.options.procDrbd ?? '/proc/drbd', 'utf8').catch(() => ''));
  }
}
