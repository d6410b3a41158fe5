// One typed DRBD status for both kernels: `drbdsetup events2 --now` of DRBD 8.4 and of DRBD 9 is
// normalised into the same shape, so the agent decides once.

export type DrbdRole = 'Primary' | 'Secondary' | 'Unknown';

/** DRBD's disk states, the same words in 8.4 and 9 (drbdsetup(8)). */
export const diskStates = [
  'Diskless',
  'Attaching',
  'Detaching',
  'Failed',
  'Negotiating',
  'Inconsistent',
  'Outdated',
  'DUnknown',
  'Consistent',
  'UpToDate',
] as const;
export type DiskState = (typeof diskStates)[number];

/** The replication link as the agent needs it, whatever the kernel's own word for it. */
export type LinkState = 'connected' | 'connecting' | 'standalone' | 'disconnecting';

export interface Resync {
  /** This node sends (source) or receives (target) the resync. */
  readonly direction: 'source' | 'target';
  readonly paused: boolean;
  /** Percent done, when the kernel said (8.4 /proc/drbd, 9 events2 --statistics done:). */
  readonly percentDone: number | undefined;
}

export interface DrbdPeer {
  readonly name: string;
  readonly link: LinkState;
  /** The kernel's own word: 8.4 cstate (WFConnection, SyncSource …) or 9 connection/replication. */
  readonly connectionState: string;
  readonly role: DrbdRole;
  readonly disk: DiskState;
  readonly resync: Resync | undefined;
}

export interface DrbdStatus {
  readonly resource: string;
  /** Configured in the kernel (drbdadm up ran); false also when the module is not loaded. */
  readonly up: boolean;
  readonly role: DrbdRole;
  /** The worst disk state of the resource's volumes. */
  readonly disk: DiskState;
  /** Every peer (8.4 has at most one). */
  readonly peers: readonly DrbdPeer[];
  /** The kernel minors of the resource's volumes (events2 `minor:`): its devices are /dev/drbdMINOR. */
  readonly minors: readonly number[];
}

/** The status of a resource that is not configured in the kernel. */
export function downStatus(resource: string): DrbdStatus {
  return { resource, up: false, role: 'Unknown', disk: 'Diskless', peers: [], minors: [] };
}

export function isDiskState(value: string): value is DiskState {
  return (diskStates as readonly string[]).includes(value);
}

export function toDiskState(value: string): DiskState {
  // 8.4's /proc/drbd and drbdadm dstate print the same words; anything unknown is treated as unknown.
  return isDiskState(value) ? value : 'DUnknown';
}

export function toRole(value: string): DrbdRole {
  return value === 'Primary' || value === 'Secondary' ? value : 'Unknown';
}

// From best to worst: the order used to pick the worst volume's disk state.
const diskRank: Readonly<Record<DiskState, number>> = {
  UpToDate: 9,
  Consistent: 8,
  Outdated: 7,
  Inconsistent: 6,
  Negotiating: 5,
  Attaching: 4,
  DUnknown: 3,
  Detaching: 2,
  Failed: 1,
  Diskless: 0,
};

export function worstDisk(states: readonly DiskState[]): DiskState {
  let worst: DiskState | undefined;
  for (const s of states) if (worst === undefined || diskRank[s] < diskRank[worst]) worst = s;
  return worst ?? 'Diskless';
}

/** Maps an 8.4 cstate or a 9 connection state onto the link the agent reasons about. */
export function linkOf(connectionState: string): LinkState {
  switch (connectionState) {
    case 'StandAlone':
      return 'standalone';
    case 'Disconnecting':
    case 'TearDown':
      return 'disconnecting';
    case 'Unconnected':
    case 'Timeout':
    case 'BrokenPipe':
    case 'NetworkFailure':
    case 'ProtocolError':
    case 'Connecting':
    case 'WFConnection':
    case 'WFReportParams':
      return 'connecting';
    default:
      // Connected and every replication state of an established link (SyncSource, WFBitMapT, Ahead …).
      return 'connected';
  }
}

/** The resync a replication state stands for, if any. */
export function resyncOf(replicationState: string, percentDone: number | undefined): Resync | undefined {
  const m = /^(Paused)?Sync(Source|Target)$|^(StartingSync|WFBitMap)(S|T)$/.exec(replicationState);
  if (m === null) return undefined;
  const sourceSide = m[2] === 'Source' || m[4] === 'S';
  return { direction: sourceSide ? 'source' : 'target', paused: m[1] !== undefined, percentDone };
}

/** The peer the agent reasons about (two-node resources): the connected one, else the first; none when alone. */
export function mainPeer(status: DrbdStatus): DrbdPeer | undefined {
  return status.peers.find((p) => p.link === 'connected') ?? status.peers[0];
}

/** One line for logs and exit reasons: `Primary/Secondary UpToDate/UpToDate Connected`, or `down`. */
export function describeStatus(s: DrbdStatus): string {
  if (!s.up) return 'down';
  const peer = s.peers[0];
  return `${s.role}/${peer?.role ?? 'Unknown'} ${s.disk}/${peer?.disk ?? 'DUnknown'} ${peer?.connectionState ?? 'StandAlone'}`;
}

/** The block devices of a resource that is up (/dev/drbdMINOR, what LVM names the PV). */
export const drbdDevices = (status: DrbdStatus): string[] => status.minors.map((m) => `/dev/drbd${m}`);
