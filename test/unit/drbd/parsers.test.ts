// DRBD parsers on real DRBD 8.4.11 recordings (test/fixtures/drbd-8.4, made in the emulated VMs) and on
// DRBD 9 fixtures written after LINBIT's documented format (test/fixtures/drbd-9: not recordable here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvents2 } from '../../../lib/drbd/events2.js';
import {
  parseConnectionStates,
  parseDiskStates,
  parseProcDrbd,
  parseRoles,
  saysNotUp,
  saysUnknownResource,
} from '../../../lib/drbd/parse-84.js';
import { drbdDevices, mainPeer } from '../../../lib/drbd/status.js';
import { fixture } from '../../helpers/paths.js';
import { hostRecording, vmRecording } from './recorded.js';

const states84 = {
  'secondary-connected': {
    role: 'Secondary',
    disk: 'UpToDate',
    link: 'connected',
    peerRole: 'Secondary',
    peerDisk: 'UpToDate',
    cstate: 'Connected',
  },
  'primary-uptodate': {
    role: 'Primary',
    disk: 'UpToDate',
    link: 'connected',
    peerRole: 'Secondary',
    peerDisk: 'UpToDate',
    cstate: 'Connected',
  },
  'secondary-peer-primary': {
    role: 'Secondary',
    disk: 'UpToDate',
    link: 'connected',
    peerRole: 'Primary',
    peerDisk: 'UpToDate',
    cstate: 'Connected',
  },
  standalone: {
    role: 'Secondary',
    disk: 'UpToDate',
    link: 'standalone',
    peerRole: 'Unknown',
    peerDisk: 'DUnknown',
    cstate: 'StandAlone',
  },
  wfconnection: {
    role: 'Secondary',
    disk: 'UpToDate',
    link: 'connecting',
    peerRole: 'Unknown',
    peerDisk: 'DUnknown',
    cstate: 'WFConnection',
  },
  outdated: {
    role: 'Secondary',
    disk: 'Outdated',
    link: 'standalone',
    peerRole: 'Unknown',
    peerDisk: 'DUnknown',
    cstate: 'StandAlone',
  },
  diskless: {
    role: 'Secondary',
    disk: 'Diskless',
    link: 'connected',
    peerRole: 'Secondary',
    peerDisk: 'UpToDate',
    cstate: 'Connected',
  },
  'peer-diskless': {
    role: 'Secondary',
    disk: 'UpToDate',
    link: 'connected',
    peerRole: 'Secondary',
    peerDisk: 'Diskless',
    cstate: 'Connected',
  },
} as const;

describe('DRBD 8.4 recordings (real)', () => {
  describe.each(Object.entries(states84))('%s', (name, want) => {
    it('events2 --now parses into the recorded state', () => {
      const s = parseEvents2(vmRecording('drbd-8.4', `${name}.drbdsetup-events2-now`).stdout, 'r0');
      expect(s.up).toBe(true);
      expect(s.role).toBe(want.role);
      expect(s.disk).toBe(want.disk);
      expect(s.peers).toHaveLength(1);
      expect(mainPeer(s)).toMatchObject({ link: want.link, role: want.peerRole, disk: want.peerDisk });
    });

    it('drbdadm role/cstate/dstate and /proc/drbd say the same', () => {
      const roles = parseRoles(vmRecording('drbd-8.4', `${name}.drbdadm-role`).stdout);
      const disks = parseDiskStates(vmRecording('drbd-8.4', `${name}.drbdadm-dstate`).stdout);
      const cstates = parseConnectionStates(vmRecording('drbd-8.4', `${name}.drbdadm-cstate`).stdout);
      expect(roles).toEqual([{ local: want.role, peer: want.peerRole }]);
      expect(disks).toEqual([{ local: want.disk, peer: want.peerDisk }]);
      expect(cstates).toEqual([want.cstate]);
      const proc = parseProcDrbd(vmRecording('drbd-8.4', `${name}.proc-drbd`).stdout);
      expect(proc.version).toBe('8.4.11');
      expect(proc.devices).toEqual([
        {
          minor: 0,
          connectionState: want.cstate,
          role: want.role,
          peerRole: want.peerRole,
          disk: want.disk,
          peerDisk: want.peerDisk,
          syncedPercent: undefined,
        },
      ]);
    });
  });

  it('a resource that is not up: events2 prints only the end marker, role and cstate fail with "minor not allocated"', () => {
    expect(parseEvents2(vmRecording('drbd-8.4', 'down.drbdsetup-events2-now').stdout, 'r0').up).toBe(false);
    const role = vmRecording('drbd-8.4', 'down.drbdadm-role');
    expect(role.exitCode).toBe(10);
    expect(saysNotUp(role.stderr)).toBe(true);
    expect(saysNotUp(vmRecording('drbd-8.4', 'down.drbdadm-cstate').stderr)).toBe(true);
    expect(parseProcDrbd(vmRecording('drbd-8.4', 'down.proc-drbd').stdout).devices).toEqual([]);
  });

  it('a resource unknown to the configuration is recognised as such, and events2 shows nothing', () => {
    const role = vmRecording('drbd-8.4', 'unknown.drbdadm-role');
    expect(role.exitCode).toBe(1);
    expect(saysUnknownResource(role.stderr)).toBe(true);
    expect(saysUnknownResource(vmRecording('drbd-8.4', 'unknown.drbdadm-sh-dev').stderr)).toBe(true);
    expect(parseEvents2(vmRecording('drbd-8.4', 'unknown.drbdsetup-events2-now').stdout, 'nosuch').up).toBe(
      false,
    );
  });

  it('primary of Outdated data is refused by DRBD itself (rc 17, "Need access to UpToDate data")', () => {
    const r = vmRecording('drbd-8.4', 'outdated.drbdadm-primary');
    expect(r.exitCode).toBe(17);
    expect(r.stderr).toContain('Need access to UpToDate data');
  });

  it('/proc/drbd during a resync gives the progress (documented 8.4 format)', () => {
    const text = [
      'version: 8.4.11 (api:1/proto:86-101)',
      ' 0: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----',
      '    ns:1048576 nr:0 dw:0 dr:1049216 al:8 bm:0 lo:0 pe:4 ua:0 ap:0 ep:1 wo:f oos:2097152',
      "\t[=====>..............] sync'ed: 33.4% (2048/3072)M",
      '\tfinish: 0:00:21 speed: 97,176 (97,176) K/sec',
    ].join('\n');
    expect(parseProcDrbd(text).devices[0]).toMatchObject({
      connectionState: 'SyncSource',
      peerDisk: 'Inconsistent',
      syncedPercent: 33.4,
    });
  });
});

