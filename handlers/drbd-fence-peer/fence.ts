// The fence-peer handler's logic (the entry points are handlers/fence-peer.ts and handlers/unfence-peer.ts).
import { hostname } from 'node:os';
import path from 'node:path';
import { DrbdClient } from '../../lib/drbd/client.js';
import type { FencingPolicy } from '../../lib/drbd/dump.js';
import { drbdResourceProblem } from '../../lib/drbd/names.js';
import { runAsync } from '../../lib/exec/async-runner.js';
import { runSync } from '../../lib/exec/sync-runner.js';
import type { CommandRunner } from '../../lib/exec/command.js';
import { SyslogPipe, SyslogSeverity } from '../../lib/system/syslog-pipe.js';
import {
  Cib,
  fenceConstraintId,
  fenceConstraintXml,
  findManagingClone,
  parseCib,
  parseNodeStates,
  type ManagingClone,
  type NodeState,
} from '../../lib/pacemaker/cib.js';
import { Controller } from '../../lib/pacemaker/controller.js';

/**
 * DRBD's fence-peer exit codes. DRBD acts on 3-7 only: any other code, KEEP_FROZEN among them, is "helper
 * broken" to DRBD, which then leaves a resource-and-stonith resource's I/O frozen.
 */
export const FenceExit = {
  PEER_FENCED: 4,
  PEER_UNREACHABLE: 5,
  OUTDATE_MYSELF: 6,
  PEER_STONITHED: 7,
  KEEP_FROZEN: 1,
  ERROR: 1,
  OK: 0,
} as const;

/** How long fence-peer waits, under resource-and-stonith, for the peer to be fenced or to answer. */
export const DEFAULT_TIMEOUT_S = 120;
const MAX_TIMEOUT_S = 86_400;
/**
 * Between two looks at the CIB while DRBD holds I/O: the answer waits for the DC's record of the fencing, so
 * a shorter pause resumes I/O sooner (with 2 s, r0 stayed frozen 7.2 s after the fence in the cluster's
 * partition scenario; with 0.5 s, 2.7 s).
 */
const POLL_MS = 500;
/** crmadmin's own wait for a silent controller. */
const CONTROLLER_TIMEOUT_S = 5;
/** Time limit of each command the handler runs. */
const COMMAND_TIMEOUT_MS = 30_000;

export interface FenceOptions {
  readonly timeoutS: number;
}

type Role = 'fence-peer' | 'unfence-peer' | 'after-resync-target';

// DRBD runs the handler with no terminal: what it says reaches the administrator through the journal
// (journald's stream socket, else one logger(1) per run, fed each line; the handler waits for neither:
// DRBD waits for the handler's answer while it holds I/O) as well as stderr (for a run by hand and the tests).
let syslog: SyslogPipe | undefined;
const log = (message: string): void => {
  process.stderr.write(`drbd-fence-peer[${process.pid}]: ${message}\n`);
  if (process.env.LXCHA_FENCE_PEER_NO_SYSLOG !== undefined) return;
  syslog ??= new SyslogPipe(
    { tag: 'drbd-fence-peer', pid: process.pid },
    { journalSocket: process.env.LXCHA_JOURNAL_SOCKET },
  );
  syslog.send(SyslogSeverity.notice, message);
};

/** The role: the first argument that is not an option, else the name the executable was called by. */
function roleOf(argv: readonly string[]): Role | undefined {
  const named = argv.slice(2).find((a) => !a.startsWith('-')) ?? path.basename(argv[1] ?? '');
  if (/unfence/.test(named)) return 'unfence-peer';
  if (/after-resync-target/.test(named)) return 'after-resync-target';
  if (/fence/.test(named)) return 'fence-peer';
  return undefined;
}

/** The peer's node names as DRBD gives them: 8.4 DRBD_PEER(S), 9 DRBD_NODE_ID_<id> for DRBD_PEER_NODE_ID. */
export function peerNames(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  for (const key of ['DRBD_PEER', 'DRBD_PEERS'])
    for (const n of (env[key] ?? '').split(/\s+/)) if (n !== '') names.add(n);
  const peerId = env.DRBD_PEER_NODE_ID;
  if (peerId !== undefined && env[`DRBD_NODE_ID_${peerId}`] !== undefined)
    names.add(env[`DRBD_NODE_ID_${peerId}`] ?? '');
  names.delete('');
  return [...names];
}

