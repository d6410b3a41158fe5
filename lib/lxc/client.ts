// The lxc-* tools for one container (name + lxcpath), each call an argument array bounded by a deadline.
import type { CommandResult, CommandRunner } from '../exec/command.js';
import { runSync, syncRunner } from '../exec/sync-runner.js';
import type { Deadline } from '../system/deadline.js';
import { pollUntil } from '../system/deadline.js';
import {
  parseInitPid,
  parseStateAndPid,
  parseStateResult,
  type ContainerState,
  type StateAndPid,
  type StateQuery,
} from './state.js';

export interface ContainerRef {
  readonly name: string;
  readonly lxcpath: string;
}

export interface StartOptions {
  readonly config: string;
  readonly logFile?: string | undefined;
  readonly consoleLog?: string | undefined;
  /** `-s KEY=VALUE` overrides, e.g. cgroup limits. */
  readonly defines?: readonly (readonly [string, string])[];
}

// A state query is one tiny child; bound it tightly so a hung LXC monitor cannot eat the operation,
// but never below a second: a query cut short would report a timeout instead of the state.
const STATE_QUERY_MS = 10_000;
const MIN_QUERY_MS = 1000;
const queryLimit = (deadline?: Deadline): number =>
  Math.max(MIN_QUERY_MS, Math.min(STATE_QUERY_MS, deadline?.remainingMs() ?? STATE_QUERY_MS));

export class LxcClient {
  /** Every tool but lxc-attach: none leaves a child on its output (lxc-start's daemon detaches from it). */
  private readonly runner: CommandRunner = syncRunner();

  constructor(
    readonly container: ContainerRef,
    /**
     * lxc-attach's runner, one that kills the child's process group at the deadline (execa): a command
     * inside the container may leave a child holding the output pipe. Loaded by the monitor's deep checks only.
     */
    private readonly attachRunner?: CommandRunner,
  ) {}

  private get base(): string[] {
    return ['-n', this.container.name, '-P', this.container.lxcpath];
  }

  private run(command: string, args: readonly string[], deadline: Deadline): Promise<CommandResult> {
    return this.runner(command, args, { deadline });
  }

  /** The container's state, synchronously: the monitor's hot path. */
  queryState(deadline?: Deadline): StateQuery {
    return parseStateResult(runSync('lxc-info', [...this.base, '-s', '-H'], queryLimit(deadline)));
  }

  /** State and init's PID in one lxc-info: stop's first look. */
  queryStateAndPid(deadline?: Deadline): StateAndPid {
    return parseStateAndPid(runSync('lxc-info', [...this.base, '-s', '-p', '-H'], queryLimit(deadline)));
  }

  initPid(deadline?: Deadline): number | undefined {
    const r = runSync('lxc-info', [...this.base, '-p', '-H'], queryLimit(deadline));
    return r.ok ? parseInitPid(r.stdout) : undefined;
  }

  /**
   * Waits until the state is one of `wanted` (or a query fails), polling with a growing interval;
   * returns the last state seen when the deadline passes.
   */
  async waitForState(wanted: readonly ContainerState[], deadline: Deadline): Promise<StateQuery> {
    let last: StateQuery | undefined;
    const settled = await pollUntil(
      deadline,
      () => {
        last = this.queryState(deadline);
        return Promise.resolve(last.kind !== 'state' || wanted.includes(last.state) ? last : undefined);
      },
      { firstMs: 50, maxMs: 200 },
    );
    return settled ?? last ?? this.queryState(deadline);
  }

  start(options: StartOptions, deadline: Deadline): Promise<CommandResult> {
    const args = [...this.base, '-d', '-f', options.config];
    if (options.logFile !== undefined) args.push('-o', options.logFile);
    if (options.consoleLog !== undefined) args.push('-L', options.consoleLog);
    for (const [key, value] of options.defines ?? []) args.push('-s', `${key}=${value}`);
    return this.run('lxc-start', args, deadline);
  }

  /** SIGKILL to init, at once (lxc-stop -k). */
  kill(deadline: Deadline): Promise<CommandResult> {
    return this.run('lxc-stop', [...this.base, '-k'], deadline);
  }

  unfreeze(deadline: Deadline): Promise<CommandResult> {
    return this.run('lxc-unfreeze', this.base, deadline);
  }

  /** Runs `command` inside the running container (no shell, unless the command is one). */
  attach(command: readonly string[], deadline: Deadline): Promise<CommandResult> {
    if (this.attachRunner === undefined)
      throw new Error('lxc-attach needs a runner that kills its process group');
    return this.attachRunner('lxc-attach', [...this.base, '--', ...command], { deadline });
  }

  /** Writes one file of the running container's cgroup (lxc-cgroup finds the cgroup on v1 and v2). */
  setCgroup(file: string, value: string, deadline: Deadline): Promise<CommandResult> {
    // `--`: a value such as -1 (v1's "no limit") is otherwise read as an option and refused.
    return this.run('lxc-cgroup', [...this.base, '--', file, value], deadline);
  }
}
