// Contract between test/fakes/drbd-lvm/fake.mjs and reality: for each state the fake can print, its output
// and the real recording of that state (test/fixtures/drbd-8.4, drbd-host, lvm, lvm-host, pacemaker-host) go
// through the same client and parsers the agents use, and the parsed results must be equal. Names, paths and minors
// that legitimately differ are normalised explicitly; a state without a recording is listed in `gaps`.
// The last test proves the list complete: every line the fake can print is claimed by a case or a gap.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DrbdClient } from '../../../lib/drbd/client.js';
import { parseConnectionStates, parseDiskStates, parseRoles, saysNotUp } from '../../../lib/drbd/parse-84.js';
import type { CommandResult, CommandRunner } from '../../../lib/exec/command.js';
import { lastErrorLine } from '../../../lib/exec/command.js';
import { LvmClient } from '../../../lib/lvm/client.js';
import { BlockDeviceClient, devicesOnOtherDrbd, type BlockDevice } from '../../../lib/lvm/block-devices.js';
import { DeviceMapperClient, type MappedDevice } from '../../../lib/lvm/device-mapper.js';
import { parsePvs, parseVgs, reportRows, saysVgNotFound } from '../../../lib/lvm/report.js';
import {
  Cib,
  fenceConstraintId,
  fenceConstraintXml,
  findManagingClone,
  parseCib,
  parseNodeStates,
} from '../../../lib/pacemaker/cib.js';
import { PromotionScore } from '../../../lib/pacemaker/crm-attribute.js';
import {
  clientCommand,
  drbdNoModuleCalls,
  pacemakerHost,
  pacemakerHostClone,
  vmLvmRecordings,
} from '../../fixtures/commands.js';
import { World, type World1State } from '../agents/drbd-lvm-world.js';
import { asResult, hostRecording, recordedRunner, vmRecording, type Recording } from '../drbd/recorded.js';
import { repoRoot } from '../../helpers/paths.js';

const FAKE = path.join(repoRoot, 'test/fakes/drbd-lvm/fake.mjs');

/** Runs the fake as its wrappers do (`fake.mjs TOOL ARGS…`), on the world's state file. */
function fakeRunner(w: World): CommandRunner {
  return (command, args) => {
    const r = spawnSync(process.execPath, [FAKE, command, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, LXCHA_FAKE_STATE: w.statePath },
    });
    return Promise.resolve(
      asResult(command, args, { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 }),
    );
  };
}

/** A runner that answers every command with one recording. */
const replay = (r: Recording): CommandRunner => recordedRunner(() => r);

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.dispose();
});

/** A fake world, edited into a state. The default: r0 up, both Secondary UpToDate, Connected. */
function world(
  edit: (s: World1State) => void = () => undefined,
  options: ConstructorParameters<typeof World>[0] = {},
): World {
  const w = new World(options);
  worlds.push(w);
  w.edit((s) => {
    s.drbd.resources.r0.up = true;
    s.drbd.resources.r0.disk = 'UpToDate';
    edit(s);
  });
  return w;
}

/** The host recordings carry this host's complaints about missing tools (no kmod, no device-mapper). */
const hostNoise = (stderr: string): string =>
  stderr
    .split('\n')
    .filter(
      (l) =>
        !l.startsWith('sh: ') &&
        !/device-mapper|\/dev\/mapper\/control|libdevmapper/.test(l) &&
        !/IP \S+ not found on this host|^\S+: in resource/.test(l.trim()),
    )
    .join('\n');

/** A failure as the agents read it: exit code, the tool's last line (describeFailure), and every line. */
const failure = (r: CommandResult, names: Record<string, string> = {}): unknown => {
  const clean = { ...r, stderr: hostNoise(r.stderr) };
  return rename(
    {
      ok: r.ok,
      exitCode: r.exitCode,
      last: lastErrorLine(clean),
      lines: clean.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
      stdout: r.stdout.trim(),
    },
    names,
  );
};

/** Replaces names that legitimately differ (`from` → `to`, whole words) anywhere in a parsed value. */
function rename<T>(value: T, names: Record<string, string>): T {
  let text = JSON.stringify(value) ?? 'undefined';
  for (const [from, to] of Object.entries(names))
    text = text.replace(
      new RegExp(`(?<![\\w-])${from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`, 'g'),
      to,
    );
  return text === 'undefined' ? (undefined as T) : (JSON.parse(text) as T);
}

// ------------------------------------------------------------------ the fake's DRBD 8.4 states

/** The DRBD 8.4 states recorded in the VMs while r0 is up, and the fake's state file for each. */
const drbd84: Record<string, (s: World1State) => void> = {
  'secondary-connected': () => undefined,
  'primary-uptodate': (s) => {
    s.drbd.resources.r0.role = 'Primary';
  },
  'secondary-peer-primary': (s) => {
    s.drbd.resources.r0.peer.role = 'Primary';
  },
  standalone: (s) => {
    s.drbd.resources.r0.standalone = true;
  },
  wfconnection: (s) => {
    s.drbd.resources.r0.peer.reachable = false;
  },
  outdated: (s) => {
    s.drbd.resources.r0.standalone = true;
    s.drbd.resources.r0.disk = 'Outdated';
  },
  diskless: (s) => {
    s.drbd.resources.r0.disk = 'Diskless';
  },
  'peer-diskless': (s) => {
    s.drbd.resources.r0.peer.disk = 'Diskless';
  },
  // A resync (the fake derives it from the two disks).
  synctarget: (s) => {
    s.drbd.resources.r0.disk = 'Inconsistent';
  },
  syncsource: (s) => {
    s.drbd.resources.r0.peer.disk = 'Inconsistent';
  },
  // What `drbdadm up` leaves when the backing device is missing: the minor, without disk or network.
  'no-backing': (s) => {
    s.drbd.resources.r0.standalone = true;
    s.drbd.resources.r0.disk = 'Diskless';
  },
};
const down = (s: World1State): void => {
  s.drbd.resources.r0.up = false;
};
/** Not up: `down` before any meta data was made, `down-md` after (drbdadm down of a resource that was up). */
const notUp = ['down', 'down-md'] as const;

describe('fake drbdsetup events2 --now = recorded DRBD 8.4 (DrbdClient.status)', () => {
  it.each(Object.keys(drbd84))('%s', async (state) => {
    const fake = await new DrbdClient({ run: fakeRunner(world(drbd84[state])) }).status('r0');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', `${state}.drbdsetup-events2-now`)),
    }).status('r0');
    expect(fake).toEqual(real);
  });

  it.each(notUp)('%s: resource configured, not up', async (state) => {
    const fake = await new DrbdClient({ run: fakeRunner(world(down)) }).status('r0');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', `${state}.drbdsetup-events2-now`)),
    }).status('r0');
    expect(fake).toEqual(real);
  });

  it('up-alone: up while the peer is down gives this node UpToDate data, as the fake’s up does', async () => {
    const w = world(down);
    w.edit((s) => {
      s.drbd.resources.r0.peer.reachable = false;
    });
    expect((await new DrbdClient({ run: fakeRunner(w) }).up('r0')).ok).toBe(true);
    const fake = await new DrbdClient({ run: fakeRunner(w) }).status('r0');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', 'up-alone.drbdsetup-events2-now')),
    }).status('r0');
    // DRBD remembered the peer as Outdated in the meta data (it went down second, after this node):
    // a flag the fake does not model; it says DUnknown, as for a peer lost while up (wfconnection).
    const peerDisk = (status: typeof real, disk: string): typeof real => ({
      ...status,
      peers: status.peers.map((p) => ({ ...p, disk: disk as typeof p.disk })),
    });
    expect(real.peers[0]?.disk).toBe('Outdated');
    expect(peerDisk(fake, 'Outdated')).toEqual(real);
  });

  it('unknown: resource not in the configuration', async () => {
    const fake = await new DrbdClient({ run: fakeRunner(world()) }).status('nosuch');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', 'unknown.drbdsetup-events2-now')),
    }).status('nosuch');
    expect(fake).toEqual(real);
  });

  it('no module: down, with the exit code drbdsetup gave (drbd-host/events2-no-module)', async () => {
    const w = world((s) => {
      s.drbd.loaded = false;
    });
    const fake = await new DrbdClient({ run: fakeRunner(w) }).status('r0');
    const real = await new DrbdClient({
      run: replay(hostRecording('drbd-host', 'events2-no-module')),
    }).status('r0');
    expect(fake).toEqual(real);
    const raw = await fakeRunner(w)('drbdsetup', ['events2', '--now', 'r0']);
    expect(failure(raw)).toEqual(
      failure(asResult('drbdsetup', [], hostRecording('drbd-host', 'events2-no-module'))),
    );
  });
});

