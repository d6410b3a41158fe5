// The promotion score through `crm_attribute --promotion` (Pacemaker 2.1+; never the deprecated crm_master):
// a transient node attribute that tells Pacemaker where a promotable clone may be promoted.
import type { CommandResult, CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';

export interface PromotionScoreOptions {
  readonly run: CommandRunner;
  readonly crmAttribute?: string;
  /** The clone's resource id; clone instance suffixes (`:0`) are stripped. */
  readonly resource: string;
}

/** The Pacemaker release a client tool reports (`crm_attribute --version`). */
export interface PacemakerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As printed: `2.1.5`. */
  readonly text: string;
}

/**
 * The first line of `crm_attribute --version`, `Pacemaker 2.1.5` on this repo's host (recorded:
 * test/fixtures/pacemaker-host/crm_attribute-version); undefined when the output says no version.
 */
export function parsePacemakerVersion(stdout: string): PacemakerVersion | undefined {
  const m = /^Pacemaker (\d+)\.(\d+)(?:\.(\d+))?\S*/m.exec(stdout);
  if (m === null) return undefined;
  const [text, major = '0', minor = '0', patch = '0'] = m;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    text: text.slice('Pacemaker '.length),
  };
}

/** `crm_attribute --promotion` came with Pacemaker 2.1.0 (its ChangeLog: "crm_attribute accepts -p/--promotion"). */
export const hasPromotionOption = (v: PacemakerVersion): boolean =>
  v.major > 2 || (v.major === 2 && v.minor >= 1);

/**
 * No cluster runs on this node (ocf-tester, crm_resource --force-*, a stopped cluster): Pacemaker 2.1.5 answers
 * every --promotion call with exit 102 (CRM_EX_NOT_CONNECTED) and "Could not connect to the CIB"
 * (pacemaker-host/crm_attribute-*-down). Asking again cannot help.
 */
export function saysClusterDown(result: CommandResult): boolean {
  return !result.ok && (result.exitCode === 102 || /Could not connect to the CIB/.test(result.stderr));
}

/** `rsc:1` → `rsc`: the promotion score belongs to the clone, not to one instance. */
export const cloneBaseName = (instance: string): string => instance.replace(/:\d+$/, '');

export class PromotionScore {
  private readonly bin: string;
  readonly resource: string;

  constructor(private readonly options: PromotionScoreOptions) {
    this.bin = options.crmAttribute ?? 'crm_attribute';
    this.resource = cloneBaseName(options.resource);
  }

  private run(args: readonly string[]): Promise<CommandResult> {
    return this.options.run(this.bin, [`--promotion=${this.resource}`, ...args]);
  }

  async set(score: number): Promise<void> {
    if (!Number.isInteger(score)) throw new TypeError(`promotion score ${score} is not an integer`);
    const r = await this.run(['--update', String(score)]);
    if (!r.ok) throw new ToolError(r, 'crm_attribute --promotion --update');
  }

  /** Removes the score: Pacemaker will not promote here. Absent already is fine. */
  async delete(): Promise<void> {
    const r = await this.run(['--delete']);
    if (!r.ok && !/not found|No such/i.test(r.stderr))
      throw new ToolError(r, 'crm_attribute --promotion --delete');
  }

  /** The Pacemaker release of this node's crm_attribute (needs no cluster); undefined when it prints none. */
  async version(): Promise<PacemakerVersion | undefined> {
    const r = await this.options.run(this.bin, ['--version']);
    if (!r.ok) throw new ToolError(r, 'crm_attribute --version');
    return parsePacemakerVersion(r.stdout);
  }

  /** The current score, undefined when none is set. */
  async get(): Promise<number | undefined> {
    const r = await this.run(['--query', '--quiet']);
    if (!r.ok) {
      if (r.exitCode === 105 || /not found|No such/i.test(r.stderr)) return undefined;
      throw new ToolError(r, 'crm_attribute --promotion --query');
    }
    const n = Number.parseInt(r.stdout.trim(), 10);
    return Number.isNaN(n) ? undefined : n;
  }
}
