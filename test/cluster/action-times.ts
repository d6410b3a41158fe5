// Per-action execution times of both stacks, from each node's pacemaker.log: pacemaker-execd logs every
// finished operation with its execution time (log_finished), attributed here to a stack and a kind of
// resource by the ids and agents the harness knows (sites.ts), then set side by side in one table.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AGENTS, SITES, type Site, type Stack } from './sites.js';

/**
 * One finished operation: as pacemaker-execd's log_finished line reports it (every action but monitor, which
 * it logs at debug level only), or, for a recurring monitor, as the CIB recorded its result (its first run
 * and each change of result: pacemaker-based logs every change of the status section).
 */
export interface FinishedOperation {
  /**
   * execd: its log_finished line; cib: a recurring monitor's result the CIB recorded; controld: the wait for
   * the agent's meta-data that the controller asks for before an operation (action 'meta-data').
   */
  source: 'execd' | 'cib' | 'controld';
  /** The node it ran on. */
  node: string;
  /** The line's timestamp as logged (`Dec 02 01:57:08.430`). */
  at: string;
  /** The resource id without a clone instance suffix. */
  resource: string;
  action: string;
  call: number;
  /** The agent's exit status, when it ran to completion. */
  exitStatus?: number;
  /** Pacemaker's execution status when it did not (`Timed Out`, `Not installed`, …). */
  notExecuted?: string;
  exitReason?: string;
  ms: number;
  queuedMs: number;
  /** class:provider:type the log names for the resource before this line, if it did. */
  agent?: string;
}

/**
 * Milliseconds of one of Pacemaker's readable intervals (pcmk__readable_interval in lib/common/iso8601.c):
 * `[Nd][Nh][Nm]` then `N.NNNs`, `Ns` or `NNNms` (`0s` for none), e.g. `2m30s`, `3.333s`, `420ms`.
 */
export function readableIntervalMs(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)(?:\.(\d{3}))?s|(\d+)ms)?$/.exec(text);
  if (m === null || text === '') return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return ((n(1) * 24 + n(2)) * 60 + n(3)) * 60_000 + n(4) * 1000 + n(5) + n(6);
}

