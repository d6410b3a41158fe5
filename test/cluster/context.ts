// What a cluster scenario is (test/cluster/scenarios/<name>.ts) and what it is handed: the cluster, the stack
// under test with its resource ids (sites.ts), where the sites run, and the stack's data log.
import type { Cluster, ClusterState } from './cluster.js';
import {
  acked,
  checkSeq,
  constraintsNow,
  drbdSynced,
  describePlacement,
  placeEach,
  notRunning,
  placement,
  POLL_MS,
  samePlacement,
  type Ack,
  type Placement,
} from './helpers.js';
import type { Results } from './runner.js';
import { SITES, type Site, type Stack, type StackResources } from './sites.js';
import { TimeoutError, waitFor } from './util.js';
import type { Vm } from './vm.js';

/** The scenarios LXCHA_CLUSTER_SCENARIOS names (`start,partition,data`): only those run; empty: all. */
export function namedScenarios(): string[] {
  return (process.env.LXCHA_CLUSTER_SCENARIOS ?? '').split(',').filter((n) => n !== '');
}

/**
 * Whether `scenario` runs on `stack`: named by LXCHA_CLUSTER_SCENARIOS (`only`; empty: every one) or
 * housekeeping, and listing the stack unless `everyScenario`. Its own `when` decides last.
 */
export function selected(
  scenario: Scenario,
  stack: Stack,
  only: readonly string[],
  everyScenario: boolean,
): boolean {
  if (only.length > 0 && !only.includes(scenario.name) && scenario.housekeeping !== true) return false;
  return everyScenario || scenario.stacks.includes(stack);
}

/** One failover scenario, run once per stack in the order of scenarios/index.ts. */
export interface Scenario {
  /** Its file's name, and its result line's after the stack (`ok lxcha:switchover …`). */
  name: string;
  /**
   * The stacks it runs on within the time budget. A full run (`LXCHA_CLUSTER_FULL=1`, or the anchor stack
   * run alone) runs it on every stack.
   */
  stacks: readonly Stack[];
  /** It checks every writer's data around its event (`ctx.dataAfter`): scenario `data` then expects that. */
  checksData?: boolean;
  /** The stack's later scenarios need it: when it fails, they are skipped. */
  prerequisite?: boolean;
  /**
   * It keeps the stacks apart rather than testing one (`remove`): it runs whatever LXCHA_CLUSTER_SCENARIOS
   * names, else a run naming scenarios would load the next stack over the running one.
   */
  housekeeping?: boolean;
  /** When the scenario runs only in some runs: false skips it. */
  when?: (ctx: StackContext) => boolean;
  /** Resolves to the details of its `ok` line; what it throws is the details of its `FAIL` line. */
  run(ctx: StackContext): Promise<string>;
}

/**
 * The data checks of one stack's scenarios: each writer's acknowledged numbers before an event all present
 * after it, and the writer acknowledging new ones. Scenario `data` judges them.
 */
export class DataLog {
  private readonly events: string[] = [];
  private lost = 0;
  private expected = 0;

  /** @param writers the data writers each check reads (one per site) */
  constructor(private readonly writers: number) {}

  /** A scenario that checks data is about to run: it owes one check per writer. */
  expect(): void {
    this.expected += this.writers;
  }

  kept(event: string, ct: string, was: number, after: number): void {
    this.events.push(`${event} ${ct}: ack ${was} kept, then ${after}`);
  }

  missing(event: string, ct: string, lost: string): void {
    this.events.push(`${event} ${ct}: LOST ${lost}`);
    this.lost += 1;
  }

  /** The details of scenario `data`: throws when a number was lost or an owed check never completed. */
  verdict(): string {
    if (this.events.length < this.expected || this.lost > 0) {
      const why =
        this.lost > 0
          ? 'acknowledged numbers lost'
          : `only ${this.events.length} of ${this.expected} data checks completed`;
      throw new Error(`${why}: ${this.events.join('; ') || 'none'}`);
    }
    return `no acknowledged number lost in ${this.events.length} checks (${this.events.join('; ')})`;
  }
}