describe('drbd-utils on this host (real, no drbd module)', () => {
  it('events2 without the module fails in a way read as "not up"', () => {
    const r = hostRecording('drbd-host', 'events2-no-module');
    expect(r.exitCode).toBe(20);
    expect(saysNotUp(r.stderr)).toBe(true);
  });
});

describe('the devices of a resource that is up (the PV the LVM filter check expects)', () => {
  it('DRBD 8.4 events2 names minor 0: /dev/drbd0 (recorded)', () => {
    const s = parseEvents2(vmRecording('drbd-8.4', 'secondary-connected.drbdsetup-events2-now').stdout, 'r0');
    expect(s.minors).toEqual([0]);
    expect(drbdDevices(s)).toEqual(['/dev/drbd0']);
  });
  it('a resource that is not up has none', () => {
    const s = parseEvents2(vmRecording('drbd-8.4', 'down.drbdsetup-events2-now').stdout, 'r0');
    expect(drbdDevices(s)).toEqual([]);
  });
});

describe('DRBD 9 events2 (documented format, not recorded)', () => {
  const doc = (name: string): string => readFileSync(fixture('drbd-9', `${name}.events2`), 'utf8');

  it('Primary with a connected UpToDate peer', () => {
    const s = parseEvents2(doc('primary-connected'), 'r0');
    expect(s).toMatchObject({ up: true, role: 'Primary', disk: 'UpToDate' });
    expect(s.peers).toEqual([
      {
        name: 'node2',
        link: 'connected',
        connectionState: 'Established',
        role: 'Secondary',
        disk: 'UpToDate',
        resync: undefined,
      },
    ]);
  });
  it('a resync target with its progress', () => {
    const s = parseEvents2(doc('secondary-synctarget'), 'r0');
    expect(s.disk).toBe('Inconsistent');
    expect(s.peers[0]).toMatchObject({
      connectionState: 'SyncTarget',
      resync: { direction: 'target', paused: false, percentDone: 42.5 },
    });
  });
  it('StandAlone with Outdated data', () => {
    const s = parseEvents2(doc('standalone-outdated'), 'r0');
    expect(s.disk).toBe('Outdated');
    expect(s.peers[0]).toMatchObject({ link: 'standalone', role: 'Unknown', disk: 'DUnknown' });
  });
  it('two peers: the connected one is the peer the agent reasons about', () => {
    const s = parseEvents2(doc('two-peers'), 'r0');
    expect(s.peers.map((p) => p.link)).toEqual(['connecting', 'connected']);
    expect(mainPeer(s)?.name).toBe('node3');
  });
  it('two volumes: the worst disk state counts', () => {
    const s = parseEvents2(doc('two-volumes'), 'r0');
    expect(s.disk).toBe('Inconsistent');
    expect(s.peers[0]?.resync?.direction).toBe('target');
  });
  it('down: only the end marker', () => {
    expect(parseEvents2(doc('down'), 'r0').up).toBe(false);
  });
  it('lines of other resources are ignored', () => {
    expect(parseEvents2(doc('primary-connected'), 'r1').up).toBe(false);
  });
});
