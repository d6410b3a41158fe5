// reload-agent: the reloadable parameters are the promotion scores; apply them now rather than at the next monitor.
import { OcfExit } from '../../lib/ocf/exit-codes.js';
import { action, clients } from './context.js';
import { readDrbd } from './drbd-state.js';
import { applyScore } from './score.js';

export default action(async (context) => {
  const c = clients(context);
  const status = await readDrbd(context, c);
  if (status.up) await applyScore(c.score, status, context.params, context.log);
  return OcfExit.SUCCESS;
});
