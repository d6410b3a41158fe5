// monitor: RUNNING 0, STOPPED/absent 7, FROZEN 1; depth 10 proves init answers, depth 20 runs the health command.
import { describeFailure, lastErrorLine } from '../../lib/exec/command.js';
import { genericError, notInstalledError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { describeStateQuery, transitionalStates } from '../../lib/lxc/state.js';
import { attachClient, lxcClient, type LxcContext } from './container.js';

// A transitional state gets this long to settle before the monitor answers.
const SETTLE_MS = 15_000;

export default async function monitor({ params, ocf, log, deadline }: LxcContext): Promise<OcfExitCode> {
  const lxc = lxcClient(params);
  let current = lxc.queryState(deadline);
  if (current.kind === 'tools-missing') {
    // A probe runs on every node, including those without LXC: nothing can run there.
    if (ocf.isProbe) return OcfExit.NOT_RUNNING;
    throw notInstalledError('LXC tools (lxc-info) are not installed on this node');
  }
  if (current.kind === 'state' && transitionalStates.has(current.state)) {
    log.info(`container is ${current.state}, waiting for it to settle`);
    current = await lxc.waitForState(
      ['RUNNING', 'STOPPED', 'FROZEN', 'ABSENT'],
      deadline.sub({ marginMs: 1000, capMs: SETTLE_MS }),
    );
  }
  if (current.kind !== 'state') throw genericError(describeStateQuery(current));
  switch (current.state) {
    case 'STOPPED':
    case 'ABSENT':
      return OcfExit.NOT_RUNNING;
    case 'FROZEN':
      throw genericError('container is FROZEN: it serves nothing until thawed');
    case 'RUNNING':
      break;
    default:
      throw genericError(`container stays ${current.state}`);
  }
  if (ocf.checkLevel < 10) return OcfExit.SUCCESS;

  const attached = await attachClient(params);
  const trivial = await attached.attach(['true'], deadline);
  if (!trivial.ok)
    throw genericError(`container does not answer inside (lxc-attach -- true: ${describeFailure(trivial)})`);
  if (ocf.checkLevel < 20) return OcfExit.SUCCESS;

  if (params.health_command === undefined) {
    log.debug('depth 20 without health_command: depth 10 check only');
    return OcfExit.SUCCESS;
  }
  const health = await attached.attach(params.health_command.words, deadline);
  if (!health.ok)
    throw genericError(
      health.timedOut
        ? `health command timed out: ${params.health_command.text}`
        : `health command failed (exit ${health.exitCode ?? health.signal ?? '?'}): ${lastErrorLine(health)}`,
    );
  return OcfExit.SUCCESS;
}
