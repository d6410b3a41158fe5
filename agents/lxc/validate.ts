// validate-all: parameters (already typed by the parser), tools, config, rootfs, limits, and the talk's
// security pitfalls as warnings. stderr carries only warnings and the exit reason (pcs shows all of it).
import { readFileSync } from 'node:fs';
import { OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { unknownParameters } from '../../lib/ocf/parameters.js';
import { auditConfig } from '../../lib/lxc/security.js';
import { loadConfig, requireRootfs, requireTools, resourceLimits, type LxcContext } from './container.js';

function hostHasAppArmor(): boolean {
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}

export default function validateAll({ definition, params, ocf, log }: LxcContext): Promise<OcfExitCode> {
  for (const name of unknownParameters(definition, ocf.env)) log.warn(`unknown parameter ${name} is ignored`);
  if (params.use_screen) log.warn('use_screen is deprecated and ignored: use console_log and lxc-console');
  requireTools();
  resourceLimits(params);
  const config = loadConfig(params);
  requireRootfs(config);
  for (const finding of auditConfig(config, { appArmor: hostHasAppArmor() }))
    log.warn(`${config.file}: ${finding.key}: ${finding.message}`);
  return Promise.resolve(OcfExit.SUCCESS);
}