/** `--timeout=SECONDS` (1-86400) from the handler's command line in drbd.conf; a problem as a string. */
export function parseOptions(args: readonly string[]): FenceOptions | string {
  let timeoutS = DEFAULT_TIMEOUT_S;
  for (const arg of args) {
    if (!arg.startsWith('-')) continue;
    const m = /^--timeout=(\d{1,6})$/.exec(arg);
    if (m === null) return `unknown option ${JSON.stringify(arg)} (the handler takes --timeout=SECONDS)`;
    timeoutS = Number(m[1]);
    if (timeoutS < 1 || timeoutS > MAX_TIMEOUT_S)
      return `--timeout=${m[1]} is out of range: 1 to ${MAX_TIMEOUT_S} seconds`;
  }
  return { timeoutS };
}

async function managingClone(cib: Cib, resource: string): Promise<ManagingClone | undefined> {
  return findManagingClone(await cib.query('resources'), resource);
}

/** The whole CIB read once: the managing clone from its configuration, the node states from its status. */
async function firstLook(
  cib: Cib,
  resource: string,
): Promise<{ clone: ManagingClone | undefined; states: NodeState[] }> {
  const whole = await cib.query();
  return { clone: findManagingClone(whole, resource), states: parseNodeStates(whole) };
}

interface Tools {
  readonly cib: Cib;
  readonly controller: Controller;
  /** The first look's clients: their commands run side by side (the others one at a time, cheaper). */
  readonly first: { readonly cib: Cib; readonly drbd: DrbdClient };
}

/** The peers' node states in the CIB (all other nodes when DRBD names none). */
function peerStates(states: readonly NodeState[], self: string, peers: readonly string[]): NodeState[] {
  return states.filter((s) => s.uname !== self && (peers.length === 0 || peers.includes(s.uname)));
}

/** Places the constraint that keeps the Promoted role on this node only. */
async function placeFor(cib: Cib, resource: string, clone: ManagingClone, self: string): Promise<string> {
  const id = fenceConstraintId(resource, clone.cloneId);
  try {
    await cib.placeConstraint(fenceConstraintXml(id, clone.cloneId, self, 'Promoted'));
  } catch (error) {
    // A CIB on a schema older than pacemaker-3.7 knows the role only as Master.
    log(`placing ${id} with role Promoted failed (${(error as Error).message}); retrying with role Master`);
    await cib.placeConstraint(fenceConstraintXml(id, clone.cloneId, self, 'Master'));
  }
  return id;
}

/**
 * The peer reachable: 6 when it holds the Promoted role there (this node outdates itself), else the
 * constraint and 4 (or 5 when the CIB says the peer is not a member).
 */
async function fenceReachable(
  cib: Cib,
  resource: string,
  clone: ManagingClone,
  self: string,
  others: readonly NodeState[],
  timing: () => string,
): Promise<number> {
  // Only a live member can hold the promoted role against us: with none (the peer crashed or left), the
  // scheduler run behind crm_resource --locate is skipped (seconds on a loaded node, during a promote).
  const anyMember = others.some((s) => s.member);
  const promotedElsewhere = anyMember
    ? (await cib.locate(clone.cloneId).catch(() => [])).filter((l) => l.promoted && l.node !== self)
    : [];
  const livePromoted = promotedElsewhere.filter(
    (l) => others.find((s) => s.uname === l.node)?.member === true,
  );
  if (livePromoted.length > 0) {
    log(
      `${clone.cloneId} is promoted on ${livePromoted.map((l) => l.node).join(', ')}, a live cluster member: not fencing it; this node outdates itself${timing()}`,
    );
    return FenceExit.OUTDATE_MYSELF;
  }
  const id = await placeFor(cib, resource, clone, self);
  const unreachable = others.length > 0 && others.every((s) => !s.member || !s.online);
  log(
    `placed ${id}: ${clone.cloneId} may be promoted only on ${self}${unreachable ? '; the peer is not a cluster member' : ''}${timing()}`,
  );
  return unreachable ? FenceExit.PEER_UNREACHABLE : FenceExit.PEER_FENCED;
}

