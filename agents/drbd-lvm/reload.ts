// reload-agent: the reloadable parameters are the promotion scores; apply them now rather than at the next monitor.
import { OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, type DrbdLvmContext } from './context.js';
import { applyScore } from './score.js';

export default async function reloadAgent(context: DrbdLvmContext): Promise<OcfExitCode> {
  const c = clients(context);
  const status = await c.drbd.status(context.params.drbd_resource);
  if (status.up) await applyScore(context, c.score, status);
  return OcfExit.SUCCESS;
}
