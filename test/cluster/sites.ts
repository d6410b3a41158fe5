// The cluster's sites: one DRBD resource per server's volume group, as cluster/cluster.env describes them,
// with each stack's Pacemaker resource ids as cluster/cib-<stack>.crm names them (unit tests keep all three
// in step).

/** The two stacks compared: anchor (LINBIT/resource-agents) and lxcha (ours). */
export type Stack = 'anchor' | 'lxcha';

/** A site's resource ids in one stack's CIB (cib-anchor.crm, cib-lxcha.crm). */
export interface StackResources {
  /** The promotable DRBD primitive: ocf:linbit:drbd (anchor) or ocf:lxcha:drbd-lvm (lxcha). */
  promotable: string;
  /** Its promotable clone: what the DRBD fence-peer handler's constraint names. */
  clone: string;
  /** The group colocated with the Promoted clone. */
  group: string;
  /** The group's members in order (the anchor's LVM-activate, the config filesystem, the containers). */
  members: string[];
  /** Each container's primitive, by container name. */
  containers: Record<string, string>;
  /** The anchor's ocf:heartbeat:LVM-activate primitive; lxcha's drbd-lvm activates the VG itself. */
  volumeGroup?: string;
}

/** A stack's agents (class:provider:type), as its CIB names them: what pacemaker.log says ran. */
export interface StackAgents {
  /** The promotable DRBD primitive's agent. */
  drbd: string;
  /** The LVM-activate primitive's agent, in the stack that has one. */
  volumeGroup?: string;
  container: string;
}

export const AGENTS: Record<Stack, StackAgents> = {
  anchor: {
    drbd: 'ocf:linbit:drbd',
    volumeGroup: 'ocf:heartbeat:LVM-activate',
    container: 'ocf:heartbeat:lxc',
  },
  lxcha: { drbd: 'ocf:lxcha:drbd-lvm', container: 'ocf:lxcha:lxc' },
};

/** One DRBD resource with its volume group, config filesystem, group and containers (cluster/cluster.env). */
export interface Site {
  res: string;
  /** /dev/drbd<minor> */
  minor: number;
  vg: string;
  /** Config filesystem /<fs>, group g_<fs>. */
  fs: string;
  containers: string[];
  /** The container running cluster/seqwriter (the data scenario). */
  writer: string;
  /** The container whose init the container-crash scenario kills (one site names it; never a writer). */
  crashed?: string;
  /** The node its location constraint prefers (cib-*.crm). */
  home: string;
  resources: Record<Stack, StackResources>;
}

export const SITES: Site[] = [
  {
    res: 'r0',
    minor: 0,
    vg: 'vg_lxc1',
    fs: 'lxc1',
    containers: ['ct1', 'ct2'],
    writer: 'ct1',
    crashed: 'ct2',
    home: 'node1',
    resources: {
      anchor: {
        promotable: 'p_drbd_r0',
        clone: 'ms_drbd_r0',
        group: 'g_lxc1',
        members: ['p_vg_lxc1', 'p_fs_lxc1', 'p_ct1', 'p_ct2'],
        containers: { ct1: 'p_ct1', ct2: 'p_ct2' },
        volumeGroup: 'p_vg_lxc1',
      },
      lxcha: {
        promotable: 'p_drbdlvm_r0',
        clone: 'ms_drbdlvm_r0',
        group: 'g_lxc1',
        members: ['p_fs_lxc1', 'p_ct1', 'p_ct2'],
        containers: { ct1: 'p_ct1', ct2: 'p_ct2' },
      },
    },
  },
  {
    res: 'r1',
    minor: 1,
    vg: 'vg_lxc2',
    fs: 'lxc2',
    containers: ['ct3'],
    writer: 'ct3',
    home: 'node2',
    resources: {
      anchor: {
        promotable: 'p_drbd_r1',
        clone: 'ms_drbd_r1',
        group: 'g_lxc2',
        members: ['p_vg_lxc2', 'p_fs_lxc2', 'p_ct3'],
        containers: { ct3: 'p_ct3' },
        volumeGroup: 'p_vg_lxc2',
      },
      lxcha: {
        promotable: 'p_drbdlvm_r1',
        clone: 'ms_drbdlvm_r1',
        group: 'g_lxc2',
        members: ['p_fs_lxc2', 'p_ct3'],
        containers: { ct3: 'p_ct3' },
      },
    },
  },
];