/**
 * DRBD's policy for the resource. One that cannot be read is taken as resource-and-stonith: waiting for
 * fencing costs time where it was not needed, answering at once may cost acknowledged writes.
 */
async function policyOf(drbd: DrbdClient, resource: string): Promise<FencingPolicy> {
  try {
    return (await drbd.fencingPolicy(resource)) ?? 'dont-care';
  } catch (error) {
    log(
      `cannot read the fencing policy of ${resource} (${(error as Error).message}): waiting as resource-and-stonith requires`,
    );
    return 'resource-and-stonith';
  }
}

type PeerVerdict = 'fenced' | 'reachable' | 'unknown';

/** One look: fenced (not a member, controller offline, expected down), reachable (its controller answers). */
async function verdict(controller: Controller, others: readonly NodeState[]): Promise<PeerVerdict> {
  if (others.length === 0) return 'unknown';
  if (others.every((s) => !s.member && !s.online && s.expectedDown)) return 'fenced';
  if (!others.every((s) => s.member && s.online)) return 'unknown';
  for (const s of others) {
    const answer = await controller.status(s.uname, CONTROLLER_TIMEOUT_S);
    if (!answer.answered) return 'unknown';
  }
  return 'reachable';
}

async function fence(
  tools: Tools,
  resource: string,
  env: NodeJS.ProcessEnv,
  options: FenceOptions,
): Promise<number> {
  const { cib, controller } = tools;
  const readsBegun = Date.now();
  const nodeStartS = process.uptime();
  // The three reads the answer starts from, side by side: one cibadmin for the clone and the first node
  // states, the node's name and drbd.conf's policy. Each costs seconds on a loaded node, mostly waiting
  // for a daemon's answer, and DRBD holds I/O meanwhile.
  const [first, self, policy] = await Promise.all([
    firstLook(tools.first.cib, resource),
    tools.first.cib.localNodeName().catch(() => hostname()),
    policyOf(tools.first.drbd, resource),
  ]);
  const readsS = (Date.now() - readsBegun) / 1000;
  // Where the answer's time went, on its line: DRBD waits for it (with I/O held under resource-and-stonith).
  const timing = (): string =>
    ` (node start ${nodeStartS.toFixed(1)} s, first reads ${readsS.toFixed(1)} s, answered at ${process.uptime().toFixed(1)} s)`;
  const clone = first.clone;
  if (clone === undefined) {
    log(`no promotable clone in the CIB manages DRBD resource ${resource}: nothing to fence with`);
    return FenceExit.ERROR;
  }
  const peers = peerNames(env).filter((p) => p !== self);
  if (policy !== 'resource-and-stonith') {
    // I/O goes on while the handler runs: answer at once from what the CIB says now.
    return fenceReachable(cib, resource, clone, self, peerStates(first.states, self, peers), timing);
  }

  // resource-and-stonith: DRBD holds this node's I/O until the answer. Resuming it while the peer may
  // still be Primary on its side of a partition would acknowledge writes the survivor never sees, so the
  // answer waits for the cluster's word: the peer fenced (7), or its controller answering (reachable).
  const started = Date.now();
  const deadline = started + options.timeoutS * 1000;
  let last = 'no look at the CIB yet';
  let states: NodeState[] | undefined = first.states;
  for (;;) {
    let others: NodeState[] | undefined;
    try {
      others = peerStates(states ?? (await cib.nodeStates()), self, peers);
    } catch (error) {
      last = `the CIB did not answer (${(error as Error).message})`;
    }
    states = undefined;
    if (others !== undefined) {
      const seen = await verdict(controller, others);
      if (seen === 'fenced') {
        const id = await placeFor(cib, resource, clone, self);
        log(
          `${others.map((s) => s.uname).join(', ')} fenced (not a member, expected down) after ${((Date.now() - started) / 1000).toFixed(1)}s: placed ${id}${timing()}`,
        );
        return FenceExit.PEER_STONITHED;
      }
      if (seen === 'reachable') return fenceReachable(cib, resource, clone, self, others, timing);
      last =
        others.length === 0
          ? `the CIB has no node state for ${peers.join(', ') || 'the peer'}`
          : others
              .map(
                (s) =>
                  `${s.uname} ${s.member ? 'member' : 'not a member'}, controller ${s.online ? 'online' : 'offline'}, ${s.expectedDown ? 'expected down' : 'not expected down'}`,
              )
              .join('; ');
    }
    if (Date.now() + POLL_MS > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  // Neither fenced nor reachable in time: the constraint still keeps a promotion off the peer, and I/O
  // stays frozen until an administrator who knows the peer is down resumes it.
  const placed = await placeFor(cib, resource, clone, self).then(
    (id) => `placed ${id}`,
    (error: unknown) => `could not place the constraint (${(error as Error).message})`,
  );
  log(
    `TIMEOUT after ${options.timeoutS}s: the peer was neither fenced nor reachable (last: ${last}); ${placed}; I/O of ${resource} stays frozen. Once the peer is known to be down: drbdadm resume-io ${resource}${timing()}`,
  );
  return FenceExit.KEEP_FROZEN;
}

async function unfence(cib: Cib, resource: string): Promise<number> {
  const clone = await managingClone(cib, resource);
  const ids = new Set<string>();
  if (clone !== undefined) ids.add(fenceConstraintId(resource, clone.cloneId));
  // Also the constraints of a clone renamed or removed since it was fenced.
  const constraints = await cib.query('constraints');
  const prefix = `lxcha-fence-${resource}-`;
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      for (const el of value as Record<string, unknown>[]) {
        if (key === 'rsc_location' && typeof el.id === 'string' && el.id.startsWith(prefix)) ids.add(el.id);
        walk(el);
      }
    }
  };
  walk(constraints);
  for (const id of ids) await cib.deleteConstraint(id);
  log(ids.size === 0 ? `no fencing constraint for ${resource}` : `removed ${[...ids].join(', ')}`);
  return FenceExit.OK;
}