// DRBD 9 has no recording (test/fixtures/drbd-9 is written after LINBIT's documentation): the fake's
// DRBD 9 lines are held to that documented format only, and stay listed in `gaps`.
describe('fake drbdsetup events2 on DRBD 9 = documented format (test/fixtures/drbd-9, not recordings)', () => {
  const documented = (file: string): Recording => ({
    stdout: readFileSync(path.join(repoRoot, 'test/fixtures/drbd-9', file), 'utf8'),
    stderr: '',
    exitCode: 0,
  });
  it.each([
    ['primary-connected.events2', drbd84['primary-uptodate']],
    ['standalone-outdated.events2', drbd84.outdated],
    ['down.events2', down],
  ] as const)('%s', async (file, edit) => {
    const fake = await new DrbdClient({ run: fakeRunner(world(edit, { module: '9' })) }).status('r0');
    const doc = await new DrbdClient({ run: replay(documented(file)) }).status('r0');
    expect(fake).toEqual(doc);
  });
});

describe('fake drbdadm role/cstate/dstate = recorded DRBD 8.4 (parse-84)', () => {
  const read = async (run: CommandRunner, sub: string): Promise<unknown> => {
    const r = await run('drbdadm', [sub, 'r0']);
    if (sub === 'role') return parseRoles(r.stdout);
    if (sub === 'cstate') return parseConnectionStates(r.stdout);
    return parseDiskStates(r.stdout);
  };
  for (const sub of ['role', 'cstate', 'dstate'])
    it.each(Object.keys(drbd84))(`${sub}: %s`, async (state) => {
      const fake = await read(fakeRunner(world(drbd84[state])), sub);
      const real = await read(replay(vmRecording('drbd-8.4', `${state}.drbdadm-${sub}`)), sub);
      expect(fake).toEqual(real);
    });

  it.each(notUp.flatMap((state) => ['role', 'cstate'].map((sub) => [state, sub] as const)))(
    '%s: %s of a resource that is not up: minor not allocated',
    async (state, sub) => {
      const fake = await fakeRunner(world(down))('drbdadm', [sub, 'r0']);
      const real = asResult('drbdadm', [], vmRecording('drbd-8.4', `${state}.drbdadm-${sub}`));
      expect(saysNotUp(fake.stderr)).toBe(true);
      expect(failure(fake)).toEqual(failure(real));
    },
  );

  it('down-md: dstate of a resource that is not up reads the meta data', async () => {
    const fake = await fakeRunner(world(down))('drbdadm', ['dstate', 'r0']);
    const real = asResult('drbdadm', [], vmRecording('drbd-8.4', 'down-md.drbdadm-dstate'));
    expect(parseDiskStates(fake.stdout)).toEqual(parseDiskStates(real.stdout));
    expect(failure(fake)).toEqual(failure(real));
  });

  it.each(['role', 'cstate'])('%s without the module (drbd-host/%s-no-module)', async (sub) => {
    const w = world((s) => {
      s.drbd.loaded = false;
    });
    const fake = await fakeRunner(w)('drbdadm', [sub, 'r0']);
    const real = asResult('drbdadm', [], hostRecording('drbd-host', `${sub}-no-module`));
    expect(saysNotUp(fake.stderr)).toBe(true);
    expect(failure(fake)).toEqual(failure(real));
  });
});

describe('fake drbdadm without the module = recorded (drbd-host/*-no-module, DrbdClient calls)', () => {
  const noModule = (s: World1State): void => {
    s.drbd.loaded = false;
  };
  it.each(drbdNoModuleCalls)('%s', async (name, call) => {
    const fake = await call(new DrbdClient({ run: fakeRunner(world(noModule)) }));
    expect(failure(fake)).toEqual(failure(asResult('drbdadm', [], hostRecording('drbd-host', name))));
  });

  it('dstate reads the meta data, which is absent here (drbd-host/dstate-no-module)', async () => {
    const fake = await fakeRunner(world(noModule))('drbdadm', ['dstate', 'r0']);
    const real = asResult('drbdadm', [], hostRecording('drbd-host', 'dstate-no-module'));
    expect(failure(fake)).toEqual(failure(real));
  });
});

describe('fake drbdadm configuration answers = recorded (DrbdClient.resourceConfig)', () => {
  it.each([...Object.keys(drbd84), 'down'])('sh-dev in state %s', async (state) => {
    const w = world(state === 'down' ? down : drbd84[state]);
    const fake = await new DrbdClient({ run: fakeRunner(w) }).resourceConfig('r0');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', `${state}.drbdadm-sh-dev`)),
    }).resourceConfig('r0');
    expect(fake).toEqual(real);
    const host = await new DrbdClient({ run: replay(hostRecording('drbd-host', 'sh-dev')) }).resourceConfig(
      'r0',
    );
    expect(fake).toEqual(host);
  });

  it('drbd-host/dump: the nodes of a two-node resource (DrbdClient.configuredNodes), the host named vm there', async () => {
    const fake = await new DrbdClient({ run: fakeRunner(world()) }).configuredNodes('r0');
    const real = await new DrbdClient({ run: replay(hostRecording('drbd-host', 'dump')) }).configuredNodes(
      'r0',
    );
    expect(real).toEqual(['vm', 'node2']);
    expect(fake).toEqual(rename(real, { vm: 'node1' }));
    const raw = await fakeRunner(world())('drbdadm', ['dump', 'r0']);
    const recorded = hostRecording('drbd-host', 'dump');
    expect(raw.exitCode).toBe(recorded.exitCode);
    // The same text but for this host's name, the file's path and the node-ids (drbdadm numbers as written).
    const plain = (t: string) =>
      t
        .replace(/^# defined at .*$/m, '')
        .replace(/node-id \d+/g, 'node-id N')
        .replace(/169\.254\.10\.\d/g, 'IP');
    expect(plain(raw.stdout)).toEqual(plain(rename(recorded.stdout, { vm: 'node1' })));
  });

  it('an unknown resource (drbd-8.4/unknown.drbdadm-sh-dev, drbd-host/dump-unknown)', async () => {
    const fake = await new DrbdClient({ run: fakeRunner(world()) }).resourceConfig('nosuch');
    const real = await new DrbdClient({
      run: replay(vmRecording('drbd-8.4', 'unknown.drbdadm-sh-dev')),
    }).resourceConfig('nosuch');
    expect(fake).toEqual(real);
    const host = await new DrbdClient({
      run: replay(hostRecording('drbd-host', 'dump-unknown')),
    }).resourceConfig('r9');
    expect(fake).toEqual(rename(host, { r9: 'nosuch' }));
  });

  it('a configuration file that cannot be opened (drbd-host/dump-no-config)', async () => {
    const real = await new DrbdClient({
      run: replay(hostRecording('drbd-host', 'dump-no-config')),
      config: '/nonexistent/drbd.conf',
    }).resourceConfig('r0');
    const viaC = await new DrbdClient({
      run: fakeRunner(world()),
      config: '/nonexistent/drbd.conf',
    }).resourceConfig('r0');
    expect(viaC).toEqual(real);
    const w = world((s) => {
      (s.drbd as { unreadableConfig?: boolean }).unreadableConfig = true;
    });
    const unreadable = await new DrbdClient({ run: fakeRunner(w) }).resourceConfig('r0');
    expect(unreadable).toEqual(rename(real, { '/nonexistent/drbd.conf': '/etc/drbd.conf' }));
  });

  it('sh-minor and sh-ll-dev (drbd-host): the lines the agent reads', async () => {
    const lines = (r: CommandResult): string[] => r.stdout.split('\n').filter((l) => l.trim() !== '');
    for (const sub of ['sh-minor', 'sh-ll-dev']) {
      const fake = await fakeRunner(world())('drbdadm', [sub, 'r0']);
      const real = asResult('drbdadm', [], hostRecording('drbd-host', sub));
      expect([fake.exitCode, lines(fake)]).toEqual([real.exitCode, lines(real)]);
    }
  });
});

