// promote: DRBD Primary first (refusing data that is not UpToDate, and refusing with 5 before anything when
// lvm.conf lets LVM see the VG elsewhere than on the DRBD device), then the VG made ours and activated.
import { describeFailure } from '../../lib/exec/command.js';
import { describeStatus, drbdDevices, mainPeer, type DrbdStatus } from '../../lib/drbd/status.js';
import { pollUntil } from '../../lib/system/deadline.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, lvmOnOwnDevices, type DrbdLvmParams, type DrbdLvmContext } from './context.js';
import { filterApartFromOtherDrbd, refuseStrayPvs } from './lvm-filter.js';
import { applyScore } from './score.js';
import { activateExclusively } from './volume-group.js';

/** Why this data must not be promoted, or undefined when it may be (and whether DRBD needs --force). */
export function promotionRefusal(status: DrbdStatus, params: DrbdLvmParams): string | undefined {
  switch (status.disk) {
    case 'UpToDate':
      return undefined;
    case 'Consistent':
      return params.allow_consistent
        ? undefined
        : "local data is Consistent, not UpToDate (it may be older than the peer's; set allow_consistent=true to promote it anyway)";
    case 'Outdated':
      return 'local data is Outdated: the peer has newer data (resync from it, or drbdadm primary --force by hand after checking)';
    case 'Inconsistent':
      return 'local data is Inconsistent (a resync to this node has not finished)';
    case 'Diskless':
    case 'Failed':
      return `local disk is ${status.disk}: no local data to promote`;
    default:
      return `local disk is ${status.disk}: not settled`;
  }
}

export default async function promote(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log, deadline } = context;
  const all = clients(context);
  const resource = params.drbd_resource;
  let status = await all.drbd.status(resource);
  if (!status.up) throw genericError(`cannot promote: DRBD resource ${resource} is not started on this node`);
  // No LVM command of this promote reads another DRBD resource's device: a Primary whose peer was just lost
  // freezes its I/O until its fence-peer handler answers, and a full scan would wait for it (node-crash).
  const own = drbdDevices(status);
  await refuseStrayPvs(context, all, own, await filterApartFromOtherDrbd(context, all, own));
  // The VG lives on this resource's DRBD device only (the check above): activation reads nothing else.
  const c = lvmOnOwnDevices(all, own);
  // DRBD's state once this action's own change is made; undefined where only a re-read can tell.
  let known: DrbdStatus | undefined = status;
  if (status.role !== 'Primary') {
    // A disk still attaching or negotiating after a reconnect gets a moment to settle before judging it.
    if (['Attaching', 'Negotiating', 'DUnknown'].includes(status.disk)) {
      status =
        (await pollUntil(deadline.sub({ marginMs: 5000, capMs: 10_000 }), async () => {
          const s = await c.drbd.status(resource);
          return ['Attaching', 'Negotiating', 'DUnknown'].includes(s.disk) ? undefined : s;
        })) ?? status;
    }
    const refusal = promotionRefusal(status, params);
    if (refusal !== undefined) {
      await applyScore(context, c.score, status);
      throw genericError(`refusing to promote ${resource}: ${refusal}`);
    }
    const peer = mainPeer(status);
    if (peer?.link === 'connected' && peer.role === 'Primary')
      throw genericError(
        `refusing to promote ${resource}: the peer ${peer.name} is Primary (demote it first)`,
      );
    const force = status.disk === 'Consistent' && peer?.disk !== 'UpToDate';
    const r = force ? await c.drbd.primaryForce(resource) : await c.drbd.primary(resource);
    if (!r.ok) throw genericError(`drbdadm primary ${resource} failed: ${describeFailure(r)}`);
    log.info(
      `DRBD resource ${resource} is Primary${force ? ' (Consistent data forced, allow_consistent=true)' : ''}`,
    );
    // A plain primary on UpToDate data changes the role only; --force or Consistent data may change the
    // disk state, which the score reads: only a re-read tells that one.
    known = status.disk === 'UpToDate' ? { ...status, role: 'Primary' } : undefined;
  }
  // Only now, with DRBD Primary here, may a dead owner's system ID or tag be taken over.
  await activateExclusively(context, c);
  status = known ?? (await c.drbd.status(resource));
  log.info(`promoted: ${describeStatus(status)}, volume group ${params.vgname} active`);
  await applyScore(context, c.score, status);
  return OcfExit.SUCCESS;
}
