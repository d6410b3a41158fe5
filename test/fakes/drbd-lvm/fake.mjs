#!/usr/bin/env node
// One fake for drbdadm, drbdsetup, vgs, lvs, pvs, vgchange, lvchange, lvm, lvmconfig, dmsetup, lsblk, crm_attribute,
// cibadmin and crm_node: models DRBD's and LVM's state machines in the JSON file named by LXCHA_FAKE_STATE and
// answers in the formats recorded from the real tools (test/fixtures/). Every call is appended to
// LXCHA_FAKE_LOG (when set), so tests can prove that a failed action changed nothing.
// Usage: fake.mjs TOOL ARGS… (the wrappers beside this file pass their own name as TOOL).
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const [tool = '', ...args] = process.argv.slice(2);
const statePath = process.env.LXCHA_FAKE_STATE;
if (statePath === undefined) {
  process.stderr.write(`${tool}: fake: LXCHA_FAKE_STATE is not set\n`);
  process.exit(99);
}
if (process.env.LXCHA_FAKE_LOG)
  appendFileSync(process.env.LXCHA_FAKE_LOG, `${JSON.stringify([tool, ...args])}\n`);

const original = readFileSync(statePath, 'utf8');
const state = JSON.parse(original);
let out = '';
let err = '';
const say = (text) => void (out += `${text}\n`);
const complain = (text) => void (err += `${text}\n`);
const finish = (code) => {
  const now = `${JSON.stringify(state, null, 2)}\n`;
  if (now !== original) {
    writeFileSync(`${statePath}.tmp`, now);
    renameSync(`${statePath}.tmp`, statePath);
  }
  process.stdout.write(out);
  process.stderr.write(err);
  process.exit(code);
};

// ---------------------------------------------------------------- DRBD
const drbd = state.drbd;
const resources = drbd.resources;

function resourceOrFail(name) {
  const res = resources[name];
  if (res === undefined || res.configured === false) {
    complain(`'${name}' not defined in your config (for this host).`);
    finish(1);
  }
  return res;
}

/** Active LVs of VGs on this resource hold the DRBD device open (device-mapper is its opener). */
const vgsOn = (name) => Object.entries(state.lvm.vgs).filter(([, vg]) => vg.drbd === name);
const heldOpen = (name) => vgsOn(name).some(([, vg]) => Object.values(vg.lvs).some((lv) => lv.active));

const connected = (res) => res.up && !res.standalone && res.peer?.reachable && res.peer.up !== false;

/**
 * A connected pair of UpToDate and Inconsistent disks is always resyncing (recorded: drbd-8.4/synctarget.*,
 * syncsource.*): DRBD shows no stable Connected state between them.
 */
function resyncing(res) {
  if (!connected(res)) return undefined;
  if (res.disk === 'Inconsistent' && res.peer.disk === 'UpToDate') return 'target';
  if (res.disk === 'UpToDate' && res.peer.disk === 'Inconsistent') return 'source';
  return undefined;
}

function peerView(res) {
  if (!connected(res))
    return {
      cstate: res.up ? (res.standalone ? 'StandAlone' : 'WFConnection') : 'Unconfigured',
      role: 'Unknown',
      disk: 'DUnknown',
    };
  const resync = resyncing(res);
  const cstate = resync === 'source' ? 'SyncSource' : resync === 'target' ? 'SyncTarget' : 'Connected';
  return { cstate, role: res.peer.role, disk: res.peer.disk };
}

/**
 * A minor without disk and network (what a `drbdadm up` that could not attach leaves behind): 8.4's role,
 * cstate and dstate all say Unconfigured there (recorded: drbd-8.4/no-backing.*), events2 does not.
 */
const unconfigured = (res) => res.up && res.standalone && res.disk === 'Diskless' && res.role === 'Secondary';

function notUp84(name, sub) {
  const res = resources[name];
  complain(`${res.minor}: Failure: (127) Device minor not allocated`);
  complain('additional info from kernel:');
  complain('unknown minor');
  complain(`Command 'drbdsetup-84 ${sub} ${res.minor}' terminated with exit code 10`);
  finish(10);
}

// A refused state change, as recorded on 8.4 (test/fixtures/drbd-8.4/outdated.drbdadm-primary,
// secondary-peer-primary.drbdadm-primary, held-open.*): drbdsetup exits 17 for "Need access to UpToDate
// data" (-2) and 11 for the others; `down` names the resource, not the minor, and why the kernel gave up.
function stateChangeFailed(name, sub, code, text) {
  const res = resources[name];
  const exit = code === -2 ? 17 : 11;
  const object = sub === 'down' ? name : res.minor;
  complain(`${object}: State change failed: (${code}) ${text}`);
  if (sub === 'down') {
    complain('additional info from kernel:');
    complain('failed to demote');
  }
  complain(`Command 'drbdsetup-84 ${sub} ${object}' terminated with exit code ${exit}`);
  finish(exit);
}

