// reload-agent: applies changed resource limits to the running container's cgroup, without a restart.
import { describeFailure } from '../../lib/exec/command.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { cgroupSettings, detectVersions } from '../../lib/lxc/cgroup.js';
import { lxcClient, loadConfig, onlineCpus, resourceLimits, type LxcContext } from './container.js';

export default async function reloadAgent({ params, log, deadline }: LxcContext): Promise<OcfExitCode> {
  const limits = resourceLimits(params);
  const lxc = lxcClient(params);
  const current = lxc.queryState(deadline);
  if (current.kind !== 'state' || current.state !== 'RUNNING') {
    log.info('container not running: the new limits apply at its next start');
    return OcfExit.SUCCESS;
  }
  // A limit absent from the parameters is what the container's own config says, else the kernel's default.
  const config = loadConfig(params);
  const settings = cgroupSettings(limits, detectVersions(), {
    configured: (key) => config.get(key),
    onlineCpus: onlineCpus(),
  });
  for (const s of settings) {
    const result = await lxc.setCgroup(s.file, s.value, deadline);
    if (!result.ok)
      throw genericError(
        `cannot set ${s.file}=${s.value} on the running container: ${describeFailure(result)}`,
      );
    log.info(`set ${s.file} = ${s.value}`);
  }
  return OcfExit.SUCCESS;
}