describe('fake drbdadm state changes = recorded DRBD 8.4 (DrbdClient calls; exit code and every line)', () => {
  const calls: Record<string, (c: DrbdClient) => Promise<CommandResult>> = {
    up: (c) => c.up('r0'),
    down: (c) => c.down('r0'),
    adjust: (c) => c.adjust('r0'),
    primary: (c) => c.primary('r0'),
    'primary-force': (c) => c.primaryForce('r0'),
    secondary: (c) => c.secondary('r0'),
  };
  /** Primary with vg1's LVs active: device-mapper holds the DRBD device open. */
  const heldOpen = (s: World1State): void => {
    s.drbd.resources.r0.role = 'Primary';
    for (const lv of Object.values(s.lvm.vgs.vg1.lvs)) lv.active = true;
  };
  const noBacking = (s: World1State): void => {
    down(s);
    s.drbd.resources.r0.backingPresent = false;
  };
  const states: Record<string, (s: World1State) => void> = {
    ...drbd84,
    'held-open': heldOpen,
    'down-md': down,
    'no-backing': noBacking,
  };
  // Each recording NAME = STATE.drbdadm-SUB; where the recorder recorded the state right after the
  // change, the fake must reach that state too.
  const after: Record<string, string | undefined> = {
    'secondary-connected.drbdadm-primary': 'primary-uptodate',
    'no-backing.drbdadm-up': 'no-backing',
  };
  const names = readFileSync(path.join(repoRoot, 'test/fixtures/drbd-8.4/README.md'), 'utf8')
    .split('\n')
    .map((l) => /^\| `([\w-]+\.drbdadm-(?:up|down|adjust|primary|primary-force|secondary))` \|/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);

  it('finds the recorded state changes', () => {
    expect(names.length).toBeGreaterThanOrEqual(18);
  });

  it.each(names)('%s', async (name) => {
    const [state = '', sub = ''] = name.split('.drbdadm-');
    const edit = states[state];
    const call = calls[sub];
    expect(edit, `no fake state for ${state}`).toBeDefined();
    expect(call).toBeDefined();
    if (edit === undefined || call === undefined) return;
    const w = world(edit);
    const fake = await call(new DrbdClient({ run: fakeRunner(w) }));
    const real = asResult('drbdadm', [], vmRecording('drbd-8.4', name));
    expect(failure(fake)).toEqual(failure(real));
    const then = after[name];
    if (then !== undefined)
      expect(await new DrbdClient({ run: fakeRunner(w) }).status('r0')).toEqual(
        await new DrbdClient({
          run: replay(vmRecording('drbd-8.4', `${then}.drbdsetup-events2-now`)),
        }).status('r0'),
      );
  });
});

// ------------------------------------------------------------------ the fake's LVM states

interface LvmWorld {
  readonly vg: string;
  readonly lvs: readonly string[];
  readonly systemId: string;
  readonly local: string;
  readonly tags?: readonly string[];
}

/** A fake world whose VG looks like the recorded one (name, LVs, system IDs), on r0 Primary here. */
function lvmWorld({ vg, lvs, systemId, local, tags = [] }: LvmWorld): World {
  return world((s) => {
    s.drbd.resources.r0.role = 'Primary';
    s.lvm.systemId = local;
    const lvMap: Record<string, { active: boolean; minor: number }> = {};
    lvs.forEach((lv, i) => (lvMap[lv] = { active: false, minor: i }));
    (s.lvm as { vgs: Record<string, unknown> }).vgs = {
      [vg]: { drbd: 'r0', systemId, tags: [...tags], lvs: lvMap },
    };
  });
}
const vmVg: LvmWorld = { vg: 'vg_lxc1', lvs: ['config', 'ct1', 'ct2'], systemId: 'node1', local: 'node1' };
const hostVg: LvmWorld = { vg: 'vgrec', lvs: ['lv0', 'lv1'], systemId: 'node1', local: 'node1' };
const vmLvm = (name: string): Recording => vmRecording('lvm', name);
const hostLvm = (name: string): Recording => hostRecording('lvm-host', name);

/**
 * An active LV's device major legitimately differs: the kernel allocates device-mapper's major when it loads
 * (253 in the VMs); the fake's fixed 254 is one such number.
 */
const fakeMajor = ['lv_kernel_major'] as const;

/**
 * Below the typed parse: the report rows (reportRows, the client's JSON reader) of the fake, run with the
 * client's own command line, equal the recording's in every field both printed. `except` names fields that
 * legitimately differ; the fake's device directory stands for /dev.
 */
async function sameRows(
  kind: 'vg' | 'lv',
  w: World,
  call: (c: LvmClient) => Promise<unknown>,
  recording: Recording,
  except: readonly string[] = [],
): Promise<void> {
  const [command = '', ...args] = await clientCommand((run) => call(new LvmClient({ run })));
  const fake = reportRows((await fakeRunner(w)(command, args)).stdout, kind);
  const real = reportRows(recording.stdout, kind);
  const keys = Object.keys(real[0] ?? {}).filter((k) => k in (fake[0] ?? {}) && !except.includes(k));
  const pick = (rows: readonly object[]): unknown =>
    rows.map((r) => Object.fromEntries(keys.map((k) => [k, (r as Record<string, unknown>)[k]])));
  expect(keys.length).toBeGreaterThan(0);
  expect(rename(pick(fake), { [w.devRoot]: '/dev' })).toEqual(pick(real));
}

describe('fake vgs = recorded (LvmClient.volumeGroup, parseVgs)', () => {
  it.each([
    ['lvm/vgs-inactive', vmVg, () => vmLvm('vgs-inactive')],
    [
      'lvm/vgs-foreign-listed (node2 with --foreign)',
      { ...vmVg, local: 'node2' },
      () => vmLvm('vgs-foreign-listed'),
    ],
    ['lvm-host/vgs-owned', hostVg, () => hostLvm('vgs-owned')],
    [
      'lvm-host/vgs-foreign (node2 with --foreign)',
      { ...hostVg, local: 'node2' },
      () => hostLvm('vgs-foreign'),
    ],
    ['lvm-host/vgs-tagged', { ...hostVg, tags: ['pacemaker-node1'] }, () => hostLvm('vgs-tagged')],
    [
      'lvm-host/vgs-taken-over',
      { ...hostVg, systemId: 'node2', local: 'node2' },
      () => hostLvm('vgs-taken-over'),
    ],
  ] as const)('%s', async (_name, vg, recording) => {
    const w = lvmWorld(vg);
    const fake = await new LvmClient({ run: fakeRunner(w) }).volumeGroup(vg.vg);
    const real = await new LvmClient({ run: replay(recording()) }).volumeGroup(vg.vg);
    expect(real).toBeDefined();
    expect(fake).toEqual(real);
    await sameRows('vg', w, (c) => c.volumeGroup(vg.vg), recording());
  });

  it('lvm/vgs-active: LVs active', async () => {
    const w = lvmWorld(vmVg);
    await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    const fake = await new LvmClient({ run: fakeRunner(w) }).volumeGroup('vg_lxc1');
    expect(fake).toEqual(await new LvmClient({ run: replay(vmLvm('vgs-active')) }).volumeGroup('vg_lxc1'));
  });

  it('lvm-host/vgs-missing: no such VG', async () => {
    const w = lvmWorld(hostVg);
    const fake = await new LvmClient({ run: fakeRunner(w) }).volumeGroup('nosuchvg');
    const real = await new LvmClient({ run: replay(hostLvm('vgs-missing')) }).volumeGroup('nosuchvg');
    expect(fake).toBeUndefined();
    expect(real).toBeUndefined();
    const raw = await fakeRunner(w)('vgs', ['--reportformat', 'json', '-o', 'vg_name', 'nosuchvg']);
    const rec = asResult('vgs', [], hostLvm('vgs-missing'));
    expect([parseVgs(raw.stdout), saysVgNotFound(raw.stderr), failure(raw)]).toEqual([
      parseVgs(rec.stdout),
      saysVgNotFound(rec.stderr),
      failure(rec),
    ]);
  });

  it.each(['vgs-foreign-hidden', 'vgs-after-handover'])(
    'lvm-host/%s: a foreign VG without --foreign (the recorded arguments; the client always passes --foreign)',
    async (name) => {
      const rec = hostLvm(name);
      const args = (
        JSON.parse(readFileSync(path.join(repoRoot, `test/fixtures/lvm-host/${name}.json`), 'utf8')) as {
          args: string[];
        }
      ).args.filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config');
      const raw = await fakeRunner(lvmWorld({ ...hostVg, local: 'node2' }))('vgs', args.slice(1));
      const real = asResult('vgs', [], rec);
      expect([parseVgs(raw.stdout), failure(raw)]).toEqual([parseVgs(real.stdout), failure(real)]);
    },
  );

  it('lvm/vgs-foreign: vgs without --foreign on node2 cannot access the VG (the recorded arguments)', async () => {
    const [, ...args] = (await vmLvmRecordings()).find((c) => c.name === 'vgs-foreign')?.argv ?? [];
    const raw = await fakeRunner(lvmWorld({ ...vmVg, local: 'node2' }))('vgs', args);
    const real = asResult('vgs', [], vmLvm('vgs-foreign'));
    expect([parseVgs(raw.stdout), failure(raw)]).toEqual([parseVgs(real.stdout), failure(real)]);
  });
});