/**
 * The snapshot builder's proof that a blob runs this handler (lib/snapshot/entry.ts): the options and a
 * small CIB go through the same code as a fence, with no command run.
 */
export function selfCheck(): Promise<boolean> {
  const cib = parseCib(
    '<cib><configuration><resources><clone id="c"><meta_attributes id="m"><nvpair id="m-p" name="promotable" value="true"/></meta_attributes>' +
      '<primitive id="p" class="ocf" provider="lxcha" type="drbd-lvm"><instance_attributes id="i"><nvpair id="i-r" name="drbd_resource" value="r0"/></instance_attributes></primitive></clone></resources></configuration>' +
      '<status><node_state id="2" uname="node2" in_ccm="false" crmd="offline" join="down" expected="down"/></status></cib>',
  );
  const states = parseNodeStates(cib);
  return Promise.resolve(
    typeof parseOptions(['--timeout=5']) !== 'string' &&
      findManagingClone(cib, 'r0')?.cloneId === 'c' &&
      states.length === 1 &&
      states[0]?.expectedDown === true &&
      roleOf(['node', '/x/fence-peer']) === 'fence-peer',
  );
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const role = roleOf(argv);
  const resource = env.DRBD_RESOURCE ?? '';
  if (role === undefined) {
    log('usage: drbd-fence-peer fence-peer|after-resync-target|unfence-peer (DRBD sets DRBD_RESOURCE)');
    return FenceExit.ERROR;
  }
  if (drbdResourceProblem(resource) !== undefined) {
    log(`DRBD_RESOURCE ${JSON.stringify(resource)} is missing or not a DRBD resource name`);
    return FenceExit.ERROR;
  }
  const options = parseOptions(argv.slice(2));
  if (typeof options === 'string') {
    log(`${role}: ${options}; nothing changed`);
    return FenceExit.ERROR;
  }
  const run: CommandRunner = (command, args) => Promise.resolve(runSync(command, args, COMMAND_TIMEOUT_MS));
  const concurrent: CommandRunner = (command, args) => runAsync(command, args, COMMAND_TIMEOUT_MS);
  const cib = new Cib({ run });
  const tools: Tools = {
    cib,
    controller: new Controller({ run }),
    first: {
      cib: new Cib({ run: concurrent }),
      drbd: new DrbdClient({ run: concurrent, config: env.DRBD_CONF }),
    },
  };
  try {
    return role === 'fence-peer' ? await fence(tools, resource, env, options) : await unfence(cib, resource);
  } catch (error) {
    log(`${role} for ${resource} failed: ${(error as Error).message}`);
    return FenceExit.ERROR;
  }
}
