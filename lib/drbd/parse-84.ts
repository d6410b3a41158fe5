// Parsers for DRBD 8.4's answers through drbd-utils (drbdadm role/cstate/dstate) and /proc/drbd.
// The client reads the status through events2 (and /proc/drbd only when drbd.conf is unreadable): no agent
// runs role/cstate/dstate; their parsers serve the tests that check events2 and the fake against them.
import { toDiskState, toRole, type DiskState, type DrbdRole } from './status.js';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** `Local/Peer` lines (drbdadm role and dstate print one per volume), each side converted. */
function localPeerPairs<T>(stdout: string, convert: (word: string) => T): { local: T; peer: T }[] {
  return lines(stdout)
    .filter((l) => l.includes('/'))
    .map((l) => {
      const [local = '', peer = ''] = l.split('/');
      return { local: convert(local), peer: convert(peer) };
    });
}

/** `drbdadm role RES`: one `Local/Peer` line per volume, e.g. `Primary/Unknown`. */
export function parseRoles(stdout: string): { local: DrbdRole; peer: DrbdRole }[] {
  return localPeerPairs(stdout, toRole);
}

/** `drbdadm dstate RES`: one `Local/Peer` line per volume, e.g. `UpToDate/DUnknown`. */
export function parseDiskStates(stdout: string): { local: DiskState; peer: DiskState }[] {
  return localPeerPairs(stdout, toDiskState);
}

/** `drbdadm cstate RES`: one connection state per volume, e.g. `WFConnection`. */
export function parseConnectionStates(stdout: string): string[] {
  return lines(stdout).filter((l) => /^[A-Za-z]+$/.test(l));
}

/**
 * drbdsetup-84's answer for a resource that is not up (minor not allocated), or drbdadm's when the
 * module is absent: the resource is down, not broken.
 */
export function saysNotUp(stderr: string): boolean {
  return /Device minor not allocated|unknown minor|Unknown resource|No such resource|Failed to modprobe drbd|Could not stat\("?\/proc\/drbd/i.test(
    stderr,
  );
}

/** drbd-utils' answer when it cannot read drbd.conf (on 8.4 it then cannot find the resource's minor). */
export function saysConfigUnreadable(stderr: string): boolean {
  return /Can not open/.test(stderr);
}

/** drbdadm's answer when the resource is not in the configuration for this host. */
export function saysUnknownResource(stderr: string): boolean {
  return /not defined in your config/.test(stderr);
}

export interface ProcDrbdDevice {
  readonly minor: number;
  readonly connectionState: string;
  readonly role: DrbdRole;
  readonly peerRole: DrbdRole;
  readonly disk: DiskState;
  readonly peerDisk: DiskState;
  /** `sync'ed: 15.3%` during a resync. */
  readonly syncedPercent: number | undefined;
}

export interface ProcDrbd {
  /** `version: 8.4.11 (api:1/proto:86-101)`. */
  readonly version: string | undefined;
  readonly devices: readonly ProcDrbdDevice[];
}

/** /proc/drbd of DRBD 8.4: a version line, then one block per minor (` 0: cs:… ro:…/… ds:…/… C r-----`). */
export function parseProcDrbd(text: string): ProcDrbd {
  const version = /^version: (\S+)/m.exec(text)?.[1];
  const devices: ProcDrbdDevice[] = [];
  let current: { -readonly [K in keyof ProcDrbdDevice]: ProcDrbdDevice[K] } | undefined;
  for (const raw of text.split('\n')) {
    const dev = /^\s*(\d+): cs:(\S+)(?: ro:(\S+)\/(\S+) ds:(\S+)\/(\S+))?/.exec(raw);
    if (dev !== null) {
      if (current !== undefined) devices.push(current);
      current = {
        minor: Number(dev[1]),
        connectionState: dev[2] ?? 'Unconfigured',
        role: toRole(dev[3] ?? ''),
        peerRole: toRole(dev[4] ?? ''),
        disk: dev[5] === undefined ? 'Diskless' : toDiskState(dev[5]),
        peerDisk: dev[6] === undefined ? 'DUnknown' : toDiskState(dev[6]),
        syncedPercent: undefined,
      };
      continue;
    }
    const synced = /sync'ed:\s*([\d.]+)%/.exec(raw);
    if (synced !== null && current !== undefined) current.syncedPercent = Number(synced[1]);
  }
  if (current !== undefined) devices.push(current);
  return { version, devices };
}