// Recorded without a module (test/fixtures/drbd-host/*-no-module.json): drbdadm names the drbdsetup call it
// made (cstate with the minor, primary with --force), drbdsetup itself only the modprobe failure.
function noModule(sub, name, tail = '') {
  complain('Failed to modprobe drbd (No such file or directory)');
  if (sub === 'events2') finish(20);
  const minor = sub === 'cstate' ? ` ${resources[name]?.minor ?? 0}` : '';
  complain(`Command 'drbdsetup ${sub} ${name}${minor}${tail}' terminated with exit code 20`);
  finish(20);
}

/**
 * drbdadm's normalised configuration, as drbd-utils 9.22 prints it (drbd-host/dump): this node, the peer, and
 * `extraPeers` (a DRBD 9 resource of more nodes, unrecorded) as `on` sections.
 */
function dumpText(name, res) {
  const nodes = [state.node, res.peerName ?? 'node2', ...(res.extraPeers ?? [])];
  const sections = nodes.flatMap((node, i) => [
    `    on ${node} {`,
    `        node-id ${i};`,
    `        address          ipv4 169.254.10.${i + 1}:7789;`,
    '    }',
  ]);
  const head = [
    `# resource ${name} on ${state.node}: not ignored, not stacked`,
    `# defined at /etc/drbd.d/${name}.res:1`,
  ];
  const body = [
    `    device               ${res.device} minor ${res.minor};`,
    `    disk                 ${res.backingDevice ?? '/dev/vdb'};`,
  ];
  return [
    ...head,
    `resource ${name} {`,
    ...body,
    '    meta-disk            internal;',
    ...sections,
    '}',
    '',
  ].join('\n');
}

function drbdadm(argv) {
  let a = [...argv];
  if (a[0] === '-c') {
    if (!existsSync(a[1] ?? '') && a[1] !== state.drbd.config) {
      complain(`Can not open '${a[1]}'.`);
      complain('.');
      finish(20);
    }
    a = a.slice(2);
  }
  const sub = a[0];
  const name = a
    .slice(1)
    .filter((x) => !x.startsWith('-'))
    .at(-1);
  if (drbd.unreadableConfig) {
    complain(`Can not open '/etc/drbd.conf'.`);
    complain('.');
    finish(20);
  }
  const res = resourceOrFail(name);
  switch (sub) {
    case 'sh-dev':
      say(res.device);
      return finish(0);
    case 'sh-minor':
      say(String(res.minor));
      return finish(0);
    case 'sh-ll-dev':
      say(res.backingDevice ?? '/dev/vdb');
      return finish(0);
    case 'dump':
      say(dumpText(name, res));
      return finish(0);
  }
  if (drbd.module === '9' && ['role', 'cstate', 'dstate'].includes(sub)) {
    // drbd-utils 9 on a DRBD 9 kernel prints the 9 formats; the client uses events2 there.
  }
  // No module, and none can be loaded (as on the host of test/fixtures/drbd-host/*-no-module.json).
  if (
    !drbd.loaded &&
    ['role', 'cstate', 'dstate', 'primary', 'secondary', 'down', 'up', 'adjust'].includes(sub)
  ) {
    switch (sub) {
      case 'down':
      case 'secondary':
        // Nothing to take down or demote: drbdadm says so only by the modprobe failure, and succeeds.
        complain('Failed to modprobe drbd (No such file or directory)');
        return finish(0);
      case 'up':
      case 'adjust':
        complain('Failed to modprobe drbd (No such file or directory)');
        complain(`Command 'drbdsetup new-resource ${name} 1' terminated with exit code 20`);
        return finish(1);
      case 'dstate':
        // Without a module drbdadm takes the meta data for DRBD 9's (v09).
        complain(`open(${res.backingDevice ?? '/dev/vdb'}) failed: No such file or directory`);
        complain(
          `Command 'drbdmeta ${res.minor} v09 ${res.backingDevice ?? '/dev/vdb'} internal dstate' terminated with exit code 20`,
        );
        return finish(20);
      default:
        return noModule(sub, name, a.includes('--force') ? ' --force' : '');
    }
  }
  const peer = peerView(res);
  switch (sub) {
    case 'role':
      if (!res.up) return notUp84(name, 'role');
      say(unconfigured(res) ? 'Unconfigured' : `${res.role}/${peer.role}`);
      return finish(0);
    case 'cstate':
      if (!res.up) return notUp84(name, 'cstate');
      say(unconfigured(res) ? 'Unconfigured' : peer.cstate);
      return finish(0);
    case 'dstate':
      // Not up: drbdadm reads the meta data, which keeps the local disk state (drbd-8.4/down-md.*).
      if (!res.up) say(res.storedDisk ?? 'UpToDate');
      else say(unconfigured(res) ? 'Unconfigured' : `${res.disk}/${peer.disk}`);
      return finish(0);
    case 'up':
      return bringUp(res);
    case 'down':
      if (!res.up) return finish(0);
      if (res.role === 'Primary' && heldOpen(name))
        return stateChangeFailed(name, 'down', -12, 'Device is held open by someone');
      res.up = false;
      // The meta data keeps the disk's state; a minor without a disk leaves it as it was.
      if (res.disk !== 'Diskless') res.storedDisk = res.disk;
      res.role = 'Secondary';
      return finish(0);
    case 'primary': {
      if (!res.up) return notUp84(name, 'primary');
      if (res.role === 'Primary') return finish(0);
      if (peer.role === 'Primary' && !res.allowTwoPrimaries)
        return stateChangeFailed(name, 'primary', -1, 'Multiple primaries not allowed by config');
      // A connected node may be Primary on its peer's UpToDate data: also a SyncTarget
      // (drbd-8.4/synctarget.drbdadm-primary); alone it needs UpToDate data of its own.
      const upToDate = res.disk === 'UpToDate' || (connected(res) && peer.disk === 'UpToDate');
      if (!upToDate && !a.includes('--force'))
        return stateChangeFailed(name, 'primary', -2, 'Need access to UpToDate data');
      res.role = 'Primary';
      if (a.includes('--force')) res.disk = 'UpToDate';
      return finish(0);
    }
    case 'secondary':
      if (!res.up) return notUp84(name, 'secondary');
      if (res.role === 'Primary' && heldOpen(name))
        return stateChangeFailed(name, 'secondary', -12, 'Device is held open by someone');
      // Another program's scan (LVM's, udev's blkid) holding the device for a moment: the next tries fail
      // the same way (seen in the cluster: a promote of the other resource scanning while this one demotes).
      if (res.role === 'Primary' && (res.transientOpens ?? 0) > 0) {
        res.transientOpens -= 1;
        return stateChangeFailed(name, 'secondary', -12, 'Device is held open by someone');
      }
      res.role = 'Secondary';
      return finish(0);
    case 'adjust':
      // Of a resource that is not up: what up does (recorded: down-md.drbdadm-adjust; without the
      // backing device only up is recorded, so adjust is modelled on no-backing.drbdadm-up, a listed gap).
      if (!res.up) return bringUp(res);
      res.standalone = false;
      return finish(0);
    default:
      complain(`fake drbdadm: '${sub}' is not modelled`);
      return finish(20);
  }
}

