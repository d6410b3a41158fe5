// demote: the VG deactivated (refused while an LV is open, naming its holder), then DRBD Secondary.
import { describeFailure } from '../../lib/exec/command.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, type DrbdLvmContext } from './context.js';
import { applyScore } from './score.js';
import { deactivate } from './volume-group.js';

export default async function demote(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log } = context;
  const c = clients(context);
  const resource = params.drbd_resource;
  const status = await c.drbd.status(resource);
  if (!status.up) {
    log.warn(`demote: DRBD resource ${resource} is not up; nothing is promoted here`);
    return OcfExit.SUCCESS;
  }
  let after = status;
  if (status.role === 'Primary') {
    await deactivate(context, c);
    const r = await c.drbd.secondary(resource);
    if (!r.ok) throw genericError(`drbdadm secondary ${resource} failed: ${describeFailure(r)}`);
    log.info(`demoted: volume group ${params.vgname} inactive, DRBD resource ${resource} Secondary`);
    // drbdadm secondary changes the role only: the disk and the link the score reads are as read above.
    after = { ...status, role: 'Secondary' };
  }
  await applyScore(context, c.score, after);
  return OcfExit.SUCCESS;
}