describe('fake lvs = recorded (LvmClient.logicalVolumes, parseLvs)', () => {
  /** The fields of each LV that the recording's `-o` list had (the VM recorder asked for fewer). */
  const pick = (lvs: readonly object[], keys: readonly string[], devRoot: string): unknown =>
    rename(
      lvs.map((lv) => Object.fromEntries(keys.map((k) => [k, (lv as Record<string, unknown>)[k]]))),
      { [`${devRoot}`]: '/dev' },
    );
  const base = ['name', 'vg', 'attr', 'active', 'open'] as const;

  it('lvm/lvs-active: active, none open', async () => {
    const w = lvmWorld(vmVg);
    await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    const keys = [...base, 'path', 'dmPath', 'tags'];
    const fake = await new LvmClient({ run: fakeRunner(w) }).logicalVolumes('vg_lxc1');
    const real = await new LvmClient({ run: replay(vmLvm('lvs-active')) }).logicalVolumes('vg_lxc1');
    expect(pick(fake, keys, w.devRoot)).toEqual(pick(real, keys, w.devRoot));
    await sameRows('lv', w, (c) => c.logicalVolumes('vg_lxc1'), vmLvm('lvs-active'), fakeMajor);
  });

  it('lvm/lvs-open: config held open', async () => {
    const w = lvmWorld(vmVg);
    await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    w.holdOpen('vg_lxc1', 'config');
    await w.waitHeld('vg_lxc1', 'config');
    const fake = await new LvmClient({ run: fakeRunner(w) }).logicalVolumes('vg_lxc1');
    const real = await new LvmClient({ run: replay(vmLvm('lvs-open')) }).logicalVolumes('vg_lxc1');
    expect(pick(fake, base, w.devRoot)).toEqual(pick(real, base, w.devRoot));
    await sameRows('lv', w, (c) => c.logicalVolumes('vg_lxc1'), vmLvm('lvs-open'), fakeMajor);
  });

  it('lvm/lvs-foreign: node2 lists the inactive LVs of the foreign VG', async () => {
    const w = lvmWorld({ ...vmVg, local: 'node2' });
    const fake = await new LvmClient({ run: fakeRunner(w) }).logicalVolumes('vg_lxc1');
    const real = await new LvmClient({ run: replay(vmLvm('lvs-foreign')) }).logicalVolumes('vg_lxc1');
    expect(pick(fake, base, w.devRoot)).toEqual(pick(real, base, w.devRoot));
    await sameRows('lv', w, (c) => c.logicalVolumes('vg_lxc1'), vmLvm('lvs-foreign'));
  });

  it('lvm-host/lvs-inactive: every field the client asks for, except what needs device-mapper', async () => {
    const w = lvmWorld(hostVg);
    // The host has no device-mapper: LVM prints attr `-wi-XX----` where a node prints `-wi-------`, so the
    // parsed attr and open differ (lvm/lvs-foreign shows the VM form; attr and open are compared there).
    const keys = ['name', 'vg', 'active', 'path', 'dmPath', 'tags', 'major', 'minor'];
    const fake = await new LvmClient({ run: fakeRunner(w) }).logicalVolumes('vgrec');
    const real = await new LvmClient({ run: replay(hostLvm('lvs-inactive')) }).logicalVolumes('vgrec');
    expect(pick(fake, keys, w.devRoot)).toEqual(pick(real, keys, w.devRoot));
    // No device-mapper on the host: LVM prints attr `-wi-XX----` (unknown), a node `-wi-------` (lvs-foreign).
    await sameRows('lv', w, (c) => c.logicalVolumes('vgrec'), hostLvm('lvs-inactive'), ['lv_attr']);
  });
});

