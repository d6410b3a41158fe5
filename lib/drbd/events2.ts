// Parser for DRBD 9's `drbdsetup events2 --now [--statistics] RES`: `exists <object> key:value …` lines
// ending with `exists -`, normalised into the same DrbdStatus as DRBD 8.4.
import {
  downStatus,
  linkOf,
  resyncOf,
  toDiskState,
  toRole,
  worstDisk,
  type DiskState,
  type DrbdPeer,
  type DrbdStatus,
} from './status.js';

export interface Events2Line {
  readonly verb: string;
  readonly object: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Splits one events2 line into its verb, object and key:value fields. */
export function parseEvents2Line(line: string): Events2Line | undefined {
  const words = line.trim().split(/\s+/);
  const [verb, object, ...rest] = words;
  if (verb === undefined || object === undefined || verb === '') return undefined;
  const fields: Record<string, string> = {};
  for (const word of rest) {
    const at = word.indexOf(':');
    if (at > 0) fields[word.slice(0, at)] = word.slice(at + 1);
  }
  return { verb, object, fields };
}

export function parseEvents2(stdout: string, resource: string): DrbdStatus {
  const events = stdout
    .split('\n')
    .map(parseEvents2Line)
    .filter((e): e is Events2Line => e !== undefined && e.verb === 'exists' && e.fields.name === resource);
  const res = events.find((e) => e.object === 'resource');
  if (res === undefined) return downStatus(resource);
  const devices = events.filter((e) => e.object === 'device');
  const disks = devices.map((e) => toDiskState(e.fields.disk ?? ''));
  const minors = devices.map((e) => Number(e.fields.minor)).filter((m) => Number.isInteger(m) && m >= 0);
  const peers: DrbdPeer[] = events
    .filter((e) => e.object === 'connection')
    .map((conn) => {
      const id = conn.fields['peer-node-id'];
      const peerDevices = events.filter((e) => e.object === 'peer-device' && e.fields['peer-node-id'] === id);
      const connection = conn.fields.connection ?? 'StandAlone';
      const replication =
        peerDevices.map((p) => p.fields.replication ?? 'Off').find((r) => r !== 'Established') ??
        'Established';
      const done = peerDevices.map((p) => p.fields.done).find((d) => d !== undefined);
      const peerDisks: DiskState[] = peerDevices.map((p) => toDiskState(p.fields['peer-disk'] ?? ''));
      const link = linkOf(connection);
      return {
        name: conn.fields['conn-name'] ?? `node-id ${id ?? '?'}`,
        link,
        connectionState: link === 'connected' ? replication : connection,
        role: toRole(conn.fields.role ?? ''),
        disk: peerDisks.length === 0 ? 'DUnknown' : worstDisk(peerDisks),
        resync:
          link === 'connected'
            ? resyncOf(replication, done === undefined ? undefined : Number(done))
            : undefined,
      };
    });
  return {
    resource,
    up: true,
    role: toRole(res.fields.role ?? ''),
    disk: disks.length === 0 ? 'Diskless' : worstDisk(disks),
    peers,
    minors,
  };
}