/** drbdadm up (and adjust of a resource that is not up). */
function bringUp(res) {
  const backing = res.backingDevice ?? '/dev/vdb';
  // Recorded: up of a resource that is up stops at drbdmeta (drbd-8.4/secondary-connected.drbdadm-up),
  // up without the backing device leaves the minor Diskless and StandAlone (drbd-8.4/no-backing.*).
  if (res.up) complain(`Device '${res.minor}' is configured!`);
  else if (res.backingPresent === false) {
    complain(`open(${backing}) failed: No such file or directory`);
    Object.assign(res, { up: true, role: 'Secondary', disk: 'Diskless', standalone: true });
  }
  if (res.up) {
    complain(`Command 'drbdmeta ${res.minor} v08 ${backing} internal apply-al' terminated with exit code 20`);
    return finish(1);
  }
  res.up = true;
  res.role = 'Secondary';
  res.disk = res.storedDisk ?? 'UpToDate';
  res.standalone = false;
  return finish(0);
}

function drbdsetup(argv) {
  const [sub, ...rest] = argv;
  const name = rest.find((x) => !x.startsWith('--'));
  if (sub !== 'events2') {
    complain(`fake drbdsetup: '${sub}' is not modelled`);
    return finish(20);
  }
  if (!drbd.loaded) return noModule('events2', name ?? 'all');
  if (name !== undefined && resources[name]?.configured === false) {
    // drbdsetup knows no configuration: an unknown resource is simply absent (recorded: unknown.*).
    say('exists -');
    return finish(0);
  }
  const res = name === undefined ? undefined : resources[name];
  if (res !== undefined && res.up) {
    const peerName = res.peerName ?? 'node2';
    const p = peerView(res);
    const connection = res.standalone
      ? 'StandAlone'
      : !res.peer?.reachable || res.peer.up === false
        ? 'Connecting'
        : 'Connected';
    const resync = resyncing(res);
    const replication =
      resync === 'source'
        ? 'SyncSource'
        : resync === 'target'
          ? 'SyncTarget'
          : connection === 'Connected'
            ? 'Established'
            : 'Off';
    if (drbd.module === '9') {
      // LINBIT's documented DRBD 9 format (not recordable here: no DRBD 9 kernel).
      say(
        `exists resource name:${name} role:${res.role} suspended:no force-io-failures:no may_promote:no promotion_score:0`,
      );
      say(
        `exists connection name:${name} peer-node-id:1 conn-name:${peerName} connection:${connection} role:${p.role}`,
      );
      say(
        `exists device name:${name} volume:0 minor:${res.minor} backing_dev:${res.backingDevice ?? '/dev/vdb'} disk:${res.disk} client:no quorum:yes`,
      );
      say(
        `exists peer-device name:${name} peer-node-id:1 conn-name:${peerName} volume:0 replication:${replication} peer-disk:${p.disk} peer-client:no resync-suspended:no`,
      );
    } else {
      // drbd-utils 9.22 on DRBD 8.4.11, as recorded (test/fixtures/drbd-8.4/*.drbdsetup-events2-now.stdout):
      // no conn-name while StandAlone.
      const conn = connection === 'StandAlone' ? '' : ' conn-name:peer';
      say(`exists resource name:${name} role:${res.role} suspended:no`);
      say(`exists connection name:${name} peer-node-id:0${conn} connection:${connection} role:${p.role}`);
      say(`exists device name:${name} volume:0 minor:${res.minor} disk:${res.disk}`);
      say(
        `exists peer-device name:${name} peer-node-id:0${conn} volume:0 replication:${replication} peer-disk:${p.disk} resync-suspended:no`,
      );
    }
  }
  say('exists -');
  return finish(0);
}