describe('fake dmsetup = recorded (DeviceMapperClient.vgDevices, parseDmInfo)', () => {
  // device-mapper's major is the kernel's choice at load (253 in the VMs); the fake prints 254, as its lvs.
  const dmMajor = (devices: readonly MappedDevice[]) => devices.map((d) => ({ ...d, major: 'dm' }));
  const devices = (run: CommandRunner, vg = 'vg_lxc1') => new DeviceMapperClient({ run }).vgDevices(vg);
  const active = async (): Promise<World> => {
    const w = lvmWorld(vmVg);
    await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    return w;
  };

  it('lvm/dmsetup-info-active: each LV mapped, none open', async () => {
    const w = await active();
    const real = await devices(replay(vmLvm('dmsetup-info-active')));
    expect(real.map((d) => d.lv)).toEqual(['config', 'ct1', 'ct2']);
    expect(dmMajor(await devices(fakeRunner(w)))).toEqual(dmMajor(real));
  });

  it('lvm/dmsetup-info-open: config held open (the fake by a process, the recording by a mount)', async () => {
    const w = await active();
    w.holdOpen('vg_lxc1', 'config');
    await w.waitHeld('vg_lxc1', 'config');
    const real = await devices(replay(vmLvm('dmsetup-info-open')));
    expect(real.find((d) => d.lv === 'config')?.openCount).toBe(1);
    expect(dmMajor(await devices(fakeRunner(w)))).toEqual(dmMajor(real));
  });

  it('lvm/dmsetup-info-inactive: nothing of the VG mapped, in the same words', async () => {
    const w = lvmWorld(vmVg);
    const fake = await fakeRunner(w)('dmsetup', DeviceMapperClient.vgDevicesArgs('vg_lxc1'));
    const real = asResult('dmsetup', [], vmLvm('dmsetup-info-inactive'));
    expect(failure(fake)).toEqual(failure(real));
    expect(await devices(fakeRunner(w))).toEqual([]);
    expect(await devices(replay(vmLvm('dmsetup-info-inactive')))).toEqual([]);
  });

  const vgLvs = ['vg_lxc1-config', 'vg_lxc1-ct1', 'vg_lxc1-ct2'];
  const remove = (w: World) => fakeRunner(w)('dmsetup', DeviceMapperClient.removeArgs(vgLvs));

  it('lvm/dmsetup-remove, dmsetup-info-removed: the three closed LVs unmapped, silently; none mapped after', async () => {
    const w = await active();
    expect(failure(await remove(w))).toEqual(failure(asResult('dmsetup', [], vmLvm('dmsetup-remove'))));
    expect(await devices(fakeRunner(w))).toEqual([]);
    expect(await devices(replay(vmLvm('dmsetup-info-removed')))).toEqual([]);
  });

  it('lvm/dmsetup-remove-removed: the same names again, none mapped any more, in the same words', async () => {
    const w = await active();
    await remove(w);
    expect(failure(await remove(w))).toEqual(
      failure(asResult('dmsetup', [], vmLvm('dmsetup-remove-removed'))),
    );
  });

  it('lvm/dmsetup-remove-open, dmsetup-info-after-remove-open: config open refuses, the others go', async () => {
    const w = await active();
    w.holdOpen('vg_lxc1', 'config');
    await w.waitHeld('vg_lxc1', 'config');
    expect(failure(await remove(w))).toEqual(failure(asResult('dmsetup', [], vmLvm('dmsetup-remove-open'))));
    expect(dmMajor(await devices(fakeRunner(w)))).toEqual(
      dmMajor(await devices(replay(vmLvm('dmsetup-info-after-remove-open')))),
    );
  });

  it('lvm-host/dmsetup-info-no-dm: a kernel without device-mapper, in the same words', async () => {
    const w = lvmWorld(hostVg);
    w.edit((s) => {
      (s.lvm as { deviceMapper?: boolean }).deviceMapper = false;
    });
    const fake = await fakeRunner(w)('dmsetup', DeviceMapperClient.vgDevicesArgs('vgrec'));
    const real = asResult('dmsetup', [], hostLvm('dmsetup-info-no-dm'));
    // Every line: failure() drops the device-mapper complaints as the host's noise, and here they are the answer.
    const whole = (r: CommandResult) => ({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
    expect(whole(fake)).toEqual(whole(real));
    await expect(devices(fakeRunner(w), 'vgrec')).rejects.toThrow(/device-mapper|Command failed/);
  });
});

describe('fake vgchange/lvchange = recorded (LvmClient results as describeFailure reads them)', () => {
  // The VM recording held the LV by a mount, the fake by a process: LVM words the first
  // "contains a filesystem in use", the second "in use" (lvm2 lib/activate/dev_manager.c).
  const mountVsProcess = { 'contains a filesystem in use.': 'in use.' };
  const heldOpen = async (): Promise<World> => {
    const w = lvmWorld(vmVg);
    await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    w.holdOpen('vg_lxc1', 'config');
    await w.waitHeld('vg_lxc1', 'config');
    return w;
  };
  const textRename = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v).replaceAll(Object.keys(mountVsProcess)[0] ?? '', 'in use.')) as unknown;

  it('lvm/vgchange-an-open: deactivating a VG with an open LV is refused', async () => {
    const w = await heldOpen();
    const fake = await new LvmClient({ run: fakeRunner(w) }).deactivate('vg_lxc1');
    expect(failure(fake)).toEqual(textRename(failure(asResult('vgchange', [], vmLvm('vgchange-an-open')))));
  });

  it('lvm/lvchange-an-open: deactivating an open LV is refused', async () => {
    const w = await heldOpen();
    const fake = await new LvmClient({ run: fakeRunner(w) }).deactivate('vg_lxc1', { lvs: ['config'] });
    expect(failure(fake)).toEqual(textRename(failure(asResult('lvchange', [], vmLvm('lvchange-an-open')))));
  });

  it('lvm/vgchange-ay-foreign: activating a foreign VG is refused', async () => {
    const w = lvmWorld({ ...vmVg, local: 'node2' });
    const fake = await new LvmClient({ run: fakeRunner(w) }).activate('vg_lxc1');
    expect(failure(fake)).toEqual(failure(asResult('vgchange', [], vmLvm('vgchange-ay-foreign'))));
  });

  const nothing = (): Promise<void> => Promise.resolve();
  // Recorded on node1, the owner, in this order: activate, ct2 off and on again, an LV the VG lacks,
  // deactivate; then activation under lvm.conf volume_list = ["@lxcha-recording"], which vg_lxc1 lacks.
  const changes: readonly [
    string,
    (c: LvmClient) => Promise<unknown>,
    (c: LvmClient) => Promise<CommandResult>,
    string[] | undefined,
  ][] = [
    ['vgchange-ay', nothing, (c) => c.activate('vg_lxc1'), undefined],
    ['vgchange-an', (c) => c.activate('vg_lxc1'), (c) => c.deactivate('vg_lxc1'), undefined],
    [
      'lvchange-an',
      (c) => c.activate('vg_lxc1'),
      (c) => c.deactivate('vg_lxc1', { lvs: ['ct2'] }),
      undefined,
    ],
    [
      'lvchange-ay',
      async (c) => {
        await c.activate('vg_lxc1');
        await c.deactivate('vg_lxc1', { lvs: ['ct2'] });
      },
      (c) => c.activate('vg_lxc1', { lvs: ['ct2'] }),
      undefined,
    ],
    [
      'lvchange-ay-missing',
      (c) => c.activate('vg_lxc1'),
      (c) => c.activate('vg_lxc1', { lvs: ['nosuch'] }),
      undefined,
    ],
    ['vgchange-ay-volume-list', nothing, (c) => c.activate('vg_lxc1'), ['@lxcha-recording']],
    [
      'lvchange-ay-volume-list',
      nothing,
      (c) => c.activate('vg_lxc1', { lvs: ['config'] }),
      ['@lxcha-recording'],
    ],
  ];
  it.each(changes)('lvm/%s', async (name, before, change, volumeList) => {
    const w = lvmWorld(vmVg);
    if (volumeList !== undefined)
      w.edit((s) => {
        s.lvm.volumeList = volumeList;
      });
    const client = new LvmClient({ run: fakeRunner(w) });
    await before(client);
    expect(failure(await change(client))).toEqual(failure(asResult('lvm', [], vmLvm(name))));
    // volume_list refused silently: nothing was activated.
    if (volumeList !== undefined)
      expect((await client.logicalVolumes('vg_lxc1')).filter((lv) => lv.active)).toEqual([]);
  });

  it('lvm-host/vgchange-systemid-foreign: a foreign VG cannot take a system ID without its owner named', async () => {
    const w = lvmWorld({ ...hostVg, local: 'node2' });
    const fake = await new LvmClient({ run: fakeRunner(w) }).setSystemId('vgrec', 'node2');
    expect(failure(fake)).toEqual(failure(asResult('vgchange', [], hostLvm('vgchange-systemid-foreign'))));
  });

  it('lvm-host/vgchange-systemid-take: the owner giving its VG away without -y (recorded arguments)', async () => {
    const fake = await fakeRunner(lvmWorld(hostVg))('vgchange', ['--systemid', 'node2', 'vgrec']);
    expect(failure(fake)).toEqual(failure(asResult('vgchange', [], hostLvm('vgchange-systemid-take'))));
  });

  it.each([
    [
      'vgchange-systemid-takeover',
      { ...hostVg, local: 'node2' },
      (c: LvmClient) => c.setSystemId('vgrec', 'node2', 'node1'),
    ],
    ['vgchange-addtag', hostVg, (c: LvmClient) => c.addTag('vgrec', 'pacemaker-node1')],
    [
      'vgchange-deltag',
      { ...hostVg, tags: ['pacemaker-node1'] },
      (c: LvmClient) => c.deleteTag('vgrec', 'pacemaker-node1'),
    ],
  ] as const)('lvm-host/%s: changed', async (name, vg, change) => {
    const fake = await change(new LvmClient({ run: fakeRunner(lvmWorld(vg)) }));
    expect(failure(fake)).toEqual(failure(asResult('vgchange', [], hostLvm(name))));
  });
});

describe('fake pvs = recorded (LvmClient.physicalVolumes: the LVM filter check)', () => {
  it.each([
    ['pvs-drbd-primary', 'Primary', false],
    ['pvs-drbd-secondary', 'Secondary', false],
    ['pvs-backing-secondary', 'Secondary', true],
    ['pvs-backing-primary', 'Primary', true],
  ] as const)('lvm/%s: r0 %s, filter accepting the backing disk: %s', async (name, role, backingVisible) => {
    const recording = vmLvm(name);
    // The PV's UUID is the recorded VG's (each pvcreate makes a new one).
    const uuid = parsePvs(vmLvm('pvs-drbd-primary').stdout)[0]?.uuid;
    const w = lvmWorld(vmVg);
    w.edit((s) => {
      s.drbd.resources.r0.role = role;
      s.lvm.backingVisible = backingVisible;
      const vg = (s.lvm.vgs as Record<string, { pvUuid?: string }>).vg_lxc1;
      if (vg !== undefined && uuid !== undefined) vg.pvUuid = uuid;
    });
    const fake = await new LvmClient({ run: fakeRunner(w) }).physicalVolumes();
    expect(fake).toEqual(await new LvmClient({ run: replay(recording) }).physicalVolumes());
    const [command = '', ...args] = await clientCommand((run) => new LvmClient({ run }).physicalVolumes());
    const raw = await fakeRunner(w)(command, args);
    expect(failure(raw)).toEqual(failure(asResult(command, args, recording)));
  });

  it('lvm/lvmconfig-use-devicesfile: the devices file is off (Debian 12 default, the provisioned lvm.conf)', async () => {
    const run = fakeRunner(world());
    const real = vmLvm('lvmconfig-use-devicesfile');
    expect(await new LvmClient({ run }).configValue('devices/use_devicesfile')).toBe(0);
    expect(await new LvmClient({ run: replay(real) }).configValue('devices/use_devicesfile')).toBe(0);
    const raw = await run('lvmconfig', ['--typeconfig', 'full', 'devices/use_devicesfile']);
    expect(failure(raw)).toEqual(failure(asResult('lvmconfig', [], real)));
  });
});

