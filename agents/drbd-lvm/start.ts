// start: DRBD up (drbdadm adjust) and connected on every node, never promoted; then the first promotion
// score. Refuses (5) before touching DRBD when lvm.conf lets LVM see the VG elsewhere than on the DRBD device.
import { describeFailure } from '../../lib/exec/command.js';
import { describeStatus, drbdDevices, mainPeer } from '../../lib/drbd/status.js';
import { pollUntil } from '../../lib/system/deadline.js';
import { genericError, notInstalledError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, type DrbdLvmContext } from './context.js';
import { refuseStrayPvs } from './lvm-filter.js';
import { applyScore } from './score.js';

export default async function start(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log, deadline } = context;
  const c = clients(context);
  const resource = params.drbd_resource;
  let status = await c.drbd.status(resource);
  if (!status.up) {
    const config = await c.drbd.resourceConfig(resource);
    if (config.state !== 'known')
      throw notInstalledError(`DRBD resource ${resource} is not configured on this node: ${config.message}`);
    await refuseStrayPvs(context, c, [config.device]);
  } else {
    await refuseStrayPvs(context, c, drbdDevices(status));
  }
  // adjust, as ocf:linbit:drbd's start: brings a down resource up, and makes an up one (a StandAlone one
  // after a split brain or an admin's disconnect, or one whose options were edited) match the configuration.
  const r = await c.drbd.adjust(resource);
  if (!r.ok && !status.up) throw genericError(`drbdadm adjust ${resource} failed: ${describeFailure(r)}`);
  if (!r.ok) log.warn(`drbdadm adjust ${resource}: ${describeFailure(r)}`);
  else
    log.info(
      status.up
        ? `DRBD resource ${resource} adjusted to its configuration`
        : `DRBD resource ${resource} is up`,
    );
  // Give the peer a moment, so the first score knows whether the data is the cluster's best.
  const budget = deadline.sub({ marginMs: 3000, capMs: params.connect_timeout * 1000 });
  const settled = await pollUntil(
    budget,
    async () => {
      const s = await c.drbd.status(resource);
      const peer = mainPeer(s);
      const diskSettled = !['Attaching', 'Negotiating', 'DUnknown'].includes(s.disk);
      return s.up && diskSettled && peer?.link === 'connected' && peer.disk !== 'DUnknown' ? s : undefined;
    },
    { firstMs: 100, maxMs: 1000 },
  );
  status = settled ?? (await c.drbd.status(resource));
  if (!status.up) throw genericError(`DRBD resource ${resource} is not up after drbdadm adjust`);
  log.info(`started: ${describeStatus(status)}${settled === undefined ? ' (peer not connected yet)' : ''}`);
  await applyScore(context, c.score, status);
  return OcfExit.SUCCESS;
}