// ---------------------------------------------------------------- LVM
const lvm = state.lvm;
const devRoot = lvm.devRoot;

function splitConfig(argv) {
  const rest = [];
  const configs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') configs.push(argv[++i] ?? '');
    else if (argv[i] === '--devices')
      i++; // read once below (scope)
    else rest.push(argv[i]);
  }
  return { rest, config: configs.join(' ') };
}

/** `--devices a,b` (LVM 2.03.12+): the only devices an LVM command reads; undefined: every device. */
const scope = args.includes('--devices') ? (args[args.indexOf('--devices') + 1] ?? '').split(',') : undefined;
const inScope = (device) => scope === undefined || scope.includes(device);
const drbdDeviceOf = (res) => `/dev/drbd${res.minor ?? 0}`;
/** devices/global_filter: lvm.conf's (`lvm.globalFilter`, the provisioned one by default) or --config's. */
const provisionedFilter = ['a|^/dev/drbd[0-9]+$|', 'r|.*|'];
const globalFilterOf = (config) => {
  const list = /global_filter=\[([^\]]*)\]/.exec(config)?.[1];
  if (list === undefined) return lvm.globalFilter ?? provisionedFilter;
  return [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
};
/** LVM's regex filter on one name: the first pattern that matches decides; none matching accepts. */
const accepted = (filter, name) => {
  for (const pattern of filter) {
    const body = pattern.slice(2, pattern.lastIndexOf(pattern[1]));
    if (new RegExp(body).test(name)) return pattern[0] === 'a';
  }
  return true;
};

/**
 * The label scan every vgs, lvs, pvs, vgchange and lvchange starts with: it reads each device in scope that
 * the global filter accepts, and a read of a Primary DRBD device whose I/O is frozen (`ioFrozen`: a lost
 * peer under resource-and-stonith, until its fence-peer handler answers) waits. The real command hangs
 * until its caller's deadline kills it; the fake fails at once, naming the device, so a test sees which
 * command read it. With `--devices` LVM 2.03.16 ignores the filters (seen in the VM stage): so does this.
 */
function labelScan(argv) {
  const { config } = splitConfig(argv);
  const filter = globalFilterOf(config);
  for (const res of Object.values(resources)) {
    const device = drbdDeviceOf(res);
    const read = scope !== undefined ? scope.includes(device) : accepted(filter, device);
    if (res.ioFrozen && res.up && res.role === 'Primary' && read) {
      complain(`fake: ${tool} would wait here: it reads ${device}, whose DRBD I/O is frozen`);
      finish(124);
    }
  }
}

const localSystemId = () => (lvm.systemIdSource === 'none' ? '' : (lvm.systemId ?? ''));
/** A VG is seen only where its DRBD device is Primary (a Secondary's device refuses to be read). */
const visible = (vg) => {
  if (vg.drbd === undefined) return true;
  const res = resources[vg.drbd];
  return res !== undefined && res.up && res.role === 'Primary' && inScope(drbdDeviceOf(res));
};
const foreign = (vg, config) => {
  if (!vg.systemId) return false;
  if (vg.systemId === localSystemId()) return false;
  const extra = /extra_system_ids=\[([^\]]*)\]/.exec(config)?.[1] ?? '';
  return ![...extra.matchAll(/"([^"]*)"/g)].some((m) => m[1] === vg.systemId);
};
const lvPath = (vgName, lvName) => path.join(devRoot, vgName, lvName);

/** An LV is open when a process has its device node open, as the kernel's open count says. */
function openers(file) {
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) return true;
      } catch {
        /* gone */
      }
    }
  }
  return false;
}

function report(kind, rows) {
  const lines = ['  {', '      "report": [', '          {', `              "${kind}": [`];
  rows.forEach((row, i) => {
    const body = Object.entries(row)
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(', ');
    lines.push(`                  {${body}}${i < rows.length - 1 ? ',' : ''}`);
  });
  lines.push('              ]', '          }', '      ]', '  }');
  say(lines.join('\n'));
}

function notFound(name) {
  complain(`  Volume group "${name}" not found`);
  complain(`  Cannot process volume group ${name}`);
  finish(5);
}

function cannotAccess(name, vg) {
  complain(
    `  Cannot access VG ${name} with system ID ${vg.systemId} with ${localSystemId() ? `local system ID ${localSystemId()}` : 'unknown local system ID'}.`,
  );
  finish(5);
}

function vgRow(name, vg) {
  return {
    vg_name: name,
    vg_systemid: vg.systemId ?? '',
    vg_tags: (vg.tags ?? []).join(','),
    vg_attr: 'wz--n-',
    lv_count: String(Object.keys(vg.lvs).length),
  };
}