describe('fake lsblk and global_filter = recorded (promote’s narrowed filter check)', () => {
  it('lvm/lsblk-two-resources: r0 Secondary, r1 Primary with one LV: the same devices kept off r0’s check', async () => {
    const w = world((s) => {
      (s.drbd.resources as Record<string, unknown>)['r1'] = {
        ...s.drbd.resources.r0,
        device: '/dev/drbd1',
        minor: 1,
        backingDevice: '/dev/vdc',
        role: 'Primary',
      };
      (s.lvm as { vgs: Record<string, unknown> }).vgs = {
        vg_lxc1: { drbd: 'r0', systemId: 'node1', tags: [], lvs: { lv0: { active: false, minor: 1 } } },
        vg_lxc2: { drbd: 'r1', systemId: 'node1', tags: [], lvs: { ct3: { active: true, minor: 0 } } },
      };
    });
    const fake = await new BlockDeviceClient({ run: fakeRunner(w) }).tree();
    const real = await new BlockDeviceClient({ run: replay(vmLvm('lsblk-two-resources')) }).tree();
    const others = (tree: BlockDevice[]) =>
      devicesOnOtherDrbd(tree, ['/dev/drbd0']).map((d) => [d.name, d.kname, d.majMin]);
    expect(others(fake)).toEqual(others(real));
    // The disks: the guest's vda and the backing disks; the VM also lists its loop devices and a spare vdd.
    const disks = (tree: BlockDevice[]) =>
      tree.filter((d) => /^\/dev\/vd[abc]$/.test(d.name)).map((d) => [d.name, d.majMin, d.children.length]);
    expect(disks(fake)).toEqual(disks(real));
  });

  it('lvm/lvmconfig-global-filter: the provisioned global_filter, as a list', async () => {
    const run = fakeRunner(world());
    const fake = await new LvmClient({ run }).configList('devices/global_filter');
    expect(fake).toEqual(
      await new LvmClient({ run: replay(vmLvm('lvmconfig-global-filter')) }).configList(
        'devices/global_filter',
      ),
    );
    expect(fake).toEqual(['a|^/dev/drbd[0-9]+$|', 'r|.*|']);
  });
});

describe('fake lvm systemid and lvmconfig = recorded (LvmClient)', () => {
  it.each(['node1', 'node2'])('lvm/lvm-systemid-%s', async (node) => {
    const fake = await new LvmClient({ run: fakeRunner(lvmWorld({ ...vmVg, local: node })) }).localSystemId();
    expect(fake).toBe(await new LvmClient({ run: replay(vmLvm(`lvm-systemid-${node}`)) }).localSystemId());
  });

  it('lvm/lvm-systemid-none: a node whose lvm.conf gives no system ID', async () => {
    const w = world((s) => {
      s.lvm.systemIdSource = 'none';
    });
    const fake = await fakeRunner(w)('lvm', ['systemid']);
    const real = asResult('lvm', [], vmLvm('lvm-systemid-none'));
    expect(await new LvmClient({ run: fakeRunner(w) }).localSystemId()).toBe('');
    expect(await new LvmClient({ run: replay(vmLvm('lvm-systemid-none')) }).localSystemId()).toBe('');
    expect(failure(fake)).toEqual(failure(real));
  });

  it.each([
    ['one', ['@node1']],
    ['two', ['vg0', '@node1']],
    ['unset', null],
  ] as const)('lvm-host/lvmconfig-volume-list-%s', async (name, list) => {
    const w = world((s) => {
      s.lvm.volumeList = list === null ? null : [...list];
    });
    const run = fakeRunner(w);
    const fake = await new LvmClient({ run }).configList('activation/volume_list');
    const real = await new LvmClient({ run: replay(hostLvm(`lvmconfig-volume-list-${name}`)) }).configList(
      'activation/volume_list',
    );
    expect(fake).toEqual(real);
    const raw = await run('lvmconfig', ['--typeconfig', 'full', 'activation/volume_list']);
    expect(failure(raw)).toEqual(
      failure(asResult('lvmconfig', [], hostLvm(`lvmconfig-volume-list-${name}`))),
    );
  });
});

// ------------------------------------------------------------------ the fake's Pacemaker states

const hostPcmk = (name: string): Recording => hostRecording('pacemaker-host', name);
const { clone, primitive, drbd, node, goneClone } = pacemakerHost;
const fenceId = fenceConstraintId(drbd, clone);
const placeFence = (c: Cib): Promise<void> =>
  c.placeConstraint(fenceConstraintXml(fenceId, clone, node, 'Promoted'));

/** The recorded cluster as the fake holds it: the recorder's clone, node1 a member with its controller up. */
function pcmkWorld(edit: (s: World1State) => void = () => undefined): World {
  return world((s) => {
    s.node = node;
    s.pacemaker.resources = `<resources>${pacemakerHostClone}</resources>`;
    s.pacemaker.status =
      `<status><node_state id="1" uname="${node}" in_ccm="true" crmd="online" join="member" expected="member">` +
      `</node_state></status>`;
    edit(s);
  });
}
/** No cluster: attrd and the CIB down together, as the -down recordings were made. */
const clusterStopped = (s: World1State): void => {
  s.pacemaker.attrdDown = true;
  s.pacemaker.cibDown = true;
};

/** A client call's outcome as its caller sees it: the value, or the ToolError's message. */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await call };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A runner that keeps the results it hands the client, to compare the raw answers beside its reading. */
function kept(run: CommandRunner): { run: CommandRunner; results: CommandResult[] } {
  const results: CommandResult[] = [];
  return {
    results,
    run: async (command, args, options) => {
      const r = await run(command, args, options);
      results.push(r);
      return r;
    },
  };
}

/**
 * One client call against the fake and against the recording: the same outcome (value or error message)
 * and the same raw answer as failure() reads it (exit code, stderr lines, stdout unless `stdout: false`).
 */
async function samePacemaker<C>(
  client: (run: CommandRunner) => C,
  call: (c: C) => Promise<unknown>,
  w: World,
  recording: string,
  { stdout = true }: { stdout?: boolean } = {},
): Promise<{ fake: CommandResult; real: CommandResult }> {
  const fake = kept(fakeRunner(w));
  const real = kept(replay(hostPcmk(recording)));
  expect(await outcome(call(client(fake.run)))).toEqual(await outcome(call(client(real.run))));
  const [f, r] = [fake.results.at(-1), real.results.at(-1)];
  if (f === undefined || r === undefined) throw new Error('the call ran no command');
  // Without stdout, a success's last line is not its output's last line either.
  const read = (x: CommandResult) =>
    stdout ? failure(x) : { ...(failure({ ...x, stdout: '' }) as object), stdout: '-' };
  expect(read(f)).toEqual(read(r));
  return { fake: f, real: r };
}

const score = (run: CommandRunner) => new PromotionScore({ run, resource: `${primitive}:0` });
const cib = (run: CommandRunner) => new Cib({ run });

