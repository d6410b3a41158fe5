// Container states as `lxc-info -s -H` (and `-s -p -H`) reports them, and what "doesn't exist" means.
import type { CommandResult } from '../exec/command.js';

export const lxcStates = [
  'STOPPED',
  'STARTING',
  'RUNNING',
  'STOPPING',
  'ABORTING',
  'FREEZING',
  'FROZEN',
  'THAWED',
] as const;
export type LxcState = (typeof lxcStates)[number];
/** ABSENT: LXC knows no such container under this lxcpath (no config there, not running). */
export type ContainerState = LxcState | 'ABSENT';

/** States that settle by themselves; a monitor waits for them to pass. */
export const transitionalStates: ReadonlySet<ContainerState> = new Set([
  'STARTING',
  'STOPPING',
  'ABORTING',
  'FREEZING',
  'THAWED',
]);

export type StateQuery =
  | { readonly kind: 'state'; readonly state: ContainerState }
  | { readonly kind: 'tools-missing' }
  | { readonly kind: 'error'; readonly message: string };

export function parseStateResult(result: CommandResult): StateQuery {
  if (!result.ok) return failedQuery(result);
  return stateNamed(result.stdout.trim());
}

function stateNamed(text: string): StateQuery {
  const state = lxcStates.find((s) => s === text);
  if (state !== undefined) return { kind: 'state', state };
  return { kind: 'error', message: `lxc-info printed an unknown state ${JSON.stringify(text)}` };
}

/** What a failed lxc-info says: the tools are missing, the container is absent, or the query failed. */
function failedQuery(result: CommandResult): StateQuery {
  if (result.missing) return { kind: 'tools-missing' };
  if (/doesn't exist|does not exist/.test(result.stderr)) return { kind: 'state', state: 'ABSENT' };
  if (result.timedOut) return { kind: 'error', message: 'lxc-info timed out' };
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  return {
    kind: 'error',
    message: `lxc-info failed (exit ${result.exitCode ?? result.signal ?? '?'}): ${last}`,
  };
}

export interface StateAndPid {
  readonly query: StateQuery;
  /** Init's PID on the host; undefined when the container runs no init (STOPPED) or the query failed. */
  readonly pid: number | undefined;
}

/**
 * `lxc-info -s -p -H`: one line per field, labelled even with -H ("State:   RUNNING", "PID:   656"; a
 * stopped container prints no PID line), whatever the order of the options.
 */
export function parseStateAndPid(result: CommandResult): StateAndPid {
  if (!result.ok) return { query: failedQuery(result), pid: undefined };
  const fields = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(\w+):\s*(.*)$/.exec(line.trim());
    if (match !== null) fields.set(match[1]!, match[2]!.trim());
  }
  const state = fields.get('State');
  if (state === undefined)
    return {
      query: { kind: 'error', message: `lxc-info printed no state: ${JSON.stringify(result.stdout.trim())}` },
      pid: undefined,
    };
  const pid = fields.get('PID');
  return { query: stateNamed(state), pid: pid === undefined ? undefined : parseInitPid(pid) };
}

/** A state query in words, for exit reasons: the state, or why there is none. */
export function describeStateQuery(query: StateQuery): string {
  if (query.kind === 'state') return query.state;
  return query.kind === 'error' ? query.message : 'LXC tools missing';
}

/** `lxc-info -p -H`: init's PID on the host, when running. */
export function parseInitPid(stdout: string): number | undefined {
  const text = stdout.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const pid = Number.parseInt(text, 10);
  return pid > 1 ? pid : undefined;
}