function vgsOrLvs(kind, argv) {
  const { rest, config } = splitConfig(argv);
  const names = rest.filter(
    (x, i) => !x.startsWith('-') && !['-o', '--reportformat'].includes(rest[i - 1] ?? ''),
  );
  const foreignToo = rest.includes('--foreign');
  const rows = [];
  let missing;
  for (const name of names) {
    const vg = lvm.vgs[name];
    if (vg === undefined || !visible(vg)) {
      missing = name;
      continue;
    }
    if (foreign(vg, config) && !foreignToo) {
      report(kind, rows);
      return cannotAccess(name, vg);
    }
    if (kind === 'vg') rows.push(vgRow(name, vg));
    else
      for (const [lvName, lv] of Object.entries(vg.lvs)) {
        const open = lv.active && openers(lvPath(name, lvName));
        rows.push({
          lv_name: lvName,
          vg_name: name,
          lv_attr: `-wi-${lv.active ? 'a' : '-'}${open ? 'o' : '-'}----`,
          lv_active: lv.active ? 'active' : '',
          // Recorded: "unknown" for an inactive LV (test/fixtures/lvm/lvs-foreign.stdout), "" for an active closed one.
          lv_device_open: lv.active ? (open ? 'open' : '') : 'unknown',
          lv_path: lvPath(name, lvName),
          lv_dm_path: `/dev/mapper/${name}-${lvName}`,
          lv_tags: '',
          lv_kernel_major: lv.active ? '254' : '-1',
          lv_kernel_minor: lv.active ? String(lv.minor ?? 0) : '-1',
        });
      }
  }
  report(kind, rows);
  if (missing !== undefined) return notFound(missing);
  return finish(0);
}

/**
 * pvs of every PV: a VG's PV on its DRBD device where that is Primary (a Secondary's device cannot be read).
 * With `lvm.backingVisible` (a filter that accepts the backing disk too) the backing disk shows the same PV:
 * on a Secondary or with DRBD down as the VG's only PV, on a Primary as the duplicate LVM warns about and
 * does not use (recorded: test/fixtures/lvm/pvs-backing-*; the "used by LV" wording of an active VG was
 * seen in the same VM, not kept as a fixture). vgs and lvs do not model that filter: the agent
 * refuses to go on before it reads them.
 */
function pvs(argv) {
  const { config } = splitConfig(argv);
  // A --config global_filter (promote's narrowing) hides the DRBD devices it rejects.
  const narrowed = /global_filter=/.test(config) ? globalFilterOf(config) : undefined;
  const rows = [];
  for (const [vgName, vg] of Object.entries(lvm.vgs)) {
    const res = resources[vg.drbd];
    if (res === undefined) continue;
    const uuid = vg.pvUuid ?? 'deinJd-of2q-dmCM-bamF-YBGx-yKAU-TwjXSM';
    const drbdDevice = drbdDeviceOf(res);
    const backing = res.backingDevice ?? '/dev/vdb';
    const backingSeen = lvm.backingVisible && inScope(backing);
    if (visible(vg) && (narrowed === undefined || accepted(narrowed, drbdDevice))) {
      rows.push({ pv_name: drbdDevice, vg_name: vgName, pv_uuid: uuid });
      if (backingSeen) {
        const inUse = Object.values(vg.lvs).some((lv) => lv.active);
        complain(`  WARNING: Not using device ${backing} for PV ${uuid}.`);
        complain(
          `  WARNING: PV ${uuid} prefers device ${drbdDevice} because ${inUse ? 'device is used by LV' : 'device size is correct'}.`,
        );
      }
    } else if (backingSeen) rows.push({ pv_name: backing, vg_name: vgName, pv_uuid: uuid });
  }
  report('pv', rows);
  return finish(0);
}

function setActive(vgName, vg, lvNames, active, config, tool = 'vgchange') {
  if (foreign(vg, config)) return cannotAccess(vgName, vg);
  if (active) {
    const override = /volume_list=\[([^\]]*)\]/.exec(config)?.[1];
    const list =
      override !== undefined ? [...override.matchAll(/"([^"]*)"/g)].map((m) => m[1]) : lvm.volumeList;
    const allowed =
      list == null ||
      list.some(
        (item) => item === vgName || (item.startsWith('@') && (vg.tags ?? []).includes(item.slice(1))),
      );
    // An LV that volume_list does not pass stays inactive without a word and without an error
    // (lvm/vgchange-ay-volume-list, lvchange-ay-volume-list).
    for (const lvName of allowed ? lvNames : []) {
      vg.lvs[lvName].active = true;
      mkdirSync(path.join(devRoot, vgName), { recursive: true });
      closeSync(openSync(lvPath(vgName, lvName), 'a'));
    }
  } else {
    const open = lvNames.filter((lvName) => vg.lvs[lvName].active && openers(lvPath(vgName, lvName)));
    if (open.length > 0) {
      // As recorded (test/fixtures/lvm/vgchange-an-open.stderr), for a process rather than a mount.
      // lvchange names only the LV (test/fixtures/lvm/lvchange-an-open.stderr).
      for (const lvName of open) complain(`  Logical volume ${vgName}/${lvName} in use.`);
      if (tool === 'vgchange')
        complain(`  Can't deactivate volume group "${vgName}" with ${open.length} open logical volume(s)`);
      return finish(5);
    }
    for (const lvName of lvNames) {
      vg.lvs[lvName].active = false;
      rmSync(lvPath(vgName, lvName), { force: true });
    }
  }
  // vgchange counts the VG's active LVs; lvchange says nothing (lvm/vgchange-ay, lvchange-ay, lvchange-an).
  const n = Object.values(vg.lvs).filter((lv) => lv.active).length;
  if (tool === 'vgchange') say(`  ${n} logical volume(s) in volume group "${vgName}" now active`);
  return finish(0);
}