/** What every scenario of one stack is handed. */
export class StackContext {
  /** node1's VM: where crm commands go and the cluster is watched from, unless a scenario says otherwise. */
  readonly first: Vm;
  /** Every site on its home node, as the location constraints prefer. */
  readonly home: Placement = placeEach((site) => site.home);
  /** The data checks of this stack's scenarios so far. */
  readonly data = new DataLog(SITES.length);

  constructor(
    readonly cluster: Cluster,
    readonly stack: Stack,
    /** The DRBD fence-peer handler this stack runs with: linbit (drbd-utils') or suite (ours). */
    readonly fencePeer: string,
    /** Another stack runs after this one: then this one is removed from the CIB before it. */
    readonly anotherStackFollows: boolean,
    private readonly results: Results,
    private readonly timings: Map<string, number>,
  ) {
    this.first = (cluster.vms as [Vm, Vm])[0];
  }

  /** This stack's resource ids of a site, as its CIB names them. */
  ids(site: Site): StackResources {
    return site.resources[this.stack];
  }

  /** A result line besides the scenario's own, named `<stack>:<name>`. */
  report(ok: boolean, name: string, details: string): void {
    this.results.report(ok, `${this.stack}:${name}`, details);
  }

  /** Keeps a measured time, for the `timing` lines that compare the stacks. */
  timing(name: string, seconds: number): void {
    this.timings.set(`${this.stack}:${name}`, seconds);
  }

  /** Where every site runs in `state`, or undefined while any site's stack is not fully running. */
  placement(state: ClusterState): Placement | undefined {
    return placement(state, this.stack);
  }

  /** Waits until every site's stack runs, where `want` says (default: anywhere). */
  async waitPlacement(from: Vm, limitMs: number, want?: Placement): Promise<Placement> {
    let last: ClusterState | undefined;
    try {
      return await waitFor(
        `${this.stack} stacks running${want === undefined ? '' : ` at ${describePlacement(want)}`} (seen from ${from.name})`,
        limitMs,
        async () => {
          const s = await this.cluster.state(from);
          if (s !== undefined) last = s;
          const p = s === undefined ? undefined : this.placement(s);
          if (p === undefined) return undefined;
          return want === undefined || samePlacement(p, want) ? p : undefined;
        },
        POLL_MS,
      );
    } catch (error) {
      // Say what the last answer showed: the next session reads it instead of guessing.
      if (error instanceof TimeoutError && last !== undefined)
        throw new TimeoutError(`${error.message}; last seen: ${notRunning(last, this.stack)}`);
      throw error;
    }
  }

  /** Before a scenario: both nodes online, every resource in sync, no fence-peer constraint, all stacks up. */
  async settle(): Promise<Placement> {
    const a = this.first;
    await this.cluster.waitOnline(a, ['node1', 'node2'], 600_000);
    await drbdSynced(this.cluster, 600_000);
    await waitFor(
      'no fence-peer constraint left',
      300_000,
      async () => ((await constraintsNow(a))?.length === 0 ? true : undefined),
      POLL_MS,
    );
    return this.waitPlacement(a, 600_000);
  }

  /**
   * The data check after `event`, per writer where `where` says its site runs: every number acknowledged
   * `before` is there, and the writer acknowledges new ones. Logged for scenario `data`; throws on a loss.
   */
  async dataAfter(where: Placement, before: Record<string, Ack>, event: string): Promise<string> {
    const parts: string[] = [];
    for (const site of SITES) {
      const ct = site.writer;
      const vm = this.cluster.vm(where[site.res] ?? '');
      const ack = before[ct] ?? { n: 0, run: '' };
      const was = ack.n;
      const lost = await checkSeq(vm, ct, ack);
      if (lost !== undefined) {
        this.data.missing(event, ct, lost);
        throw new Error(lost);
      }
      const after = await waitFor(
        `${ct} writer acknowledging new numbers`,
        120_000,
        async () => {
          const n = await acked(vm, ct);
          return n > was ? n : undefined;
        },
        POLL_MS,
      );
      this.data.kept(event, ct, was, after);
      parts.push(`${ct} ack ${was} kept, now ${after}`);
    }
    return parts.join(', ');
  }
}
