// The promotion score from the data's state: Pacemaker promotes the best data, and never stale data.
import { ToolError } from '../../lib/exec/tool-error.js';
import { mainPeer, type DrbdStatus } from '../../lib/drbd/status.js';
import { notInstalledError } from '../../lib/ocf/exit-codes.js';
import {
  hasPromotionOption,
  saysClusterDown,
  type PromotionScore,
} from '../../lib/pacemaker/crm-attribute.js';
import { FailureStreak } from '../../lib/system/failure-streak.js';
import { stateDir } from '../../lib/system/state-file.js';
import type { DrbdLvmContext, DrbdLvmParams } from './context.js';
import { ScoreRecord } from './score-record.js';

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

/** A score that failed to land in this many consecutive recurring monitors fails the (unpromoted) monitor. */
export const SCORE_FAILURE_THRESHOLD = 3;
/** Pauses before the second and third attempt within one operation. */
const RETRY_PAUSES_MS = [250, 750] as const;
/** A retry needs this much of the operation left after its pause (each call gets the rest less 1.5 s). */
const RETRY_ROOM_MS = 4000;

/** The consecutive score failures of this instance, under /run/lxcha/score-failures/. */
export const scoreStreak = ({ ocf }: DrbdLvmContext): FailureStreak =>
  new FailureStreak(stateDir(ocf.env), 'score-failures', ocf.instance);

/** The score this instance last wrote, under /run/lxcha/scores/. */
export const scoreRecord = ({ ocf }: DrbdLvmContext): ScoreRecord =>
  new ScoreRecord(stateDir(ocf.env), ocf.instance);

interface ScoreFailure {
  error: Error;
  /** crm_attribute found no cluster on this node ("Could not connect to the CIB"). */
  clusterDown: boolean;
}

/** One set or delete, retried while the operation has room; the last failure, or undefined once it landed. */
async function updateScore(
  scorer: PromotionScore,
  score: number | undefined,
  { deadline, log }: DrbdLvmContext,
): Promise<ScoreFailure | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (score === undefined) await scorer.delete();
      else await scorer.set(score);
      return undefined;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const pause = RETRY_PAUSES_MS[attempt];
      // No cluster here (ocf-tester, crm_resource --force-*): by design, and asking again cannot help.
      const clusterDown = error instanceof ToolError && saysClusterDown(error.result);
      if (pause === undefined || clusterDown || deadline.remainingMs() < pause + RETRY_ROOM_MS)
        return { error: failure, clusterDown };
      log.debug(`promotion score not updated (${failure.message}); again in ${pause} ms`);
      await deadline.sleep(pause);
    }
  }
}

/**
 * Sets or deletes the score, retrying a failure while the operation leaves room. A failure that remains is a
 * warning: failing an operation for one crm_attribute hiccup (an attrd IPC timeout) would restart the stack,
 * and outside a cluster (ocf-tester, crm_resource --force-*) it fails by design. Only a recurring monitor
 * counts it: SCORE_FAILURE_THRESHOLD in a row (no more than two intervals apart) return the exit reason the
 * monitor fails with; a success anywhere ends the count. "No cluster on this node" is never counted:
 * ocf-tester exports CRM_meta_interval (10000, then 20000) for its monitors, so an interval alone does not
 * mean Pacemaker runs the monitor, and where Pacemaker does run it, the CIB is there.
 */
export async function applyScore(
  context: DrbdLvmContext,
  scorer: PromotionScore,
  status: DrbdStatus,
): Promise<string | undefined> {
  const { params, log, ocf } = context;
  const score = promotionScore(status, params);
  const streak = scoreStreak(context);
  const record = scoreRecord(context);
  const recorded = score ?? 'none';
  // A recurring monitor that finds the score this instance wrote moments ago (the promote or start it
  // follows, or the monitor before it) leaves it: one crm_attribute less, 1–2 s of a loaded node's CPU,
  // in the very monitors that run beside a failover's next starts. Probes and every other action write.
  const recurring = ocf.action === 'monitor' && ocf.intervalMs > 0;
  if (recurring && record.fresh(recorded) && !streak.pending()) {
    log.debug(`promotion score ${score ?? '(none)'} written already (${record.file})`);
    return undefined;
  }
  const outcome = await updateScore(scorer, score, context);
  if (outcome === undefined) {
    streak.clear();
    record.wrote(recorded);
    log.debug(score === undefined ? 'promotion score removed' : `promotion score ${score}`);
    return undefined;
  }
  record.forget();
  const failure = outcome.error;
  const counted =
    recurring && !outcome.clusterDown
      ? streak.record(2 * ocf.intervalMs + (ocf.timeoutMs ?? 20_000), failure.message)
      : undefined;
  const count =
    counted === undefined
      ? ''
      : ` (recurring monitor ${counted.count} in a row; ${SCORE_FAILURE_THRESHOLD} fail the monitor)`;
  log.warn(`could not update the promotion score${count}: ${failure.message}`);
  if (counted === undefined || counted.count < SCORE_FAILURE_THRESHOLD) return undefined;
  const what = score === undefined ? 'removed' : `set to ${score}`;
  return (
    `promotion score of ${scorer.resource} not ${what} in ${counted.count} consecutive monitors: ${failure.message}; ` +
    `Pacemaker cannot promote ${scorer.resource} on this node meanwhile: check pacemaker-attrd and the CIB ` +
    `here (crm_mon -1, crm_attribute --promotion=${scorer.resource} --query)`
  );
}

/**
 * validate-all: this node's Pacemaker must know `crm_attribute --promotion` (2.1.0+), the only way the agent
 * sets its score (no crm_master fallback). A version it cannot read is a warning, not a refusal.
 */
export async function checkPromotionSupport(scorer: PromotionScore, { log }: DrbdLvmContext): Promise<void> {
  let version;
  try {
    version = await scorer.version();
  } catch (error) {
    if (error instanceof ToolError && error.result.missing)
      throw notInstalledError(
        'crm_attribute is not installed on this node: drbd-lvm needs Pacemaker 2.1 or later',
      );
    log.warn(`could not tell the Pacemaker version: ${(error as Error).message}`);
    return;
  }
  if (version === undefined) {
    log.warn('crm_attribute --version printed no Pacemaker version; assuming it knows --promotion');
    return;
  }
  if (!hasPromotionOption(version))
    throw notInstalledError(
      `this node runs Pacemaker ${version.text}: drbd-lvm sets its promotion score with crm_attribute --promotion, which needs Pacemaker 2.1 or later`,
    );
}