function vgchange(argv) {
  const { rest, config } = splitConfig(argv);
  const name = rest.at(-1);
  const vg = lvm.vgs[name];
  if (vg === undefined || !visible(vg)) return notFound(name);
  const opt = (flag) => {
    const i = rest.indexOf(flag);
    return i < 0 ? undefined : rest[i + 1];
  };
  if (rest.includes('-ay') || rest.includes('-aey') || rest.includes('-aly'))
    return setActive(name, vg, Object.keys(vg.lvs), true, config);
  if (rest.includes('-an')) return setActive(name, vg, Object.keys(vg.lvs), false, config);
  if (foreign(vg, config)) return cannotAccess(name, vg);
  const systemId = opt('--systemid');
  if (systemId !== undefined) {
    if (systemId !== localSystemId() && !rest.includes('-y')) {
      // As recorded without -y (test/fixtures/lvm-host/vgchange-systemid-take.json).
      complain(
        `  WARNING: Requested system ID ${systemId} does not match local system ID ${localSystemId()}.`,
      );
      complain(`  WARNING: Volume group ${name} might become inaccessible from this machine.`);
      complain(`Set foreign system ID ${systemId} on volume group ${name}? [y/n]: [n]`);
      complain(`  Volume group ${name} system ID not changed.`);
      return finish(5);
    }
    vg.systemId = systemId;
  }
  const add = opt('--addtag');
  const del = opt('--deltag');
  if (add !== undefined && !(vg.tags ?? []).includes(add)) vg.tags = [...(vg.tags ?? []), add];
  if (del !== undefined) vg.tags = (vg.tags ?? []).filter((t) => t !== del);
  say(`  Volume group "${name}" successfully changed`);
  return finish(0);
}

function lvchange(argv) {
  const { rest, config } = splitConfig(argv);
  const targets = rest.filter((x) => x.includes('/'));
  const [vgName] = (targets[0] ?? '').split('/');
  const vg = lvm.vgs[vgName];
  if (vg === undefined || !visible(vg)) return notFound(vgName);
  const lvNames = targets.map((t) => t.split('/')[1]);
  for (const lv of lvNames) {
    if (vg.lvs[lv] === undefined) {
      complain(`  Failed to find logical volume "${vgName}/${lv}"`);
      return finish(5);
    }
  }
  return setActive(vgName, vg, lvNames, rest.includes('-ay'), config, 'lvchange');
}

// Only what LvmClient.configValue asks: `lvmconfig --typeconfig full activation/volume_list` and
// devices/use_devicesfile (recorded: test/fixtures/lvm/lvmconfig-use-devicesfile).
function lvmconfig(argv) {
  if (argv.join(' ') === '--typeconfig full devices/use_devicesfile') {
    say(`use_devicesfile=${lvm.useDevicesFile ? 1 : 0}`);
    return finish(0);
  }
  if (argv.join(' ') === '--typeconfig full devices/global_filter') {
    // As recorded in the VM (lvm/lvmconfig-global-filter): the provisioned list, quoted.
    const filter = lvm.globalFilter ?? provisionedFilter;
    say(`global_filter=[${filter.map((p) => JSON.stringify(p)).join(',')}]`);
    return finish(0);
  }
  if (argv.join(' ') !== '--typeconfig full activation/volume_list') {
    complain(`fake lvmconfig: '${argv.join(' ')}' is not modelled`);
    return finish(3);
  }
  // With --typeconfig full an unset list prints nothing (lvmconfig-volume-list-unset.json, recorded).
  if (lvm.volumeList == null) return finish(0);
  // lvmconfig prints a one-element list as a plain string (LVM 2.03.16, recorded on this host).
  if (lvm.volumeList.length === 1) say(`volume_list="${lvm.volumeList[0]}"`);
  else say(`volume_list=[${lvm.volumeList.map((v) => `"${v}"`).join(',')}]`);
  return finish(0);
}

// ---------------------------------------------------------------- Pacemaker
const pcmk = state.pacemaker;

