// The promotion score from the data's state: Pacemaker promotes the best data, and never stale data.
import { mainPeer, type DrbdStatus } from '../../lib/drbd/status.js';
import type { Logger } from '../../lib/ocf/log.js';
import type { PromotionScore } from '../../lib/pacemaker/crm-attribute.js';
import type { DrbdLvmParams } from './context.js';

/** undefined: no score at all (Outdated, Inconsistent, Diskless, down), so Pacemaker cannot promote here. */
export function promotionScore(status: DrbdStatus, params: DrbdLvmParams): number | undefined {
  if (!status.up) return undefined;
  const peer = mainPeer(status);
  switch (status.disk) {
    case 'UpToDate':
      // The Primary keeps the top score when its peer is lost: its data is the newest (writes land
      // here). Lowering it would let a disconnected Secondary's older, higher score move promotion before
      // the fence-peer handler's constraint lands (seen in the cluster's link-cut scenario).
      if (status.role === 'Primary') return params.score_uptodate_connected;
      return peer?.link === 'connected' ? params.score_uptodate_connected : params.score_uptodate_alone;
    case 'Consistent':
      return params.allow_consistent ? params.score_consistent : undefined;
    default:
      return undefined;
  }
}

/**
 * Sets or deletes the score. Outside a cluster (ocf-tester, crm_resource --force-*) crm_attribute fails:
 * that must not fail the action, so failures are logged, not thrown.
 */
export async function applyScore(
  scorer: PromotionScore,
  status: DrbdStatus,
  params: DrbdLvmParams,
  log: Logger,
): Promise<void> {
  const score = promotionScore(status, params);
  try {
    if (score === undefined) await scorer.delete();
    else await scorer.set(score);
    log.debug(score === undefined ? 'promotion score removed' : `promotion score ${score}`);
  } catch (error) {
    log.warn(`could not update the promotion score: ${(error as Error).message}`);
  }
}