describe('fake crm_attribute --promotion = recorded Pacemaker 2.1.5 (PromotionScore)', () => {
  it.each([
    ['crm_attribute-update-down', (s: PromotionScore) => s.set(10000)],
    ['crm_attribute-query-down', (s: PromotionScore) => s.get()],
    ['crm_attribute-delete-down', (s: PromotionScore) => s.delete()],
  ] as const)('pacemaker-host/%s: no cluster, every call fails alike', async (name, call) => {
    await samePacemaker(score, call, pcmkWorld(clusterStopped), name);
  });

  it('pacemaker-host/crm_attribute-version: the Pacemaker release, with no cluster running', async () => {
    const { real } = await samePacemaker(
      score,
      (s) => s.version(),
      pcmkWorld(clusterStopped),
      'crm_attribute-version',
    );
    expect(real.stdout.split('\n')[0]).toBe('Pacemaker 2.1.5');
  });

  it('pacemaker-host/crm_attribute-query-absent: no score is undefined', async () => {
    await samePacemaker(score, (s) => s.get(), pcmkWorld(), 'crm_attribute-query-absent');
  });

  it('pacemaker-host/crm_attribute-update, -query-present: the score set, then read back', async () => {
    const w = pcmkWorld();
    await samePacemaker(score, (s) => s.set(10000), w, 'crm_attribute-update');
    await samePacemaker(score, (s) => s.get(), w, 'crm_attribute-query-present');
    // Pacemaker keeps the score as node attribute master-<resource> (recorded in the status section).
    const recorded = /<nvpair [^>]*name="(master-[^"]*)" value="10000"/.exec(
      hostPcmk('cibadmin-query-status').stdout,
    );
    expect(Object.keys(w.state().pacemaker.attributes)).toEqual([recorded?.[1]]);
  });

  it('pacemaker-host/crm_attribute-delete, -delete-absent: deleting a score, and deleting none', async () => {
    const w = pcmkWorld((s) => {
      s.pacemaker.attributes[`master-${primitive}`] = '10000';
    });
    await samePacemaker(score, (s) => s.delete(), w, 'crm_attribute-delete');
    expect(w.state().pacemaker.attributes).toEqual({});
    await samePacemaker(score, (s) => s.delete(), w, 'crm_attribute-delete-absent');
  });
});

describe('fake cibadmin = recorded Pacemaker 2.1.5 (Cib, parseCib and its readers)', () => {
  it.each([
    ['cibadmin-query-down', (c: Cib) => c.query('resources')],
    ['cibadmin-modify-down', placeFence],
    ['cibadmin-delete-down', (c: Cib) => c.deleteConstraint(fenceId)],
  ] as const)('pacemaker-host/%s: no cluster, every call fails alike', async (name, call) => {
    await samePacemaker(cib, call, pcmkWorld(clusterStopped), name);
  });

  it('pacemaker-host/cibadmin-query-resources: the resources section, and the clone that manages r0', async () => {
    const w = pcmkWorld();
    await samePacemaker(cib, (c) => c.query('resources'), w, 'cibadmin-query-resources', { stdout: false });
    const managing = async (run: CommandRunner) => findManagingClone(await cib(run).query('resources'), drbd);
    const real = await managing(replay(hostPcmk('cibadmin-query-resources')));
    expect(await managing(fakeRunner(w))).toEqual(real);
    expect(real).toMatchObject({ cloneId: clone, primitiveId: primitive });
  });

  it('pacemaker-host/cibadmin-query-status: the node states the handler reads', async () => {
    const w = pcmkWorld();
    // The fake holds a hand-written node_state; the recording has Pacemaker's (with the probe and the score).
    const { real } = await samePacemaker(
      cib,
      async (c) => parseNodeStates(await c.query('status')),
      w,
      'cibadmin-query-status',
      { stdout: false },
    );
    expect(parseNodeStates(parseCib(real.stdout))).toEqual([
      { uname: node, online: true, member: true, expectedDown: false },
    ]);
  });

  it('pacemaker-host/cibadmin-query-constraints-empty: no constraint', async () => {
    const w = pcmkWorld();
    await samePacemaker(cib, (c) => c.query('constraints'), w, 'cibadmin-query-constraints-empty');
    const has = (run: CommandRunner) => cib(run).hasConstraint(fenceId);
    expect(await has(fakeRunner(w))).toBe(false);
    expect(await has(replay(hostPcmk('cibadmin-query-constraints-empty')))).toBe(false);
  });

  it('pacemaker-host/cibadmin-modify, -query-constraints, -delete, -delete-absent: the fencing constraint placed, read, lifted, lifted again', async () => {
    const w = pcmkWorld();
    await samePacemaker(cib, placeFence, w, 'cibadmin-modify');
    // The parsed section is compared (the fake prints the client's XML as sent, Pacemaker re-indents it).
    await samePacemaker(cib, (c) => c.query('constraints'), w, 'cibadmin-query-constraints', {
      stdout: false,
    });
    expect(await cib(fakeRunner(w)).hasConstraint(fenceId)).toBe(true);
    await samePacemaker(cib, (c) => c.deleteConstraint(fenceId), w, 'cibadmin-delete');
    expect(w.state().pacemaker.constraints).toEqual([]);
    await samePacemaker(cib, (c) => c.deleteConstraint(fenceId), w, 'cibadmin-delete-absent');
  });

  it('pacemaker-host/cibadmin-modify-schema-refusal: a constraint for a resource the CIB does not hold', async () => {
    const w = pcmkWorld();
    // stdout: the recording holds the rejected CIB, which no client reads and the fake does not print (a gap).
    const { real } = await samePacemaker(
      cib,
      (c) =>
        c.placeConstraint(
          fenceConstraintXml(fenceConstraintId(drbd, goneClone), goneClone, node, 'Promoted'),
        ),
      w,
      'cibadmin-modify-schema-refusal',
      { stdout: false },
    );
    expect(real.stdout).toMatch(/^<cib /);
    expect(w.state().pacemaker.constraints).toEqual([]);
  });
});

describe('fake crm_node = recorded Pacemaker 2.1.5 (Cib.localNodeName)', () => {
  it('pacemaker-host/crm_node-name', async () => {
    await samePacemaker(cib, (c) => c.localNodeName(), pcmkWorld(), 'crm_node-name');
  });
});

// ------------------------------------------------------------------ gaps and completeness

/**
 * What the fake can print that has no recording (no real output of that state exists in test/fixtures),
 * and what it prints that no agent parses. Each names the fake's lines by a fragment of their source.
 * Recordings can only be made on real DRBD/LVM/Pacemaker (test/cluster --record-only, the host record.sh
 * scripts, test/fixtures/pacemaker-host/record.ts).
 */
const gaps: readonly { readonly state: string; readonly why: string; readonly prints: readonly string[] }[] =
  [
    {
      state: 'drbdadm adjust of a resource that is not up, with its backing device missing',
      why: 'the recorder records only up in that state (no-backing.drbdadm-up); the fake answers adjust as that up',
      prints: [],
    },
    {
      state: 'fake misused (unknown tool, unmodelled subcommand)',
      why: 'the fake’s own diagnostics, not a tool state',
      prints: [
        "unknown tool '${tool}'",
        "fake drbdadm: '${sub}' is not modelled",
        "fake drbdsetup: '${sub}' is not modelled",
        "fake lvm: '${args[0]}' is not modelled",
        "fake lvmconfig: '${argv.join(' ')}' is not modelled",
        'fake cibadmin: not modelled',
        'fake dmsetup: not modelled',
      ],
    },
    {
      state: 'drbdadm role/cstate/dstate on DRBD 9 (module "9")',
      why: "DRBD 9 cannot be recorded here; the fake prints the 8.4 format there (its `if (drbd.module === '9')` block is empty); no agent reads them on 9 (events2)",
      prints: [],
    },
    {
      state: 'drbdadm dump of a resource with more than two nodes (the fake with extraPeers: DRBD 9)',
      why: 'not recorded; drbd-utils 9.22 here prints one more `on` section per node, in the recorded layout (tried on this host with a three-node file, not recorded)',
      prints: [],
    },
    {
      state: 'a Consistent disk (the allow_consistent worlds of the agent tests)',
      why: 'not recorded: 8.4 attaches a disk as Consistent (fencing resource-only) only while its peer is unknown and not marked Outdated; the recorder’s lone `drbdadm up` (drbd-8.4/up-alone) found the peer marked Outdated and came up UpToDate, and a peer lost without a clean disconnect (a crash) is not among its steps. Printed by the same lines as the recorded disk states',
      prints: [],
    },
    {
      state: 'drbdsetup events2 on DRBD 9 (module "9")',
      why: 'not recordable here: held only to test/fixtures/drbd-9, which is hand-written after LINBIT’s documentation, not a recording',
      prints: [
        'exists resource name:${name} role:${res.role} suspended:no force-io-failures:no',
        'exists connection name:${name} peer-node-id:1 conn-name:${peerName}',
        'exists device name:${name} volume:0 minor:${res.minor} backing_dev:',
        'exists peer-device name:${name} peer-node-id:1 conn-name:${peerName}',
      ],
    },
    {
      state: 'cibadmin --modify refused by the schema: the rejected CIB on stdout',
      why: 'pacemaker-host/cibadmin-modify-schema-refusal prints the whole CIB with the change applied; no client reads it (the fake’s exit code and stderr are compared), and the fake holds no whole CIB to print',
      prints: [],
    },
    {
      state:
        'crm_attribute --promotion update or delete timing out inside a running cluster (attrd busy or hung)',
      why: 'not recorded (it needs a cluster whose attrd does not answer); exit 124 and the wording are assumed. The agent reads neither: any failure other than "Could not connect to the CIB" is retried, and counted in recurring monitors',
      prints: ["complain('crm_attribute: Could not update the promotion score: Timer expired')"],
    },
    {
      state: 'crm_attribute --version of a Pacemaker before 2.1 (the fake with pacemaker.version set)',
      why: 'only 2.1.5 is installed here; the older release is assumed to print the same first line (`Pacemaker X.Y.Z`), by the line recorded from 2.1.5',
      prints: [],
    },
    {
      state: 'an LVM command reading a Primary DRBD device whose I/O is frozen (ioFrozen), and --devices',
      why: 'the real command waits until its caller kills it (test/drbd-lvm-vm/frozen-neighbour.ts proves the wait and that promote, monitor and demote do not read such a device); the fake fails at once, naming the device. What pvs prints under --devices or a narrowed global_filter is the recorded pvs format (the same report lines)',
      prints: ['complain(`fake: ${tool} would wait here: it reads ${device}, whose DRBD I/O is frozen`)'],
    },
    {
      state: 'crm_node --name with the cluster stopped',
      why: 'not modelled: the fake always answers its node; Pacemaker 2.1.5 says "error: Could not connect to controller: Connection refused", exit 102 (seen on this host, not recorded); the fence-peer handler falls back to the host name',
      prints: [],
    },
  ];

