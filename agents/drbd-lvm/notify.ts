// notify (optional: the clone runs without notify=true too): after the peer starts or is promoted, make sure
// this side is trying to connect (drbdadm adjust reconnects a StandAlone resource); after any peer change,
// re-score, since the best data may have moved. A pre-notification has nothing to do.
import { describeFailure } from '../../lib/exec/command.js';
import { describeStatus, mainPeer } from '../../lib/drbd/status.js';
import { readNotifyEvent } from '../../lib/ocf/notify.js';
import { OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, type DrbdLvmContext } from './context.js';
import { applyScore } from './score.js';

export default async function notify(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log, ocf } = context;
  const event = readNotifyEvent((name) => ocf.meta(name));
  if (event === undefined) {
    log.warn('notify without a notification type and operation: nothing to do');
    return OcfExit.SUCCESS;
  }
  // Only post-notifications have work; a pre-notification answers without running anything.
  if (event.type !== 'post') return OcfExit.SUCCESS;
  const c = clients(context);
  let status = await c.drbd.status(params.drbd_resource);
  if (!status.up) return OcfExit.SUCCESS;
  log.debug(`notify ${event.type}-${event.operation}: ${describeStatus(status)}`);
  if (
    (event.operation === 'start' || event.operation === 'promote') &&
    mainPeer(status)?.link === 'standalone'
  ) {
    const r = await c.drbd.adjust(params.drbd_resource);
    if (!r.ok) log.warn(`drbdadm adjust ${params.drbd_resource}: ${describeFailure(r)}`);
    status = await c.drbd.status(params.drbd_resource);
  }
  await applyScore(context, c.score, status);
  return OcfExit.SUCCESS;
}
