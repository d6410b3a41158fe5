// stop: demote if needed, then DRBD down. Succeeds whenever the resource is really down — also when the
// module is not loaded, the resource is not configured here, or its devices are absent.
import { describeFailure } from '../../lib/exec/command.js';
import { ToolError } from '../../lib/exec/tool-error.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { drbdDevices } from '../../lib/drbd/status.js';
import { clients, lvmOnOwnDevices, type DrbdLvmContext } from './context.js';
import { secondary } from './secondary.js';
import { scoreRecord } from './score.js';
import { deactivate } from './volume-group.js';

export default async function stop(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log } = context;
  const c = clients(context);
  const resource = params.drbd_resource;
  let status;
  try {
    status = await c.drbd.status(resource);
  } catch (error) {
    // No drbdadm on this node: nothing of DRBD can have been started by it.
    if (error instanceof ToolError && error.result.missing) {
      log.warn('drbdadm is not installed on this node: the resource cannot be running here');
      return OcfExit.SUCCESS;
    }
    throw error;
  }
  if (status.up) {
    if (status.role === 'Primary') {
      await deactivate(context, lvmOnOwnDevices(c, drbdDevices(status)));
      await secondary(context, c, resource, status.minors);
    }
    const r = await c.drbd.down(resource);
    if (!r.ok) throw genericError(`drbdadm down ${resource} failed: ${describeFailure(r)}`);
    const after = await c.drbd.status(resource);
    if (after.up) throw genericError(`DRBD resource ${resource} is still up after drbdadm down`);
    log.info(`DRBD resource ${resource} is down`);
  }
  // Stopped: no score of ours is in place, and none is on record for the monitors after the next start.
  scoreRecord(context).forget();
  try {
    await c.score.delete();
  } catch (error) {
    log.warn(`could not remove the promotion score: ${(error as Error).message}`);
  }
  return OcfExit.SUCCESS;
}
