// demote: the VG deactivated (refused while an LV is open, naming its holder), then DRBD Secondary; the
// promotion score written only when the new role changes it.
import { OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { drbdDevices, type DrbdStatus } from '../../lib/drbd/status.js';
import { clients, lvmOnOwnDevices, type DrbdLvmContext, type DrbdLvmParams } from './context.js';
import { applyScore, promotionScore, scoreStreak } from './score.js';
import { secondary } from './secondary.js';
import { deactivate } from './volume-group.js';

/**
 * The Secondary's score when it is the one the Primary had: UpToDate data with its peer connected (or
 * Consistent data allowed) scores the same in both roles. Undefined when the role change changes it (a
 * Primary that lost its peer keeps the top score, its Secondary drops to score_uptodate_alone) or when there
 * is no score (stale data): those are written, the last as a delete.
 */
function unchangedScore(
  asPrimary: DrbdStatus,
  asSecondary: DrbdStatus,
  params: DrbdLvmParams,
): number | undefined {
  const score = promotionScore(asSecondary, params);
  return score === promotionScore(asPrimary, params) ? score : undefined;
}

export default async function demote(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log } = context;
  const c = clients(context);
  const resource = params.drbd_resource;
  const status = await c.drbd.status(resource);
  if (!status.up) {
    log.warn(`demote: DRBD resource ${resource} is not up; nothing is promoted here`);
    return OcfExit.SUCCESS;
  }
  if (status.role !== 'Primary') {
    await applyScore(context, c.score, status);
    return OcfExit.SUCCESS;
  }
  await deactivate(context, lvmOnOwnDevices(c, drbdDevices(status)));
  await secondary(context, c, resource, status.minors);
  log.info(`demoted: volume group ${params.vgname} inactive, DRBD resource ${resource} Secondary`);
  // drbdadm secondary changes the role only: the disk and the link the score reads are as read above.
  const after: DrbdStatus = { ...status, role: 'Secondary' };
  const kept = unchangedScore(status, after, params);
  if (kept !== undefined && !scoreStreak(context).pending()) {
    // The promote and every monitor of the Primary wrote this very score (none failed to: no streak is on
    // record); writing it again would only cost a crm_attribute on the switchover's critical path, where the
    // peer's promote waits for this demote.
    log.debug(`promotion score ${kept} unchanged by the demote`);
    return OcfExit.SUCCESS;
  }
  await applyScore(context, c.score, after);
  return OcfExit.SUCCESS;
}
