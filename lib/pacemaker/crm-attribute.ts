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