function crmAttribute(argv) {
  if (argv.includes('--version')) {
    // Needs no cluster (pacemaker-host/crm_attribute-version); `version` lets a test be an older Pacemaker.
    say(`Pacemaker ${pcmk.version ?? '2.1.5'}`);
    say('Written by Andrew Beekhof and the Pacemaker project contributors');
    return finish(0);
  }
  if (pcmk.attrdDown) {
    // Outside a running cluster (ocf-tester, crm_resource --force-*): Pacemaker's attribute daemon is absent.
    complain('crm_attribute: Could not connect to the CIB: Transport endpoint is not connected');
    return finish(102);
  }
  const p = argv.find((x) => x.startsWith('--promotion'));
  const rsc = p?.includes('=') ? p.slice(p.indexOf('=') + 1) : process.env.OCF_RESOURCE_INSTANCE;
  const name = `master-${rsc}`;
  if (pcmk.attrdTimeouts > 0 && !argv.includes('--query')) {
    // The next N updates or deletes time out inside a running cluster (attrd busy or hung): not recorded.
    pcmk.attrdTimeouts -= 1;
    complain('crm_attribute: Could not update the promotion score: Timer expired');
    return finish(124);
  }
  const i = argv.indexOf('--update');
  if (i >= 0) pcmk.attributes[name] = argv[i + 1];
  else if (argv.includes('--delete')) delete pcmk.attributes[name];
  else if (argv.includes('--query')) {
    if (pcmk.attributes[name] === undefined) {
      complain(`crm_attribute: Error performing operation: No such device or address`);
      return finish(105);
    }
    say(pcmk.attributes[name]);
  }
  return finish(0);
}

function cibadmin(argv) {
  const opt = (flag) => {
    const i = argv.indexOf(flag);
    return i < 0 ? undefined : argv[i + 1];
  };
  if (pcmk.cibDown) {
    complain('Could not connect to the CIB: Transport endpoint is not connected');
    complain('Init failed, could not perform requested operations');
    return finish(102);
  }
  const scope = opt('--scope');
  if (argv.includes('--query')) {
    if (scope === 'resources') say(pcmk.resources);
    else if (scope === 'status') say(pcmk.status);
    // An empty section is one empty element (test/fixtures/pacemaker-host/cibadmin-query-constraints-empty).
    else if (pcmk.constraints.length === 0) say('<constraints/>');
    else say(`<constraints>\n${pcmk.constraints.map((c) => `  ${c}`).join('\n')}\n</constraints>`);
    return finish(0);
  }
  const xml = opt('--xml-text') ?? '';
  const id = /id="([^"]*)"/.exec(xml)?.[1];
  if (argv.includes('--delete')) {
    // Nothing to delete is success too, silent (pacemaker-host/cibadmin-delete-absent).
    pcmk.constraints = pcmk.constraints.filter((c) => /id="([^"]*)"/.exec(c)?.[1] !== id);
    return finish(0);
  }
  if (argv.includes('--modify')) {
    // The schema makes a constraint's rsc an IDREF: one naming no id of the CIB is refused, exit 78
    // (pacemaker-host/cibadmin-modify-schema-refusal; the rejected CIB it prints on stdout is not modelled).
    const ids = new Set(
      [...`${pcmk.resources}${pcmk.status}${pcmk.constraints.join('')}`.matchAll(/\bid="([^"]*)"/g)].map(
        (m) => m[1],
      ),
    );
    const rsc = /\brsc="([^"]*)"/.exec(xml)?.[1];
    if (rsc !== undefined && !ids.has(rsc)) {
      complain('Call cib_modify failed: Update does not conform to the configured schema');
      return finish(78);
    }
    pcmk.constraints = [...pcmk.constraints.filter((c) => /id="([^"]*)"/.exec(c)?.[1] !== id), xml];
    return finish(0);
  }
  complain('fake cibadmin: not modelled');
  return finish(64);
}

/** dm's name for an LV: VG and LV joined by '-', each '-' inside them doubled. */
const dmName = (vgName, lvName) => `${vgName.replaceAll('-', '--')}-${lvName.replaceAll('-', '--')}`;

/**
 * `dmsetup info -c --noheadings --separator : -o name,vg_name,lv_name,lv_layer,open,major,minor -S
 * vg_name="VG"` (DeviceMapperClient.vgDevicesArgs): the active LVs of VG as the kernel maps them, whatever
 * DRBD's role (the kernel does not ask LVM). `lvm.deviceMapper: false` is a kernel without device-mapper
 * (recorded: test/fixtures/lvm-host/dmsetup-info-no-dm.*).
 */
function noDeviceMapper() {
  complain('/dev/mapper/control: open failed: No such device');
  complain('Failure to communicate with kernel device-mapper driver.');
  complain('Check that device-mapper is available in the kernel.');
  complain('Incompatible libdevmapper 1.02.185 (2022-05-18) and kernel driver (unknown version).');
  complain('Command failed.');
  return finish(1);
}

/**
 * `dmsetup remove NAME…` (DeviceMapperClient.remove): the mappings in the order given, each LV's device node
 * gone with it, up to the first the kernel refuses (open: busy; not mapped: no such device), which ends the
 * command with the ones after it left mapped (recorded: test/fixtures/lvm/dmsetup-remove, -remove-open,
 * -remove-removed, dmsetup-info-after-remove-open).
 */
