// stop: the container's own halt signal first, an orderly wait, then a kill; 0 only once STOPPED.
// Depends only on container and lxcpath: a missing config or tool on this node cannot fail it.
import { existsSync } from 'node:fs';
import { describeFailure } from '../../lib/exec/command.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { readConfig } from '../../lib/lxc/config.js';
import { parseSignal } from '../../lib/system/signals.js';
import { pollUntil } from '../../lib/system/deadline.js';
import { identify, stillRunning } from '../../lib/system/process-identity.js';
import { describeStateQuery, type StateQuery } from '../../lib/lxc/state.js';
import { configPath, lxcClient, type LxcContext, type LxcParams } from './container.js';
import type { Logger } from '../../lib/ocf/log.js';

const DEFAULT_HALT_SIGNAL = 'SIGPWR';

/** lxc.signal.halt from the config when it is readable here, else SIGPWR (the talk's `kill -PWR 1`). */
function haltSignal(params: LxcParams, log: Logger): NodeJS.Signals | number {
  const file = configPath(params);
  if (!existsSync(file)) return DEFAULT_HALT_SIGNAL;
  try {
    const config = readConfig(file);
    const text = config.get('lxc.signal.halt') ?? config.get('lxc.haltsignal');
    if (text === undefined) return DEFAULT_HALT_SIGNAL;
    const signal = parseSignal(text);
    if (signal === undefined)
      log.warn(`lxc.signal.halt = ${text} names no signal; using ${DEFAULT_HALT_SIGNAL}`);
    return signal ?? DEFAULT_HALT_SIGNAL;
  } catch {
    return DEFAULT_HALT_SIGNAL;
  }
}

/**
 * How long the orderly shutdown may take out of `remainingMs`: a margin is kept for the kill and its
 * confirmation (a fifth of what is left, 3 to 10 s); a halt_timeout (seconds) shortens the wait further.
 */
export function orderlyWait(
  remainingMs: number,
  haltTimeoutS: number | undefined,
): { marginMs: number; capMs?: number } {
  const marginMs = Math.min(10_000, Math.max(3_000, remainingMs * 0.2));
  return haltTimeoutS === undefined ? { marginMs } : { marginMs, capMs: haltTimeoutS * 1000 };
}

const isStopped = (q: StateQuery): boolean =>
  q.kind === 'state' && (q.state === 'STOPPED' || q.state === 'ABSENT');

export default async function stop({ params, log, deadline }: LxcContext): Promise<OcfExitCode> {
  const lxc = lxcClient(params);
  // State and init's PID in one child: each lxc-info costs a process start on a busy node.
  const first = lxc.queryStateAndPid(deadline);
  let current = first.query;
  let pid = first.pid;
  if (current.kind === 'tools-missing') {
    log.info('LXC tools are not installed on this node: no container can be running here');
    return OcfExit.SUCCESS;
  }
  if (isStopped(current)) {
    log.info('container already stopped');
    return OcfExit.SUCCESS;
  }
  if (current.kind === 'state' && (current.state === 'FROZEN' || current.state === 'FREEZING')) {
    log.info('container is frozen: thawing it so that it can shut down');
    const thawed = await lxc.unfreeze(deadline);
    if (!thawed.ok) log.warn(`thaw failed (${describeFailure(thawed)}); it will be killed`);
  }
  if (current.kind === 'state' && current.state === 'STARTING') {
    current = await lxc.waitForState(['RUNNING', 'STOPPED', 'ABSENT'], deadline.sub({ capMs: 10_000 }));
    if (isStopped(current)) return OcfExit.SUCCESS;
    pid = undefined; // a starting container's init may not have been the one that now runs
  }

  const grace = deadline.sub(orderlyWait(deadline.remainingMs(), params.halt_timeout));
  pid ??= lxc.initPid(deadline);
  if (pid !== undefined) {
    const signal = haltSignal(params, log);
    const init = identify(pid);
    log.info(
      `sending ${String(signal)} to init (pid ${pid}), waiting up to ${Math.round(grace.remainingMs() / 1000)}s for an orderly shutdown`,
    );
    try {
      process.kill(pid, signal);
    } catch (error) {
      log.warn(`cannot signal init: ${(error as Error).message}`);
    }
    // Init's exit is watched in /proc (no child per poll: on a busy node each lxc-info slows the shutdown
    // it waits for); LXC's own state then confirms STOPPED.
    if (init !== undefined)
      await pollUntil(grace, () => Promise.resolve(stillRunning(init) ? undefined : true), {
        firstMs: 50,
        maxMs: 200,
      });
    current = await lxc.waitForState(['STOPPED', 'ABSENT'], grace);
    if (isStopped(current)) {
      log.info('container shut down in order');
      return OcfExit.SUCCESS;
    }
    log.warn('orderly shutdown did not finish in time: killing the container');
  }
  const killed = await lxc.kill(deadline);
  if (!killed.ok) log.warn(`lxc-stop -k: ${describeFailure(killed)}`);
  current = await lxc.waitForState(['STOPPED', 'ABSENT'], deadline);
  if (isStopped(current)) {
    log.info('container stopped (killed)');
    return OcfExit.SUCCESS;
  }
  const seen = describeStateQuery(current);
  throw genericError(`container still ${seen} after kill`);
}
