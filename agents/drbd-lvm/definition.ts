// ocf:lxcha:drbd-lvm — one promotable clone owning a DRBD resource and the LVM volume group on it.
import { defineAgent, defineParameters, type Parsed } from '../../lib/ocf/agent.js';
import { drbdResourceProblem } from '../../lib/drbd/names.js';
import { lvNameProblem, tagProblem, vgNameProblem } from '../../lib/lvm/names.js';
import { absolutePathProblem } from '../../lib/system/paths.js';

/** drbdconf: an absolute path, worded as this agent's other parameter messages ("is …"). */
const drbdconfProblem = (value: string): string | undefined => {
  const problem = absolutePathProblem(value);
  if (problem === undefined) return undefined;
  return problem.startsWith('not ') ? `is ${problem}` : problem;
};

/** `lvs`: LV names separated by spaces or commas, each a valid LV name, at least one. */
function parseLvList(value: string): Parsed<readonly string[]> {
  const lvs = value.split(/[\s,]+/).filter((w) => w !== '');
  for (const lv of lvs) {
    const problem = lvNameProblem(lv);
    if (problem !== undefined) return { problem: `LV name '${lv}' ${problem}` };
  }
  return lvs.length === 0 ? { problem: 'names no logical volume' } : { value: lvs };
}

export const drbdLvmParameters = defineParameters({
  drbd_resource: {
    type: 'string',
    required: true,
    unique: true,
    identity: true,
    shortdesc: 'DRBD resource name',
    longdesc: 'The name of the DRBD resource in drbd.conf, as drbdadm knows it.',
    check: drbdResourceProblem,
  },
  drbdconf: {
    type: 'string',
    identity: true,
    shortdesc: 'DRBD configuration file',
    longdesc: "drbd.conf to use (drbdadm -c). Default: drbdadm's own (/etc/drbd.conf).",
    check: drbdconfProblem,
  },
  vgname: {
    type: 'string',
    required: true,
    unique: true,
    identity: true,
    shortdesc: 'LVM volume group on the DRBD device',
    longdesc:
      'The volume group whose physical volume is the DRBD device. It is active only where DRBD is Primary.',
    check: vgNameProblem,
  },
  lvs: {
    type: 'string',
    shortdesc: 'Logical volumes to activate',
    longdesc:
      'Names of the logical volumes to activate, separated by spaces or commas. Default: all of the volume group.',
    parse: parseLvList,
  },
  exclusivity: {
    type: 'select',
    options: ['system_id', 'tagging'],
    default: 'system_id',
    shortdesc: 'How the volume group is kept exclusive',
    longdesc:
      "system_id: the VG carries the promoted node's LVM system ID (lvmsystemid(7); lvm.conf global/system_id_source " +
      "must give each node one). tagging: the VG carries the promoted node's tag and lvm.conf activation/volume_list " +
      'on every node lists "@<tag>" of that node only. A dead owner\'s system ID or tag is taken over only after DRBD ' +
      'made this node Primary.',
  },
  tag: {
    type: 'string',
    shortdesc: "This node's VG tag (tagging mode)",
    longdesc:
      "The tag this node writes on the VG in tagging mode. Default: the node's host name. Other tags on the VG are a stale owner's and are removed on promote.",
    check: tagProblem,
  },
  allow_consistent: {
    type: 'boolean',
    default: false,
    shortdesc: 'Allow promoting Consistent data',
    longdesc:
      "Consistent data may be older than the peer's. By default only UpToDate data is promoted; set this to true " +
      'to let Pacemaker promote Consistent data (drbdadm primary --force) when no node has UpToDate data.',
  },
  score_uptodate_connected: {
    type: 'integer',
    default: 10000,
    min: 1,
    max: 1000000,
    reloadable: true,
    shortdesc: 'Promotion score: UpToDate, peer connected',
    longdesc: 'Promotion score of UpToDate data while the peer is connected.',
  },
  score_uptodate_alone: {
    type: 'integer',
    default: 1000,
    min: 1,
    max: 1000000,
    reloadable: true,
    shortdesc: 'Promotion score: UpToDate, peer unknown',
    longdesc: 'Promotion score of UpToDate data while the peer is not connected (its data may be newer).',
  },
  score_consistent: {
    type: 'integer',
    default: 10,
    min: 1,
    max: 1000000,
    reloadable: true,
    shortdesc: 'Promotion score: Consistent (with allow_consistent)',
    longdesc: 'Promotion score of Consistent data; set only when allow_consistent is true.',
  },
  connect_timeout: {
    type: 'seconds',
    default: 10,
    min: 0,
    max: 3600,
    shortdesc: 'Time start waits for the peer',
    longdesc:
      'How long start waits for the replication link, so the first score knows the peer. Start succeeds without it.',
  },
  device_timeout: {
    type: 'seconds',
    default: 20,
    min: 1,
    max: 3600,
    shortdesc: 'Time promote waits for LV device nodes',
    longdesc:
      "How long promote waits for the VG to be seen on the DRBD device and the LVs' device nodes to appear.",
  },
});
export type DrbdLvmParameters = typeof drbdLvmParameters;

// Each action's module loads only when that action runs.
const monitor = () => import('./monitor.js');

export const drbdLvmAgent = defineAgent({
  name: 'drbd-lvm',
  version: '0.1.0',
  shortdesc: 'Manages a DRBD resource and the LVM volume group on it as one promotable clone',
  longdesc:
    'One promotable clone resource per volume group: start brings the DRBD resource up on every node (never ' +
    'promoting), promote makes this node DRBD Primary and then activates the volume group exclusively (LVM system ' +
    'ID by default, or tags), demote deactivates it (refusing, with the holder named, while a logical volume is ' +
    'open) and makes DRBD Secondary, stop takes DRBD down. Each monitor sets the promotion score with ' +
    "crm_attribute --promotion from the data's state, so Pacemaker never promotes Outdated or Inconsistent data. " +
    'Tested on DRBD 8.4 (the in-tree module of Debian and Ubuntu kernels); DRBD 9 status formats follow ' +
    "LINBIT's documentation, untested, and validate-all refuses a DRBD 9 resource with more than one peer. " +
    'Needs Pacemaker 2.1 or later. Configure it as a promotable ' +
    "clone with promoted-max=1 and clone-node-max=1, and use the suite's drbd-fence-peer handler for DRBD's " +
    'resource-level fencing. notify=true is optional: without notifications every transition of the clone ' +
    'takes two rounds of agent calls fewer (each action and monitor sets the score); with them a post-start ' +
    'or post-promote notification also reconnects a StandAlone resource.',
  parameters: drbdLvmParameters,
  actions: [
    { name: 'start', timeout: 240, run: () => import('./start.js') },
    { name: 'promote', timeout: 90, run: () => import('./promote.js') },
    { name: 'demote', timeout: 90, run: () => import('./demote.js') },
    { name: 'stop', timeout: 100, run: () => import('./stop.js') },
    { name: 'notify', timeout: 90, run: () => import('./notify.js') },
    { name: 'monitor', timeout: 20, interval: 29, role: 'Promoted', run: monitor },
    { name: 'monitor', timeout: 20, interval: 31, role: 'Unpromoted', run: monitor },
    { name: 'validate-all', timeout: 30, run: () => import('./validate.js') },
    { name: 'reload-agent', timeout: 20, run: () => import('./reload.js') },
    { name: 'meta-data', timeout: 5 },
    { name: 'usage', timeout: 5 },
  ],
  // OCF 1.0's name for monitor, answered but not advertised.
  aliases: { status: 'monitor' },
});
