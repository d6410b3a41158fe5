// The cluster's sites: one DRBD resource per server's volume group, as cluster/cluster.env describes them
// (a unit test keeps the two in step).

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
  /** The node its location constraint prefers (cib-*.crm). */
  home: string;
}

export const SITES: Site[] = [
  {
    res: 'r0',
    minor: 0,
    vg: 'vg_lxc1',
    fs: 'lxc1',
    containers: ['ct1', 'ct2'],
    writer: 'ct1',
    home: 'node1',
  },
  { res: 'r1', minor: 1, vg: 'vg_lxc2', fs: 'lxc2', containers: ['ct3'], writer: 'ct3', home: 'node2' },
];
