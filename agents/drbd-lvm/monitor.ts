// monitor: 8 promoted and healthy, 0 unpromoted, 7 down, 9 promoted but VG inactive or disk failed,
// 190/191 (OCF 1.1 managers, recurring monitors) when the peer is gone and only this node's UpToDate data
// remains. A probe says 0/8 there: Pacemaker 2.1.5 lists a probe's 190 as a failed action (seen in the
// Vagrant cluster, where DRBD waits for the peer when Pacemaker first probes), and the recurring monitor
// that follows reports the degraded state. Every monitor re-scores from DRBD's state, so Pacemaker's
// choice follows the data (a recurring monitor does not write again a score this instance wrote minutes
// ago: score-record.ts); a score that persistently fails to land fails the unpromoted instance's recurring
// monitor (score.ts), after the checks of the data's health.
import { ToolError } from '../../lib/exec/tool-error.js';
import { describeStatus, drbdDevices, mainPeer } from '../../lib/drbd/status.js';
import { speaksOcf11 } from '../../lib/ocf/environment.js';
import { genericError, OcfError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, lvmOnOwnDevices, type Clients, type DrbdLvmContext } from './context.js';
import { applyScore } from './score.js';
import { isActive, readVg } from './volume-group.js';

export default async function monitor(context: DrbdLvmContext): Promise<OcfExitCode> {
  const c = clients(context);
  let scoreFailure: string | undefined;
  const code = await check(context, c, (reason) => (scoreFailure = reason));
  if (scoreFailure === undefined) return code;
  // Failing a promoted instance would demote it and restart everything on it, while its data is fine.
  if (code === OcfExit.RUNNING_PROMOTED || code === OcfExit.DEGRADED_PROMOTED) {
    context.log.warn(`${scoreFailure} (the promoted instance keeps answering ${code})`);
    return code;
  }
  throw genericError(scoreFailure);
}

async function check(
  context: DrbdLvmContext,
  c: Clients,
  scoreFailed: (reason: string) => void,
): Promise<OcfExitCode> {
  const { params, log, ocf } = context;
  let status;
  try {
    status = await c.drbd.status(params.drbd_resource);
  } catch (error) {
    // A probe runs on every node, also where DRBD's tools are not installed: nothing runs there.
    if (ocf.isProbe && error instanceof ToolError && error.result.missing) return OcfExit.NOT_RUNNING;
    throw error;
  }
  if (!status.up) return OcfExit.NOT_RUNNING;
  const scoreFailure = await applyScore(context, c.score, status);
  if (scoreFailure !== undefined) scoreFailed(scoreFailure);
  const peer = mainPeer(status);
  const alone = peer === undefined || peer.link !== 'connected';
  const degraded = alone && status.disk === 'UpToDate' && speaksOcf11(ocf.managerVersion) && !ocf.isProbe;
  if (alone && ocf.isProbe) log.warn(`probe: peer not connected (${describeStatus(status)})`);
  // StandAlone: DRBD does not try to reach its peer (split brain, a configuration the peer refused, or
  // drbdadm disconnect). With notify=true a post-start notification reconnects it; nothing else will.
  if (peer?.link === 'standalone' && !ocf.isProbe)
    log.warn(
      `DRBD resource ${params.drbd_resource} is StandAlone: it does not connect to its peer; after resolving ` +
        `the cause (split brain: see the kernel log) run drbdadm adjust ${params.drbd_resource} on this node`,
    );

  if (status.role === 'Primary') {
    if (status.disk === 'Failed' || status.disk === 'Diskless' || status.disk === 'Detaching')
      throw new OcfError(
        OcfExit.FAILED_PROMOTED,
        `promoted but local disk is ${status.disk} (${describeStatus(status)})`,
      );
    const vg = await readVg(context, lvmOnOwnDevices(c, drbdDevices(status)));
    if (!vg.visible)
      throw new OcfError(
        OcfExit.FAILED_PROMOTED,
        `promoted but volume group ${params.vgname} is not visible`,
      );
    if (!isActive(vg)) {
      const inactive = vg.lvs.filter((lv) => !lv.active).map((lv) => lv.name);
      const what =
        vg.missingLvs.length > 0
          ? `LV ${vg.missingLvs.join(', ')} missing`
          : `LV ${inactive.join(', ') || '(none)'} inactive`;
      throw new OcfError(
        OcfExit.FAILED_PROMOTED,
        `promoted but volume group ${params.vgname} is not active: ${what}`,
      );
    }
    if (degraded) {
      log.warn(`promoted without the peer: ${describeStatus(status)}`);
      return OcfExit.DEGRADED_PROMOTED;
    }
    return OcfExit.RUNNING_PROMOTED;
  }
  if (status.disk === 'Failed') throw genericError(`local disk Failed (${describeStatus(status)})`);
  if (degraded) {
    log.warn(`peer not connected: ${describeStatus(status)}`);
    return OcfExit.DEGRADED;
  }
  return OcfExit.SUCCESS;
}