/** The fake's printing lines that the comparisons above exercise (fragments of their source). */
const compared: readonly string[] = [
  // drbdadm configuration side, unknown resource, unreadable configuration
  "`Can not open '${a[1]}'.`",
  "complain('.')",
  "`Can not open '/etc/drbd.conf'.`",
  'not defined in your config (for this host).',
  'say(res.device)',
  'say(String(res.minor))',
  "say(res.backingDevice ?? '/dev/vdb')",
  // drbdadm role/cstate/dstate while up (also Unconfigured: no-backing) or not up (down-md); no module;
  // state changes refused (outdated, secondary-peer-primary, held-open), up already up or without its disk
  "'Unconfigured' : `${res.role}/${peer.role}`",
  "'Unconfigured' : peer.cstate",
  "'Unconfigured' : `${res.disk}/${peer.disk}`",
  "say(res.storedDisk ?? 'UpToDate')",
  "complain('failed to demote')",
  "`Command 'drbdsetup-84 ${sub} ${object}' terminated with exit code ${exit}`",
  "`Device '${res.minor}' is configured!`",
  '`open(${backing}) failed: No such file or directory`',
  "internal apply-al' terminated with exit code 20`",
  'Failure: (127) Device minor not allocated',
  "complain('additional info from kernel:')",
  "complain('unknown minor')",
  "`Command 'drbdsetup-84 ${sub} ${res.minor}' terminated with exit code 10`",
  'State change failed: (${code}) ${text}',
  'Failed to modprobe drbd (No such file or directory)',
  "`Command 'drbdsetup ${sub} ${name}${minor}${tail}' terminated with exit code 20`",
  "`Command 'drbdsetup new-resource ${name} 1' terminated with exit code 20`",
  "`open(${res.backingDevice ?? '/dev/vdb'}) failed: No such file or directory`",
  "internal dstate' terminated with exit code 20",
  // drbdsetup events2 on 8.4
  "say('exists -')",
  'exists resource name:${name} role:${res.role} suspended:no`',
  'exists connection name:${name} peer-node-id:0${conn}',
  'exists device name:${name} volume:0 minor:${res.minor} disk:${res.disk}`',
  'exists peer-device name:${name} peer-node-id:0${conn}',
  'say(dumpText(name, res))',
  // LVM
  "say(lines.join('\\n'))",
  'Volume group "${name}" not found',
  'Cannot process volume group ${name}',
  'Cannot access VG ${name} with system ID',
  'Logical volume ${vgName}/${lvName} in use.',
  "Can't deactivate volume group",
  'WARNING: Requested system ID',
  'WARNING: Volume group ${name} might become inaccessible',
  'Set foreign system ID ${systemId} on volume group ${name}? [y/n]: [n]',
  'Volume group ${name} system ID not changed.',
  'Volume group "${name}" successfully changed',
  'logical volume(s) in volume group "${vgName}" now active',
  'Failed to find logical volume',
  'say(`volume_list="${lvm.volumeList[0]}"`)',
  'say(`volume_list=[${lvm.volumeList.map',
  'say(`  system ID: ${localSystemId()}`)',
  'WARNING: Not using device ${backing} for PV ${uuid}.',
  'WARNING: PV ${uuid} prefers device ${drbdDevice} because',
  'say(`use_devicesfile=${lvm.useDevicesFile ? 1 : 0}`)',
  // dmsetup
  "say('No devices found')",
  'say(rows.join',
  "complain('/dev/mapper/control: open failed: No such device')",
  "complain('Failure to communicate with kernel device-mapper driver.')",
  "complain('Check that device-mapper is available in the kernel.')",
  'Incompatible libdevmapper 1.02.185 (2022-05-18) and kernel driver (unknown version).',
  "complain('Command failed.')",
  'complain(`device-mapper: remove ioctl on ${name}  failed: ${refusal}`)',
  // Pacemaker
  'crm_attribute: Could not connect to the CIB',
  'crm_attribute: Error performing operation',
  'say(pcmk.attributes[name])',
  "say(`Pacemaker ${pcmk.version ?? '2.1.5'}`)",
  "say('Written by Andrew Beekhof and the Pacemaker project contributors')",
  "'Could not connect to the CIB: Transport endpoint is not connected'",
  'Init failed, could not perform requested operations',
  'say(pcmk.resources)',
  'say(pcmk.status)',
  // lsblk and lvmconfig devices/global_filter (lvm/lsblk-two-resources, lvmconfig-global-filter)
  'say(JSON.stringify({ blockdevices: disks }, null, 3))',
  "say(`global_filter=[${filter.map((p) => JSON.stringify(p)).join(',')}]`)",
  "say('<constraints/>')",
  '<constraints>\\n',
  'Call cib_modify failed: Update does not conform to the configured schema',
  'say(state.node)',
];

/** Every say(…)/complain(…) call in the fake, as source text with its whitespace collapsed. */
function printingLines(source: string): string[] {
  const found: string[] = [];
  const re = /\b(say|complain)\(/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    if (source.slice(m.index - 6, m.index) === 'const ') continue; // the definitions themselves
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < source.length; end++) {
      if (source[end] === '(') depth++;
      else if (source[end] === ')' && --depth === 0) break;
    }
    found.push(source.slice(m.index, end + 1).replace(/\s+/g, ' '));
  }
  return found;
}

describe('the contract covers every line the fake prints', () => {
  const lines = printingLines(readFileSync(FAKE, 'utf8'));
  const claims = [...compared, ...gaps.flatMap((g) => g.prints)].map((c) => c.replace(/\s+/g, ' '));

  it('finds the fake’s printing lines', () => {
    expect(lines.length).toBeGreaterThan(50);
  });

  it('each printing line is compared against a recording or listed as a gap', () => {
    expect(lines.filter((l) => !claims.some((c) => l.includes(c)))).toEqual([]);
  });

  it('each claim still names a line of the fake', () => {
    expect(claims.filter((c) => !lines.some((l) => l.includes(c)))).toEqual([]);
  });
});

// Shown in every run's report: the fake's states that no recording checks.
describe('fake states without a recording (gaps)', () => {
  for (const gap of gaps) it.todo(`${gap.state}: ${gap.why}`);
});
