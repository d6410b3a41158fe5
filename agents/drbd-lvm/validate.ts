// validate-all: the DRBD resource known here (absent → 5, not 6), LVM seeing the VG only on the DRBD device
// (lvm.conf's filter or devices file hides the backing disk, else 5), LVM fit for the chosen exclusivity mode,
// and the clone's meta attributes sane where they are present (crm_resource --validate, pcs and ocf-tester
// pass none). Parameter syntax (hostile names → 6) was checked before this runs.
import { access, constants } from 'node:fs/promises';
import {
  configurationError,
  notInstalledError,
  OcfExit,
  type OcfExitCode,
} from '../../lib/ocf/exit-codes.js';
import type { OcfEnvironment } from '../../lib/ocf/environment.js';
import { clients, ownTag, type DrbdLvmContext } from './context.js';
import { checkPromotionSupport } from './score.js';
import { checkTwoNodes } from './two-nodes.js';
import { refuseStrayPvs } from './lvm-filter.js';

const truthy = (v: string): boolean => /^(true|yes|on|1|y)$/i.test(v.trim());

/**
 * The problems of the meta attributes that are set; none when Pacemaker passed none. notify may be either:
 * the agent works without notifications (each action and monitor re-scores), and with them a post-start or
 * post-promote notification reconnects a StandAlone resource.
 */
export function cloneMetaProblems(ocf: OcfEnvironment): string[] {
  const problems: string[] = [];
  const promotable = ocf.meta('promotable');
  if (promotable !== undefined && !truthy(promotable))
    problems.push(`meta promotable=${promotable}: drbd-lvm must be a promotable clone`);
  for (const name of [
    'clone_node_max',
    'promoted_node_max',
    'master_node_max',
    'promoted_max',
    'master_max',
  ]) {
    const value = ocf.meta(name);
    if (value !== undefined && value.trim() !== '1')
      problems.push(
        `meta ${name.replaceAll('_', '-')}=${value}: must be 1 (one Primary, exclusive volume group; dual-primary is not supported)`,
      );
  }
  return problems;
}

export default async function validateAll(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, ocf, log } = context;
  const problems = cloneMetaProblems(ocf);
  if (problems.length > 0) throw configurationError(problems.join('; '));
  if (params.drbdconf !== undefined) {
    try {
      await access(params.drbdconf, constants.R_OK);
    } catch {
      throw notInstalledError(`drbdconf ${params.drbdconf} is not readable on this node`);
    }
  }
  const c = clients(context);
  await checkPromotionSupport(c.score, context);
  const config = await c.drbd.resourceConfig(params.drbd_resource);
  if (config.state !== 'known')
    throw notInstalledError(
      `DRBD resource ${params.drbd_resource} is not configured on this node: ${config.message}`,
    );
  await checkTwoNodes(c, context);
  await refuseStrayPvs(context, c, [config.device]);

  if (params.exclusivity === 'system_id') {
    const id = await c.lvm.localSystemId();
    if (id === '')
      throw notInstalledError(
        'exclusivity=system_id but this node has no LVM system ID: set global/system_id_source in lvm.conf (lvmsystemid(7))',
      );
  } else {
    const tag = ownTag(params);
    const list = await c.lvm.configList('activation/volume_list');
    if (list === undefined || list.length === 0)
      throw notInstalledError(
        `exclusivity=tagging needs activation/volume_list in this node's lvm.conf, listing "@${tag}" and not ${params.vgname}`,
      );
    if (!list.includes(`@${tag}`))
      throw notInstalledError(
        `lvm.conf activation/volume_list does not list "@${tag}": this node could not activate ${params.vgname}`,
      );
    if (list.includes(params.vgname) || list.includes(`@*`))
      throw notInstalledError(
        `lvm.conf activation/volume_list lets every node activate ${params.vgname}: remove it (and "@*") from the list`,
      );
  }
  if (params.allow_consistent)
    log.warn("allow_consistent=true: Consistent data, possibly older than the peer's, may be promoted");
  return OcfExit.SUCCESS;
}