function dmsetupRemove(names) {
  if (lvm.deviceMapper === false) return noDeviceMapper();
  for (const name of names) {
    const found = Object.entries(lvm.vgs)
      .flatMap(([vgName, vg]) =>
        Object.entries(vg.lvs)
          .filter(([lvName, lv]) => lv.active && dmName(vgName, lvName) === name)
          .map(([lvName, lv]) => ({ vgName, lvName, lv })),
      )
      .at(0);
    const refusal =
      found === undefined
        ? 'No such device or address'
        : openers(lvPath(found.vgName, found.lvName))
          ? 'Device or resource busy'
          : undefined;
    if (refusal !== undefined) {
      complain(`device-mapper: remove ioctl on ${name}  failed: ${refusal}`);
      complain('Command failed.');
      return finish(1);
    }
    found.lv.active = false;
    rmSync(lvPath(found.vgName, found.lvName), { force: true });
  }
  return finish(0);
}

function dmsetup(argv) {
  if (argv[0] === 'remove' && argv.length > 1) return dmsetupRemove(argv.slice(1));
  const fields = 'name,vg_name,lv_name,lv_layer,open,major,minor';
  const vgName = /^vg_name="([^"]*)"$/.exec(argv.at(-1) ?? '')?.[1];
  const expected = ['info', '-c', '--noheadings', '--separator', ':', '-o', fields, '-S'];
  if (vgName === undefined || argv.length !== expected.length + 1 || expected.some((a, i) => argv[i] !== a)) {
    complain(`fake dmsetup: not modelled: ${argv.join(' ')}`);
    return finish(64);
  }
  if (lvm.deviceMapper === false) return noDeviceMapper();
  const vg = lvm.vgs[vgName];
  // dmsetup says "No devices found" only when the kernel maps no device at all; a selection that matches
  // none of the mapped ones prints nothing (seen in the VMs: another VG active, vg_name="nosuch").
  const anyMapped = Object.values(lvm.vgs).some((g) => Object.values(g.lvs).some((lv) => lv.active));
  const rows = Object.entries(vg?.lvs ?? {})
    .filter(([, lv]) => lv.active)
    .map(([lvName, lv]) =>
      [
        dmName(vgName, lvName),
        vgName,
        lvName,
        '',
        openers(lvPath(vgName, lvName)) ? 1 : 0,
        254,
        lv.minor ?? 0,
      ].join(':'),
    );
  if (!anyMapped) say('No devices found');
  else if (rows.length > 0) say(rows.join('\n'));
  return finish(0);
}

/**
 * lsblk --json --paths --all --output NAME,KNAME,MAJ:MIN (util-linux 2.38, recorded: test/fixtures/lvm/lsblk-*): the
 * guest's disk vda, each resource's backing disk with its DRBD device under it while up, and under that the
 * VG's active LVs. Indented as lsblk does (3 spaces); the agent parses JSON, so the layout is not compared.
 */
function lsblk() {
  const node = (name, majMin, children, kname = name) =>
    children.length > 0 ? { name, kname, 'maj:min': majMin, children } : { name, kname, 'maj:min': majMin };
  const disks = [node('/dev/vda', '254:0', [])];
  const byBacking = new Map();
  for (const [resName, res] of Object.entries(resources)) {
    if (res.configured === false) continue;
    const backing = res.backingDevice ?? '/dev/vdb';
    const children = byBacking.get(backing) ?? [];
    byBacking.set(backing, children);
    if (!res.up) continue;
    const lvs = Object.entries(lvm.vgs)
      .filter(([, vg]) => vg.drbd === resName)
      .flatMap(([vgName, vg]) =>
        Object.entries(vg.lvs)
          .filter(([, lv]) => lv.active)
          .map(([lvName, lv]) =>
            node(`/dev/mapper/${vgName}-${lvName}`, `253:${lv.minor ?? 0}`, [], `/dev/dm-${lv.minor ?? 0}`),
          ),
      );
    children.push(node(drbdDeviceOf(res), `147:${res.minor ?? 0}`, lvs));
  }
  let minor = 16;
  for (const [backing, children] of byBacking) {
    disks.push(node(backing, `254:${minor}`, children));
    minor += 16;
  }
  say(JSON.stringify({ blockdevices: disks }, null, 3));
  return finish(0);
}

function crmNode() {
  say(state.node);
  return finish(0);
}

switch (tool) {
  case 'drbdadm':
    drbdadm(args);
    break;
  case 'drbdsetup':
    drbdsetup(args);
    break;
  case 'vgs':
    labelScan(args);
    vgsOrLvs('vg', args);
    break;
  case 'lvs':
    labelScan(args);
    vgsOrLvs('lv', args);
    break;
  case 'pvs':
    labelScan(args);
    pvs(args);
    break;
  case 'vgchange':
    labelScan(args);
    vgchange(args);
    break;
  case 'lvchange':
    labelScan(args);
    lvchange(args);
    break;
  case 'lsblk':
    lsblk();
    break;
  case 'lvmconfig':
    lvmconfig(args);
    break;
  case 'lvm':
    if (args[0] === 'systemid') {
      say(`  system ID: ${localSystemId()}`);
      finish(0);
    } else {
      complain(`fake lvm: '${args[0]}' is not modelled`);
      finish(3);
    }
    break;
  case 'crm_attribute':
    crmAttribute(args);
    break;
  case 'cibadmin':
    cibadmin(args);
    break;
  case 'crm_node':
    crmNode();
    break;
  case 'dmsetup':
    dmsetup(args);
    break;
  default:
    complain(`fake: unknown tool '${tool}'`);
    finish(127);
}