// pacemaker-execd's log_finished (daemons/execd/execd_commands.c, Pacemaker 2.1.5):
// "<rsc> <action> (call <id>[, PID <pid>]) exited with status <rc>|could not be executed: <status>
//  [(<exit reason>)] (execution time <interval>[ after being queued <interval>])"
const FINISHED =
  /^(\S+) (\S+) \(call (-?\d+)(?:, PID \d+)?\) (?:exited with status (-?\d+)|could not be executed: ([^(]+?))(?: \((.*)\))? \(execution time (\S+?)(?: after being queued (\S+))?\)$/;
// pacemaker-controld (do_lrm_invoke, do_lrm_rsc_op, Pacemaker 2.1.5): the agent's meta-data asked for before an
// operation when the controller has none cached, then the operation handed to execd once it has it.
const METADATA_ASKED = /^Retrieving metadata for (\S+) \((\S+)\) asynchronously$/;
const EXECUTION_REQUESTED = /^Requesting local execution of (\S+) operation for (\S+) on /;
// The log's line header: `Dec 02 01:57:08.430 node1 pacemaker-execd     [1234] (log_finished) \tinfo: `.
const HEADER = /^(\w{3} [ \d]\d [\d:.]+) \S+ (\S+)\s+\[\d+\] \((\w+)\)\s+(\w+): (.*)$/;
// An element that names a resource's agent: its primitive in the configuration, its lrm_resource in the status.
const AGENT_ELEMENT = /<(?:primitive|lrm_resource) ([^>]*)>/;
// pacemaker-based's log of a CIB change (cib_perform_op, xml_log_patchset in lib/common/patchset.c): an
// operation's history entry added whole (`++ <path>:  <lrm_rsc_op …/>`), or its changed attributes
// (`+  <path>/lrm_rsc_op[@id='…']:  @call-id=56, @rc-code=0, …`); <path> names the node_state by its id.
const RECORD_ADDED = /^\+\+ \/cib\/status\/node_state\[@id='([^']+)'\]\S*:\s+<lrm_rsc_op ([^>]*)>/;
const RECORD_CHANGED =
  /^\+ {2}\/cib\/status\/node_state\[@id='([^']+)'\]\S*\/lrm_rsc_op\[@id='([^']+)'\]:\s+(@.*)$/;
// PCMK_EXEC_* (include/crm/common/results.h) as pcmk_exec_status_str names them, for a recorded op-status.
const EXEC_STATUS = ['done', 'Cancelled', 'Timed Out', 'Unsupported', 'Error', 'Not installed'];

function attributes(text: string): Map<string, string> {
  return new Map([...text.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** `@call-id=56, @rc-code=1, @exit-reason=…` as a map (a value may hold ", " itself). */
function changedAttributes(text: string): Map<string, string> {
  return new Map([...text.matchAll(/@([\w-]+)=(.*?)(?=, @[\w-]+=|$)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/**
 * A recurring monitor's result as the CIB recorded it: its operation key, node, call, rc and times; undefined
 * for a pending entry, a probe or another action (execd's own line reports those).
 */
function monitorRecord(
  key: string,
  node: string,
  a: Map<string, string>,
): Omit<FinishedOperation, 'source' | 'at' | 'agent'> | undefined {
  const m = /^(.+)_monitor_(\d+)$/.exec(key);
  const call = Number(a.get('call-id'));
  const status = Number(a.get('op-status'));
  const ms = Number(a.get('exec-time'));
  if (m === null || m[2] === '0' || !(call >= 0) || !(status >= 0) || !Number.isFinite(ms)) return undefined;
  const reason = a.get('exit-reason');
  return {
    node,
    resource: (m[1] ?? '').replace(/:\d+$/, ''),
    action: 'monitor',
    call,
    ...(status === 0
      ? { exitStatus: Number(a.get('rc-code')) }
      : { notExecuted: EXEC_STATUS[status] ?? `op-status ${status}` }),
    ...(reason === undefined || reason === '' ? {} : { exitReason: reason }),
    ms,
    queuedMs: Number(a.get('queue-time') ?? 0),
  };
}

/** The operation of one log_finished message, or undefined when the message is not one. */
export function finishedOperation(
  message: string,
): Omit<FinishedOperation, 'source' | 'node' | 'at' | 'agent'> | undefined {
  const m = FINISHED.exec(message);
  if (m === null) return undefined;
  const ms = readableIntervalMs(m[7] ?? '');
  const queuedMs = m[8] === undefined ? 0 : readableIntervalMs(m[8]);
  if (ms === undefined || queuedMs === undefined) return undefined;
  return {
    resource: (m[1] ?? '').replace(/:\d+$/, ''),
    action: m[2] ?? '',
    call: Number(m[3]),
    ...(m[4] === undefined ? {} : { exitStatus: Number(m[4]) }),
    ...(m[5] === undefined ? {} : { notExecuted: m[5] }),
    ...(m[6] === undefined ? {} : { exitReason: m[6] }),
    ms,
    queuedMs,
  };
}

/**
 * Every finished operation of one node's pacemaker.log, in order: the operations its execd ran, and the
 * recurring monitor results the CIB recorded for either node (the same change is in both nodes' logs:
 * `actionTimes` keeps each once). Each carries the agent the log last named for its resource before it (a
 * resource id can name another agent after a stack was replaced).
 */
export function parsePacemakerLog(text: string, node: string): FinishedOperation[] {
  const agents = new Map<string, string>();
  // node_state ids by the node names their added entries carry (on_node), for the changed ones that do not.
  const nodeNames = new Map<string, string>();
  const operations: FinishedOperation[] = [];
  const add = (at: string, op: Omit<FinishedOperation, 'at' | 'agent'>): void => {
    const agent = agents.get(op.resource);
    operations.push({ at, ...op, ...(agent === undefined ? {} : { agent }) });
  };
  // Meta-data asked for and not yet followed by its operation, by resource: when and for which agent.
  const metadataAsked = new Map<string, string>();
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header === null) continue;
    const [, at = '', daemon, fn, , message = ''] = header;
    if (daemon === 'pacemaker-controld') {
      const asked = METADATA_ASKED.exec(message);
      if (asked !== null) {
        const resource = (asked[1] ?? '').replace(/:\d+$/, '');
        agents.set(resource, asked[2] ?? '');
        metadataAsked.set(resource, at);
        continue;
      }
      const requested = EXECUTION_REQUESTED.exec(message);
      const resource = (requested?.[2] ?? '').replace(/:\d+$/, '');
      const since = metadataAsked.get(resource);
      if (requested === null || since === undefined) continue;
      metadataAsked.delete(resource);
      const ms = gapMs(since, at);
      if (ms !== undefined)
        add(since, {
          source: 'controld',
          node,
          resource,
          action: 'meta-data',
          call: -1,
          exitStatus: 0,
          ms,
          queuedMs: 0,
        });
      continue;
    }
    if (daemon === 'pacemaker-execd' && fn === 'log_finished') {
      const op = finishedOperation(message);
      if (op !== undefined) add(at, { source: 'execd', node, ...op });
      continue;
    }
    if (daemon !== 'pacemaker-based' || fn !== 'cib_perform_op') continue;
    const added = RECORD_ADDED.exec(message);
    if (added !== null) {
      const a = attributes(added[2] ?? '');
      const onNode = a.get('on_node');
      if (onNode !== undefined) nodeNames.set(added[1] ?? '', onNode);
      const record = monitorRecord(a.get('operation_key') ?? '', onNode ?? '', a);
      if (record !== undefined && onNode !== undefined) add(at, { source: 'cib', ...record });
      continue;
    }
    const changed = RECORD_CHANGED.exec(message);
    if (changed !== null) {
      const onNode = nodeNames.get(changed[1] ?? '');
      const record = monitorRecord(changed[2] ?? '', onNode ?? '', changedAttributes(changed[3] ?? ''));
      if (record !== undefined && onNode !== undefined) add(at, { source: 'cib', ...record });
      continue;
    }
    const element = AGENT_ELEMENT.exec(message);
    if (element !== null) {
      const a = attributes(element[1] ?? '');
      const id = a.get('id');
      const cls = a.get('class');
      const type = a.get('type');
      if (id !== undefined && cls !== undefined && type !== undefined) {
        const provider = a.get('provider');
        agents.set(id, provider === undefined ? `${cls}:${type}` : `${cls}:${provider}:${type}`);
      }
    }
  }
  return operations;
}

/**
 * Milliseconds from one log timestamp to a later one, at most a year apart: both read in one fixed year (the
 * log names none), a year's turn in between counted.
 */
function gapMs(from: string, to: string): number | undefined {
  // The last hour of 2001 (no leap day in it or in 2002): every timestamp reads as one of 2001.
  const year = Date.UTC(2001, 11, 31, 23);
  const start = logTimeMs(from, year);
  const end = logTimeMs(to, year);
  if (start === undefined || end === undefined) return undefined;
  return end >= start ? end - start : end + 365 * 86_400_000 - start;
}

/** The kinds of resource the table compares. */
export type Kind = 'drbd' | 'volumeGroup' | 'container';

/**
 * The stack and kind of an operation's resource: by id where the id is one stack's own (the promotable
 * DRBD primitive, the anchor's LVM-activate), by the agent the log names where both stacks use the id
 * (the containers). Undefined for every other resource, and for a shared id whose agent the log never named.
 */
export function attribute(
  op: Pick<FinishedOperation, 'resource' | 'agent'>,
  sites: readonly Site[] = SITES,
): { stack: Stack; kind: Kind } | undefined {
  const stacks: Stack[] = ['lxcha', 'anchor'];
  for (const site of sites) {
    for (const stack of stacks) {
      const ids = site.resources[stack];
      if (ids.promotable === op.resource) return { stack, kind: 'drbd' };
      if (ids.volumeGroup === op.resource) return { stack, kind: 'volumeGroup' };
    }
  }
  const sharers = stacks.filter((stack) =>
    sites.some((site) => Object.values(site.resources[stack].containers).includes(op.resource)),
  );
  const stack = sharers.find((s) => sharers.length === 1 || AGENTS[s].container === op.agent);
  return stack === undefined ? undefined : { stack, kind: 'container' };
}

/** Count, total and spread of a set of execution times. */
export interface Figures {
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  /**
   * Calls that did not end with success: an exit status other than 0, or for a monitor other than 7/8 and
   * OCF 1.1's degraded 190/191 (a state the monitor reports, such as the peer lost in node-crash).
   */
  failed: number;
}

const succeeded = (op: FinishedOperation): boolean =>
  op.exitStatus === 0 || (op.action === 'monitor' && [7, 8, 190, 191].includes(op.exitStatus ?? -1));

export function figures(ops: readonly FinishedOperation[]): Figures | undefined {
  if (ops.length === 0) return undefined;
  const ms = ops.map((op) => op.ms);
  return {
    count: ops.length,
    totalMs: ms.reduce((a, b) => a + b, 0),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    failed: ops.filter((op) => !succeeded(op)).length,
  };
}

/** The operations of each stack, kind and action (`lxcha drbd notify`). */
export type ActionTimes = Map<string, FinishedOperation[]>;
const key = (stack: Stack, kind: Kind, action: string): string => `${stack} ${kind} ${action}`;

/**
 * Groups the operations by stack, kind and action: monitors as the CIB recorded them (each once, though both
 * nodes' logs hold it), every other action as execd logged it. A container operation whose agent the log
 * never named is counted, not kept; other resources' operations are left out.
 */
export function actionTimes(
  ops: readonly FinishedOperation[],
  sites: readonly Site[] = SITES,
): { times: ActionTimes; unattributed: number } {
  const times: ActionTimes = new Map();
  const seen = new Set<string>();
  let unattributed = 0;
  for (const op of ops) {
    if ((op.action === 'monitor') !== (op.source === 'cib')) continue;
    if (op.source === 'cib') {
      const id = [op.node, op.resource, op.call, op.exitStatus, op.notExecuted, op.ms].join(' ');
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const owner = attribute(op, sites);
    if (owner === undefined) {
      const shared = sites.some((s) => Object.values(s.resources.lxcha.containers).includes(op.resource));
      if (shared) unattributed += 1;
      continue;
    }
    const k = key(owner.stack, owner.kind, op.action);
    times.set(k, [...(times.get(k) ?? []), op]);
  }
  return { times, unattributed };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mean = (f: Figures): number => f.totalMs / f.count;

/** `11.6 s (59 calls, 686 s in all)`; with `what`, `4.1 s drbd (6 calls)`. */
function cell(f: Figures | undefined, what?: string): string {
  if (f === undefined) return what === undefined ? 'none logged' : `no ${what} logged`;
  const calls = `${f.count} call${f.count === 1 ? '' : 's'}`;
  const spread = f.count > 1 ? `, ${seconds(f.minMs)}–${seconds(f.maxMs)}` : '';
  const failed = f.failed > 0 ? `, ${f.failed} failed` : '';
  const sum = f.totalMs >= 100_000 ? `${Math.round(f.totalMs / 1000)} s` : seconds(f.totalMs);
  const total = what === undefined && f.count > 1 ? `, ${sum} in all` : '';
  return `${seconds(mean(f))}${what === undefined ? '' : ` ${what}`} (${calls}${spread}${total}${failed})`;
}

/** One row: what each stack spends on a step, and lxcha's average over the anchor's (summed over its parts). */
interface Row {
  action: string;
  lxcha: [Kind, string][];
  anchor: [Kind, string][];
}

const ROWS: Row[] = [
  { action: 'DRBD notify (calls)', lxcha: [['drbd', 'notify']], anchor: [['drbd', 'notify']] },
  {
    action: 'demote',
    lxcha: [['drbd', 'demote']],
    anchor: [
      ['drbd', 'demote'],
      ['volumeGroup', 'stop'],
    ],
  },
  {
    action: 'promote',
    lxcha: [['drbd', 'promote']],
    anchor: [
      ['drbd', 'promote'],
      ['volumeGroup', 'start'],
    ],
  },
  { action: 'start (DRBD)', lxcha: [['drbd', 'start']], anchor: [['drbd', 'start']] },
  { action: 'stop (DRBD)', lxcha: [['drbd', 'stop']], anchor: [['drbd', 'stop']] },
  { action: 'LVM-activate start', lxcha: [], anchor: [['volumeGroup', 'start']] },
  { action: 'LVM-activate stop', lxcha: [], anchor: [['volumeGroup', 'stop']] },
  { action: 'container start', lxcha: [['container', 'start']], anchor: [['container', 'start']] },
  { action: 'container stop', lxcha: [['container', 'stop']], anchor: [['container', 'stop']] },
  { action: 'monitor (DRBD)', lxcha: [['drbd', 'monitor']], anchor: [['drbd', 'monitor']] },
  { action: 'monitor (LVM-activate)', lxcha: [], anchor: [['volumeGroup', 'monitor']] },
  { action: 'monitor (container)', lxcha: [['container', 'monitor']], anchor: [['container', 'monitor']] },
  // Not in any operation's execution time: the controller waits for it before a start or probe (Pacemaker 2.1.5).
  { action: 'meta-data wait (DRBD)', lxcha: [['drbd', 'meta-data']], anchor: [['drbd', 'meta-data']] },
  { action: 'meta-data wait (LVM-activate)', lxcha: [], anchor: [['volumeGroup', 'meta-data']] },
  {
    action: 'meta-data wait (container)',
    lxcha: [['container', 'meta-data']],
    anchor: [['container', 'meta-data']],
  },
];

/** A kind's words in a cell that sums several parts: the agent's short name. */
const PART: Record<Kind, string> = { drbd: 'drbd', volumeGroup: 'LVM-activate', container: 'lxc' };

/** The markdown table of both stacks' actions, one row per step, lxcha beside the anchor. */
export function actionTable(times: ActionTimes): string {
  const lines = ['| action | lxcha | anchor | lxcha/anchor |', '|---|---|---|---|'];
  for (const row of ROWS) {
    const side = (stack: Stack): { text: string; meanMs?: number } => {
      const parts = row[stack].map(([kind, action]) => ({
        kind,
        action,
        f: figures(times.get(key(stack, kind, action)) ?? []),
      }));
      if (parts.length === 0) return { text: `— (${stack === 'lxcha' ? 'in drbd-lvm' : 'none'})` };
      const several = parts.length > 1;
      const text = parts
        .map((p) =>
          cell(p.f, several ? `${PART[p.kind]} ${p.kind === 'drbd' ? '' : p.action}`.trim() : undefined),
        )
        .join(' + ');
      const known = parts.every((p) => p.f !== undefined);
      return known ? { text, meanMs: parts.reduce((sum, p) => sum + (p.f ? mean(p.f) : 0), 0) } : { text };
    };
    const ours = side('lxcha');
    const theirs = side('anchor');
    const ratio =
      ours.meanMs !== undefined && theirs.meanMs !== undefined && theirs.meanMs > 0
        ? `${(ours.meanMs / theirs.meanMs).toFixed(2)}×`
        : '';
    lines.push(`| ${row.action} | ${ours.text} | ${theirs.text} | ${ratio} |`);
  }
  return lines.join('\n');
}

/** When one stack's scenario ran, by the host's clock (ms since the epoch); the guests log UTC by that clock. */
export interface ScenarioWindow {
  readonly stack: Stack;
  readonly scenario: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** The file in a run's log folder that keeps its scenario windows (written as each scenario ends). */
export const WINDOWS_FILE = 'scenario-windows.json';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A pacemaker.log timestamp (`Dec 04 19:10:56.780`: no year, the guest's UTC) in ms since the epoch, in the
 * year `near` (ms) falls in, or the year before when that puts it more than half a year after `near`.
 */
export function logTimeMs(at: string, near: number): number | undefined {
  const m = /^(\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?$/.exec(at);
  const month = m === null ? -1 : MONTHS.indexOf(m[1] ?? '');
  if (m === null || month < 0) return undefined;
  const inYear = (year: number): number =>
    Date.UTC(
      year,
      month,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number((m[6] ?? '0').padEnd(3, '0')),
    );
  const year = new Date(near).getUTCFullYear();
  const t = inYear(year);
  return t - near > 183 * 86_400_000 ? inYear(year - 1) : t;
}

/** The scenarios both stacks ran, in the order the first stack ran them. */
export function sharedScenarios(windows: readonly ScenarioWindow[]): string[] {
  const of = (stack: Stack): string[] => windows.filter((w) => w.stack === stack).map((w) => w.scenario);
  const anchor = new Set(of('anchor'));
  return [...new Set(of('lxcha'))].filter((name) => anchor.has(name));
}

/**
 * The operations that finished inside a window of one of `scenarios` run by their own stack (`slackMs` either
 * side for the guests' clocks): the like-for-like part of a run in which one stack ran more scenarios.
 */
export function withinScenarios(
  ops: readonly FinishedOperation[],
  windows: readonly ScenarioWindow[],
  scenarios: readonly string[],
  { sites = SITES, slackMs = 1000 }: { sites?: readonly Site[]; slackMs?: number } = {},
): FinishedOperation[] {
  const wanted = windows.filter((w) => scenarios.includes(w.scenario));
  const near = wanted[0]?.fromMs;
  if (near === undefined) return [];
  return ops.filter((op) => {
    const owner = attribute(op, sites);
    const t = logTimeMs(op.at, near);
    return (
      owner !== undefined &&
      t !== undefined &&
      wanted.some((w) => w.stack === owner.stack && t >= w.fromMs - slackMs && t <= w.toMs + slackMs)
    );
  });
}

/** Where a node's pacemaker.log is in the run's log folder: collected from the guest, or read off its disk. */
export function pacemakerLogOf(logDir: string, node: string): string | undefined {
  return [
    path.join(logDir, node, 'pacemaker.log'),
    path.join(logDir, node, 'disk', 'pacemaker', 'pacemaker.log'),
  ].find((f) => existsSync(f));
}

/** The scenario windows a run kept in its log folder; none when it kept none (an older run). */
async function readWindows(logDir: string): Promise<ScenarioWindow[]> {
  try {
    const parsed = JSON.parse(await readFile(path.join(logDir, WINDOWS_FILE), 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as ScenarioWindow[]) : [];
  } catch {
    return [];
  }
}

/**
 * The per-action table of a run from its nodes' logs, written as action-times.md into the log folder;
 * returns its text (with a line per node whose log is missing), or undefined when no node's log exists.
 */
export async function writeActionTimes(
  logDir: string,
  nodes: readonly string[],
): Promise<string | undefined> {
  const ops: FinishedOperation[] = [];
  const notes: string[] = [];
  for (const node of nodes) {
    const file = pacemakerLogOf(logDir, node);
    if (file === undefined) notes.push(`${node}: no pacemaker.log collected`);
    else ops.push(...parsePacemakerLog(await readFile(file, 'utf8'), node));
  }
  if (notes.length === nodes.length) return undefined;
  const { times, unattributed } = actionTimes(ops);
  if (unattributed > 0)
    notes.push(`${unattributed} container operations left out: the log never named their agent`);
  const windows = await readWindows(logDir);
  const shared = sharedScenarios(windows);
  // The whole run counts every scenario of each stack, and ours runs more (container-crash, link-cut,
  // partition, remove: actions under load, or both resources at once): only the shared ones compare like
  // with like.
  const sharedTable =
    shared.length === 0
      ? []
      : [
          '',
          `Only the scenarios both stacks ran (${shared.join(', ')}): the operations that finished while its own ` +
            `stack ran one of them (the harness's clock against the guests' log timestamps, ±1 s; ${WINDOWS_FILE}).`,
          '',
          actionTable(actionTimes(withinScenarios(ops, windows, shared)).times),
        ];
  const text = [
    "Execution time per action, from both nodes' pacemaker.log: pacemaker-execd's log_finished lines, a " +
      "recurring monitor's first result and each change as the CIB recorded it; a meta-data wait is the " +
      "controller's, from asking an agent for its meta-data to handing the operation to execd. Average (calls, range, total); " +
      "lxcha/anchor compares averages, the anchor's demote and promote summed over drbd and LVM-activate. " +
      'The whole run first:',
    '',
    actionTable(times),
    ...sharedTable,
    ...(notes.length === 0 ? [] : ['', ...notes]),
  ].join('\n');
  await writeFile(path.join(logDir, 'action-times.md'), `${text}\n`);
  return text;
}
