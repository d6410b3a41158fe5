// The fence-peer handler's logic (the entry points are handlers/fence-peer.ts and handlers/unfence-peer.ts).
import { hostname } from 'node:os';
import path from 'node:path';
import { drbdResourceProblem } from '../../lib/drbd/names.js';
import { runSync } from '../../lib/exec/sync-runner.js';
import type { CommandRunner } from '../../lib/exec/command.js';
import {
  Cib,
  fenceConstraintId,
  fenceConstraintXml,
  findManagingClone,
  parseNodeStates,
  type ManagingClone,
} from '../../lib/pacemaker/cib.js';

export const FenceExit = { PEER_FENCED: 4, PEER_UNREACHABLE: 5, OUTDATE_MYSELF: 6, ERROR: 1, OK: 0 } as const;

type Role = 'fence-peer' | 'unfence-peer' | 'after-resync-target';

const log = (message: string): void => {
  process.stderr.write(`drbd-fence-peer[${process.pid}]: ${message}\n`);
};

function roleOf(argv: readonly string[]): Role | undefined {
  const named = argv[2] ?? path.basename(argv[1] ?? '');
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

async function managingClone(cib: Cib, resource: string): Promise<ManagingClone | undefined> {
  return findManagingClone(await cib.query('resources'), resource);
}

async function fence(cib: Cib, resource: string, env: NodeJS.ProcessEnv): Promise<number> {
  const clone = await managingClone(cib, resource);
  if (clone === undefined) {
    log(`no promotable clone in the CIB manages DRBD resource ${resource}: nothing to fence with`);
    return FenceExit.ERROR;
  }
  const self = await cib.localNodeName().catch(() => hostname());
  const peers = peerNames(env).filter((p) => p !== self);
  const states = parseNodeStates(await cib.query('status'));
  const others = states.filter((s) => s.uname !== self && (peers.length === 0 || peers.includes(s.uname)));

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
      `${clone.cloneId} is promoted on ${livePromoted.map((l) => l.node).join(', ')}, a live cluster member: not fencing it; this node outdates itself`,
    );
    return FenceExit.OUTDATE_MYSELF;
  }

  const id = fenceConstraintId(resource, clone.cloneId);
  try {
    await cib.placeConstraint(fenceConstraintXml(id, clone.cloneId, self, 'Promoted'));
  } catch (error) {
    // A CIB on a schema older than pacemaker-3.7 knows the role only as Master.
    log(`placing ${id} with role Promoted failed (${(error as Error).message}); retrying with role Master`);
    await cib.placeConstraint(fenceConstraintXml(id, clone.cloneId, self, 'Master'));
  }
  const unreachable = others.length > 0 && others.every((s) => !s.member || !s.online);
  log(
    `placed ${id}: ${clone.cloneId} may be promoted only on ${self}${unreachable ? '; the peer is not a cluster member' : ''}`,
  );
  return unreachable ? FenceExit.PEER_UNREACHABLE : FenceExit.PEER_FENCED;
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
  const run: CommandRunner = (command, args) => Promise.resolve(runSync(command, args, 30_000));
  const cib = new Cib({ run });
  try {
    return role === 'fence-peer' ? await fence(cib, resource, env) : await unfence(cib, resource);
  } catch (error) {
    log(`${role} for ${resource} failed: ${(error as Error).message}`);
    return FenceExit.ERROR;
  }
}
