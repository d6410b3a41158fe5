// start: lxc-start detached with the config, lxcpath and limits; done once the container is RUNNING.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeFailure } from '../../lib/exec/command.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { cgroupSettings, detectVersions } from '../../lib/lxc/cgroup.js';
import { describeStateQuery, transitionalStates } from '../../lib/lxc/state.js';
import {
  configPath,
  lxcClient,
  loadConfig,
  requireRootfs,
  requireTools,
  resourceLimits,
  type LxcContext,
} from './container.js';

/** The last ERROR line lxc-start wrote to its log file past `from` (this start's part), if any. */
function lastLoggedError(logFile: string | undefined, from: number): string | undefined {
  if (logFile === undefined) return undefined;
  try {
    return readFileSync(logFile)
      .subarray(from)
      .toString('utf8')
      .split('\n')
      .filter((l) => / ERROR /.test(l))
      .at(-1)
      ?.trim();
  } catch {
    return undefined;
  }
}

const fileSize = (file: string | undefined): number =>
  file === undefined ? 0 : (statSync(file, { throwIfNoEntry: false })?.size ?? 0);

/**
 * lxc-start's log file: the `log` parameter, else ocf:heartbeat:lxc's default
 * ($HA_RSCTMP/<resource instance>.log, HA_RSCTMP being /run/resource-agents), so a failed start's
 * reason can quote LXC's own ERROR line. Without that directory (and unable to make it) there is none.
 */
export function logFile(explicit: string | undefined, instance: string): string | undefined {
  if (explicit !== undefined) return explicit;
  const dir = process.env.HA_RSCTMP ?? '/run/resource-agents';
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  return path.join(dir, `${instance.replace(/[^A-Za-z0-9_.:-]/g, '_')}.log`);
}

export default async function start({ params, ocf, log, deadline }: LxcContext): Promise<OcfExitCode> {
  requireTools();
  const config = loadConfig(params);
  requireRootfs(config);
  const limits = resourceLimits(params);
  if (params.use_screen) log.warn('use_screen is deprecated and ignored: use console_log and lxc-console');

  const lxcLog = logFile(params.log, ocf.instance);
  const logStart = fileSize(lxcLog);
  const lxc = lxcClient(params);
  let current = lxc.queryState(deadline);
  if (current.kind === 'state' && transitionalStates.has(current.state)) {
    log.info(`container is ${current.state}, waiting for it to settle`);
    current = await lxc.waitForState(['RUNNING', 'STOPPED', 'FROZEN', 'ABSENT'], deadline);
  }
  if (current.kind === 'error') throw genericError(current.message);
  if (current.kind === 'state' && current.state === 'RUNNING') {
    log.info('container already running');
    return OcfExit.SUCCESS;
  }
  if (current.kind === 'state' && current.state === 'FROZEN') {
    log.info('container is frozen: thawing it');
    const thawed = await lxc.unfreeze(deadline);
    if (!thawed.ok) throw genericError(`cannot thaw frozen container: ${describeFailure(thawed)}`);
  } else {
    const defines = cgroupSettings(limits, detectVersions()).map((s) => [s.lxcKey, s.value] as const);
    log.info(
      `starting container with ${configPath(params)}${defines.length > 0 ? ` (${defines.map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`,
    );
    const result = await lxc.start(
      { config: config.file, logFile: lxcLog, consoleLog: params.console_log, defines },
      deadline,
    );
    if (!result.ok) {
      const logged = result.stderr.trim() === '' ? lastLoggedError(lxcLog, logStart) : undefined;
      throw genericError(`lxc-start failed: ${logged ?? describeFailure(result)}`);
    }
  }
  const settled = await lxc.waitForState(['RUNNING', 'STOPPED', 'ABSENT'], deadline);
  if (settled.kind === 'state' && settled.state === 'RUNNING') {
    log.info('container is running');
    return OcfExit.SUCCESS;
  }
  const seen = describeStateQuery(settled);
  const logged = lastLoggedError(lxcLog, logStart);
  throw genericError(
    deadline.expired()
      ? `container did not reach RUNNING within the start timeout (last state ${seen})`
      : `container stopped right after start (state ${seen})${logged === undefined ? '' : `: ${logged}`}`,
  );
}
