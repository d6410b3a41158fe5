// Records real DRBD 8.4 and LVM outputs from the running VMs into test/fixtures/ (drbd-lvm parser tests).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PAYLOAD, type Cluster } from './cluster.js';
import { SITES } from './sites.js';
import { log, waitFor } from './util.js';
import type { Vm } from './vm.js';
import { backingDiskFilterSed, vmDrbdRecordings, vmLvmRecordings } from '../fixtures/commands.js';

const GUEST_OUT = '/root/fixtures';

interface Recording {
  dir: 'drbd-8.4' | 'lvm';
  state: string;
}

export class FixtureRecorder {
  private readonly notes = new Map<string, Recording>();

  constructor(private readonly cluster: Cluster) {}

  private async record(vm: Vm, args: string[]): Promise<void> {
    await vm.run(['/bin/sh', `${PAYLOAD}/cluster/record.sh`, GUEST_OUT, ...args], { timeoutS: 120 });
  }

  /** All DRBD queries of r0 on `vm`, filed under `state`. */
  async drbd(vm: Vm, state: string, description: string, res = 'r0'): Promise<void> {
    this.notes.set(state, { dir: 'drbd-8.4', state: description });
    await this.record(vm, ['drbd', state, res]);
  }

  /**
   * One command, filed under `name`; returns its exit code. `expect` guards the states that follow: a
   * command recorded as a success or a refusal that came out otherwise stops the run here.
   */
  async cmd(
    vm: Vm,
    dir: 'drbd-8.4' | 'lvm',
    name: string,
    description: string,
    argv: readonly string[],
    expect?: 'ok' | 'refused',
  ): Promise<number> {
    this.notes.set(name, { dir, state: description });
    const out = await vm.run(['/bin/sh', `${PAYLOAD}/cluster/record.sh`, GUEST_OUT, 'cmd', name, ...argv], {
      timeoutS: 120,
    });
    const code = Number(out.trim().split('\n').at(-1));
    if ((expect === 'ok' && code !== 0) || (expect === 'refused' && code === 0))
      throw new Error(`recording ${name} (${argv.join(' ')}): expected ${expect}, exit code ${code}`);
    return code;
  }

  /** Copies the recordings of both nodes into the repository with a README per folder. */
  async collect(repo: string): Promise<void> {
    const date = new Date().toISOString().slice(0, 10);
    const rows: { dir: string; name: string; line: string }[] = [];
    const tmp = path.join(this.cluster.workDir, 'fixtures');
    await rm(tmp, { recursive: true, force: true });
    for (const vm of this.cluster.vms) {
      if (!vm.running) continue;
      const listing = await vm.exec(['test', '-d', GUEST_OUT]);
      if (listing.code !== 0) continue;
      await vm.run(['tar', '-C', GUEST_OUT, '-czf', '/root/fixtures.tgz', '.']);
      const b64 = await vm.run(['base64', '-w0', '/root/fixtures.tgz']);
      const local = path.join(tmp, vm.name);
      await mkdir(local, { recursive: true });
      await writeFile(path.join(local, 'f.tgz'), Buffer.from(b64.trim(), 'base64'));
      await execa('tar', ['-C', local, '-xzf', path.join(local, 'f.tgz')]);
      const index = await readFile(path.join(local, 'index.tsv'), 'utf8');
      for (const line of index.split('\n').filter((l) => l !== '')) {
        const [name = '', code = '', node = '', command = ''] = line.split('\t');
        const state = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
        const note = this.notes.get(name) ?? this.notes.get(state);
        if (note === undefined) continue;
        const target = path.join(repo, 'test/fixtures', note.dir);
        await mkdir(target, { recursive: true });
        for (const ext of ['stdout', 'stderr']) {
          const data = await readFile(path.join(local, `${name}.${ext}`)).catch(() => undefined);
          if (data !== undefined) await writeFile(path.join(target, `${name}.${ext}`), data);
        }
        rows.push({
          dir: note.dir,
          name,
          line: `| \`${name}\` | \`${command}\` | ${code} | ${node} | ${note.state} |`,
        });
      }
    }
    for (const dir of ['drbd-8.4', 'lvm'] as const) {
      const mine = rows.filter((r) => r.dir === dir);
      if (mine.length === 0) continue;
      const title =
        dir === 'lvm'
          ? 'LVM 2.03 (Debian 12)'
          : 'DRBD 8.4 (Debian 12 kernel 6.1 module 8.4.11, drbd-utils 9.22)';
      const text = [
        `# Recorded outputs: ${title}`,
        '',
        `Real recordings, not hand-written: made ${date} by \`npm run test:cluster -- --record-fixtures\` (or --record-only)`,
        '(test/cluster/fixtures.ts, cluster/record.sh) in the two emulated Debian 12 VMs of the test cluster',
        '(node1, node2; DRBD resource r0 on /dev/vdb, the only one up meanwhile, replication over 192.168.57.0/24;',
        'volume group vg_lxc1 on /dev/drbd0 with LVs config, ct1, ct2; LVM system_id_source = uname).',
        'Each `NAME.stdout` holds the standard output, `NAME.stderr` the error output when there was any.',
        '',
        '| name | command | exit code | node | state |',
        '|---|---|---|---|---|',
        ...mine.map((r) => r.line).sort(),
        '',
      ].join('\n');
      await writeFile(path.join(repo, 'test/fixtures', dir, 'README.md'), text);
    }
    log(`fixtures: ${rows.length} recordings written to test/fixtures/`);
  }
}

const dstate = async (vm: Vm, res = 'r0'): Promise<string> =>
  (await vm.exec(['drbdadm', 'dstate', res])).stdout.trim();
const cstate = async (vm: Vm, res = 'r0'): Promise<string> =>
  (await vm.exec(['drbdadm', 'cstate', res])).stdout.trim();

/** Waits until `res` on `vm` is Connected with UpToDate data on both sides. */
const inSync = (vm: Vm, what: string, limitMs = 180_000, res = 'r0'): Promise<true> =>
  waitFor(
    what,
    limitMs,
    async () =>
      (await dstate(vm, res)) === 'UpToDate/UpToDate' && (await cstate(vm, res)) === 'Connected'
        ? true
        : undefined,
    1000,
  );

const LVM_CONF = '/etc/lvm/lvm.conf';
const LVM_CONF_SAVED = '/root/lvm.conf.before-recording';

/**
 * Runs `body` with lvm.conf changed by a sed script (which must change it), and puts the file back
 * afterwards, whatever happened: what the clients' plain command lines answer under another setting.
 */
async function withLvmConf(vm: Vm, sedScript: string, body: () => Promise<void>): Promise<void> {
  await vm.run(['cp', '-p', LVM_CONF, LVM_CONF_SAVED]);
  try {
    await vm.run(['sed', '-i', sedScript, LVM_CONF]);
    if ((await vm.exec(['cmp', '-s', LVM_CONF, LVM_CONF_SAVED])).code === 0)
      throw new Error(`${vm.name}: sed ${sedScript} left ${LVM_CONF} unchanged`);
    await body();
  } finally {
    await vm.run(['cp', '-p', LVM_CONF_SAVED, LVM_CONF]);
    await vm.run(['rm', '-f', LVM_CONF_SAVED]);
  }
}

/**
 * Walks DRBD and LVM through the states the parsers must know, recording each. Runs during storage
 * setup: before `init-storage.sh md`, and again after `populate`. Every state it changes it restores:
 * it leaves r0 as it found it (up, Connected, both Secondary, UpToDate, vg_lxc1 inactive, lvm.conf and
 * DRBD's disk options as provisioned), so the scenarios that follow see no trace of it.
 */
export async function recordBeforeUp(rec: FixtureRecorder, a: Vm): Promise<void> {
  await a.run(['modprobe', 'drbd']);
  await rec.drbd(a, 'down', 'r0 configured, module loaded, resource not up (unconfigured)');
  await rec.drbd(a, 'unknown', 'resource name not in the configuration (nosuch)', 'nosuch');
}

export async function recordAfterPopulate(rec: FixtureRecorder, a: Vm, b: Vm): Promise<void> {
  // The recordings are of r0 alone (each /proc/drbd shows its one minor): the other resources are down
  // meanwhile, and up and in sync again afterwards.
  const others = SITES.map((site) => site.res).filter((res) => res !== 'r0');
  for (const res of others) for (const vm of [a, b]) await vm.run(['drbdadm', 'down', res]);
  await recordStates(rec, a, b);
  for (const res of others) for (const vm of [a, b]) await vm.run(['drbdadm', 'up', res]);
  for (const res of others) await inSync(a, `${res} up and in sync again`, 180_000, res);
  log('fixtures: all states recorded');
}

async function recordStates(rec: FixtureRecorder, a: Vm, b: Vm): Promise<void> {
  // The command lines are the clients' own (test/fixtures/commands.ts), so recordings cannot drift.
  const lines = new Map(
    [...(await vmLvmRecordings()), ...(await vmDrbdRecordings())].map((c) => [c.name, c.argv]),
  );
  const argv = (name: string): readonly string[] => {
    const line = lines.get(name);
    if (line === undefined) throw new Error(`no VM recording named ${name}`);
    return line;
  };
  const lvm = (vm: Vm, name: string, description: string, expect?: 'ok' | 'refused'): Promise<number> =>
    rec.cmd(vm, 'lvm', name, description, argv(name), expect);
  const drbd = (vm: Vm, name: string, description: string, expect?: 'ok' | 'refused'): Promise<number> =>
    rec.cmd(vm, 'drbd-8.4', name, description, argv(name), expect);

  await rec.drbd(a, 'secondary-connected', 'both Secondary, Connected, UpToDate/UpToDate');
  await drbd(a, 'secondary-connected.drbdadm-up', 'drbdadm up of a resource that is up: refused', 'refused');
  await drbd(a, 'secondary-connected.drbdadm-adjust', 'drbdadm adjust with nothing to change', 'ok');
  await drbd(
    a,
    'secondary-connected.drbdadm-primary-force',
    'drbdadm primary --force on UpToDate data',
    'ok',
  );
  await a.run(['drbdadm', 'secondary', 'r0']);
  await drbd(a, 'secondary-connected.drbdadm-primary', 'drbdadm primary: this node becomes Primary', 'ok');
  await rec.drbd(a, 'primary-uptodate', 'this node Primary UpToDate, peer Secondary UpToDate, Connected');
  await rec.drbd(b, 'secondary-peer-primary', 'this node Secondary UpToDate, peer Primary, Connected');
  await drbd(
    b,
    'secondary-peer-primary.drbdadm-primary',
    'drbdadm primary while the peer is Primary (no allow-two-primaries): refused',
    'refused',
  );
  await recordLvmOnPrimary(a, lvm, drbd, rec);
  await recordFilter(a, b, lvm);
  await drbd(a, 'primary-uptodate.drbdadm-dry-run-secondary', 'drbdadm -d secondary: what it would run');
  await drbd(a, 'primary-uptodate.drbdsetup-secondary', 'drbdsetup secondary MINOR, VG inactive', 'ok');
  await a.run(['drbdadm', 'primary', 'r0']);
  await drbd(a, 'primary-uptodate.drbdadm-secondary', 'drbdadm secondary, VG inactive', 'ok');
  await recordForeign(b, lvm);
  // Disconnected: node2 StandAlone, node1 WFConnection; then node2's data outdated.
  await b.run(['drbdadm', 'disconnect', 'r0']);
  await waitFor(
    'node1 WFConnection',
    60_000,
    async () => ((await cstate(a)) === 'WFConnection' ? true : undefined),
    500,
  );
  await rec.drbd(
    b,
    'standalone',
    'this node disconnected by drbdadm disconnect: StandAlone, Secondary, UpToDate',
  );
  await rec.drbd(a, 'wfconnection', 'peer disconnected: WFConnection, Secondary, UpToDate/DUnknown');
  await b.run(['drbdadm', 'outdate', 'r0']);
  await rec.drbd(b, 'outdated', 'StandAlone, Secondary, local data Outdated (drbdadm outdate)');
  await drbd(b, 'outdated.drbdadm-primary', 'drbdadm primary on Outdated data: refused', 'refused');
  await drbd(b, 'outdated.drbdadm-adjust', 'drbdadm adjust of a StandAlone resource: reconnects', 'ok');
  await inSync(b, 'r0 reconnected and resynced');
  // Diskless: node2 detached from its backing disk.
  await b.run(['drbdadm', 'detach', 'r0']);
  await rec.drbd(b, 'diskless', 'this node detached (drbdadm detach): Diskless, Connected');
  await rec.drbd(a, 'peer-diskless', 'peer detached: UpToDate/Diskless, Connected');
  await b.run(['drbdadm', 'attach', 'r0']);
  await waitFor(
    'r0 UpToDate again',
    180_000,
    async () => ((await dstate(b)) === 'UpToDate/UpToDate' ? true : undefined),
    1000,
  );
  await recordResync(a, b, drbd, rec);
  await recordNotUp(a, b, drbd, rec);
}

type RecordOne = (vm: Vm, name: string, description: string, expect?: 'ok' | 'refused') => Promise<number>;

/** LVM on the Primary `a`, VG owned by this node's system ID; DRBD refusing to let go of an open device. */
async function recordLvmOnPrimary(
  a: Vm,
  lvm: RecordOne,
  drbd: RecordOne,
  rec: FixtureRecorder,
): Promise<void> {
  await lvm(a, 'lvm-systemid-node1', 'system_id_source = uname on node1');
  await lvm(a, 'vgs-inactive', 'vg_lxc1 owned by node1, LVs inactive');
  await lvm(a, 'vgchange-ay', 'activating vg_lxc1 on its owner', 'ok');
  await lvm(a, 'vgs-active', 'vg_lxc1 owned by node1, LVs active');
  await lvm(a, 'lvs-active', 'vg_lxc1 LVs active, none open');
  await lvm(a, 'dmsetup-info-active', 'vg_lxc1 LVs active, none open: the kernel maps each, no opener');
  // A snapshot stacks layers under its LVs (ct2-real, snap-cow), which the kernel counts as open.
  await a.run(['lvcreate', '-y', '-s', '-L', '8M', '-n', 'snap', 'vg_lxc1/ct2']);
  try {
    await lvm(
      a,
      'dmsetup-info-snapshot',
      'snapshot snap of ct2: the layers ct2-real and snap-cow, held by their LVs',
    );
  } finally {
    await a.run(['lvremove', '-y', 'vg_lxc1/snap']);
  }
  await lvm(a, 'lvchange-an', 'deactivating the closed LV ct2', 'ok');
  await lvm(a, 'lvchange-ay', 'activating the LV ct2 again', 'ok');
  await lvm(a, 'lvchange-ay-missing', 'activating an LV the VG does not have: refused', 'refused');
  await lvm(a, 'dmsetup-remove', "removing the mappings of vg_lxc1's three LVs, none open", 'ok');
  await lvm(a, 'dmsetup-info-removed', 'after dmsetup remove of all three: the kernel maps none of them');
  await lvm(a, 'dmsetup-remove-removed', 'dmsetup remove of the same three again: none is mapped', 'refused');
  await a.run(['vgchange', '-ay', 'vg_lxc1']);
  await rec.cmd(a, 'lvm', 'pvs', 'PV /dev/drbd0 of vg_lxc1', [
    'pvs',
    '--reportformat',
    'json',
    '-o',
    'pv_name,vg_name,pv_uuid,pv_size,pv_free,pv_attr,dev_size',
    '--units',
    'b',
  ]);
  await a.run(['mount', '/dev/vg_lxc1/config', '/lxc1']);
  try {
    await lvm(a, 'lvs-open', 'config LV mounted at /lxc1 (open)');
    await lvm(a, 'dmsetup-info-open', 'config LV mounted at /lxc1: open count 1');
    await lvm(a, 'lvchange-an-open', 'deactivating the mounted config LV: refused', 'refused');
    await lvm(a, 'vgchange-an-open', 'deactivating the VG while config LV is mounted: refused', 'refused');
    await rec.cmd(a, 'lvm', 'fuser-open-lv', 'who holds the open LV (psmisc fuser -vm)', [
      'fuser',
      '-vm',
      '/dev/vg_lxc1/config',
    ]);
    // Device-mapper holds /dev/drbd0 open while any LV of vg_lxc1 is active.
    await drbd(
      a,
      'held-open.drbdadm-secondary',
      'drbdadm secondary while vg_lxc1 is active: refused',
      'refused',
    );
    await drbd(
      a,
      'held-open.drbdsetup-secondary',
      'drbdsetup secondary MINOR while vg_lxc1 is active: refused',
      'refused',
    );
    await drbd(a, 'held-open.drbdadm-down', 'drbdadm down while vg_lxc1 is active: refused', 'refused');
    await lvm(
      a,
      'dmsetup-remove-open',
      'removing the mappings of all three LVs while config is mounted',
      'refused',
    );
    await lvm(a, 'dmsetup-info-after-remove-open', 'after that dmsetup remove: what it left mapped');
  } finally {
    await a.run(['umount', '/lxc1']);
  }
  await lvm(a, 'vgchange-an', 'deactivating vg_lxc1, no LV open', 'ok');
  await lvm(a, 'dmsetup-info-inactive', 'vg_lxc1 inactive: the kernel maps none of its LVs');
  // activation/volume_list (tagging exclusivity) naming a tag vg_lxc1 does not carry.
  await withLvmConf(a, '/^activation {/a\\    volume_list = [ "@lxcha-recording" ]', async () => {
    await lvm(
      a,
      'vgchange-ay-volume-list',
      'activating vg_lxc1, lvm.conf volume_list = ["@lxcha-recording"]',
    );
    await lvm(a, 'lvchange-ay-volume-list', 'activating config, lvm.conf volume_list = ["@lxcha-recording"]');
  });
  await a.run(['vgchange', '-an', 'vg_lxc1']);
}

/**
 * What the agents' pvs sees with the provisioned filter (the PV on /dev/drbd0 of the Primary, nothing on the
 * Secondary) and with one that lets the backing disk through (duplicate PVs on the Primary, the VG on
 * /dev/vdb on the Secondary). `a` is Primary with vg_lxc1 inactive, `b` Secondary.
 */
async function recordFilter(a: Vm, b: Vm, lvm: RecordOne): Promise<void> {
  await lvm(a, 'pvs-drbd-primary', 'Primary, provisioned filter: the PV on /dev/drbd0', 'ok');
  await lvm(b, 'pvs-drbd-secondary', 'Secondary, provisioned filter: no PV', 'ok');
  await lvm(a, 'lvmconfig-use-devicesfile', 'provisioned lvm.conf: use_devicesfile = 0', 'ok');
  await withLvmConf(b, backingDiskFilterSed, async () => {
    await lvm(
      b,
      'pvs-backing-secondary',
      'Secondary, filter accepting /dev/vdb: the VG on the backing disk',
      'ok',
    );
  });
  await withLvmConf(a, backingDiskFilterSed, async () => {
    await lvm(a, 'pvs-backing-primary', 'Primary, filter accepting /dev/vdb: duplicate PVs', 'ok');
  });
}

/** The VG seen from the other node: foreign system ID; and a node without a system ID. */
async function recordForeign(b: Vm, lvm: RecordOne): Promise<void> {
  await b.run(['drbdadm', 'primary', 'r0']);
  await lvm(b, 'lvm-systemid-node2', 'system_id_source = uname on node2');
  await lvm(b, 'vgs-foreign', 'node2 sees vg_lxc1 owned by node1 (plain vgs)');
  await lvm(b, 'vgs-foreign-listed', 'node2 lists vg_lxc1 owned by node1 with --foreign');
  await lvm(b, 'vgchange-ay-foreign', 'activating vg_lxc1 (system ID node1) on node2: refused', 'refused');
  await lvm(b, 'lvs-foreign', 'lvs of the foreign VG with --foreign');
  await b.run(['drbdadm', 'secondary', 'r0']);
  await withLvmConf(b, 's/system_id_source = "uname"/system_id_source = "none"/', async () => {
    await lvm(b, 'lvm-systemid-none', 'lvm.conf system_id_source = "none" on node2: no system ID', 'ok');
  });
}

/** A fixed, low resync rate on r0 (DRBD 8.4 user's guide: a temporary rate, undone by adjust). */
async function slowResync(vm: Vm): Promise<void> {
  const options = ['--c-plan-ahead=0', '--resync-rate=256k'];
  const first = await vm.exec(['drbdadm', 'disk-options', ...options, 'r0']);
  if (first.code === 0) return;
  log(
    `${vm.name}: drbdadm disk-options ${options.join(' ')} r0: ${first.stderr.trim()}; trying drbdadm -- …`,
  );
  await vm.run(['drbdadm', '--', ...options, 'disk-options', 'r0']);
}

/**
 * A resync held slow (fixed rate, c-plan-ahead 0) after node2 invalidated its data, recorded on both
 * sides; `drbdadm adjust` then restores the configured disk options and the resync finishes.
 */
async function recordResync(a: Vm, b: Vm, drbd: RecordOne, rec: FixtureRecorder): Promise<void> {
  try {
    for (const vm of [a, b]) await slowResync(vm);
    await b.run(['drbdadm', 'invalidate', 'r0']);
    await waitFor(
      'node2 SyncTarget',
      60_000,
      async () => ((await cstate(b)) === 'SyncTarget' ? true : undefined),
      500,
    );
    await rec.drbd(
      b,
      'synctarget',
      'resync after drbdadm invalidate here: SyncTarget, Inconsistent/UpToDate',
    );
    await rec.drbd(a, 'syncsource', 'resync after the peer invalidated: SyncSource, UpToDate/Inconsistent');
    const promoted = await drbd(b, 'synctarget.drbdadm-primary', 'drbdadm primary on the SyncTarget');
    if (promoted === 0) await b.run(['drbdadm', 'secondary', 'r0']);
  } finally {
    for (const vm of [a, b]) await vm.run(['drbdadm', 'adjust', 'r0']);
  }
  await inSync(b, 'r0 resynced at the configured rate', 900_000);
}

/**
 * r0 not up on node1 with its meta data; its backing device missing; up alone, then with the peer.
 * Ends as it began: both up, Connected, UpToDate.
 */
async function recordNotUp(a: Vm, b: Vm, drbd: RecordOne, rec: FixtureRecorder): Promise<void> {
  await drbd(a, 'secondary-connected.drbdadm-down', 'drbdadm down: the resource goes down', 'ok');
  await rec.drbd(a, 'down-md', 'r0 not up (drbdadm down), meta data on the backing disk, peer up');
  await drbd(
    a,
    'down-md.drbdadm-primary',
    'drbdadm primary of a resource that is not up: refused',
    'refused',
  );
  await drbd(a, 'down-md.drbdadm-secondary', 'drbdadm secondary of a resource that is not up');
  await drbd(a, 'down-md.drbdsetup-secondary', 'drbdsetup secondary MINOR of a minor that is not configured');
  await drbd(a, 'down-md.drbdadm-down', 'drbdadm down of a resource that is not up', 'ok');
  // The backing disk's device node moved away for one `drbdadm up`, then put back.
  await a.run(['mv', '/dev/vdb', '/dev/vdb.away']);
  try {
    await drbd(a, 'no-backing.drbdadm-up', 'drbdadm up with the backing device missing');
    await rec.drbd(a, 'no-backing', 'after drbdadm up failed for the missing backing device');
  } finally {
    await a.exec(['drbdadm', 'down', 'r0']);
    await a.run(['mv', '/dev/vdb.away', '/dev/vdb']);
  }
  // Both down; node1 comes up alone, node2 by adjust.
  await b.run(['drbdadm', 'down', 'r0']);
  await drbd(a, 'down-md.drbdadm-up', 'drbdadm up with the peer down', 'ok');
  await waitFor(
    'node1 up and waiting for its peer',
    60_000,
    async () => {
      const disk = (await dstate(a)).split('/')[0] ?? '';
      return (await cstate(a)) === 'WFConnection' && !['Attaching', 'Negotiating', ''].includes(disk)
        ? true
        : undefined;
    },
    500,
  );
  await rec.drbd(a, 'up-alone', 'drbdadm up while the peer is down: WFConnection');
  await drbd(b, 'down-md.drbdadm-adjust', 'drbdadm adjust of a resource that is not up: brings it up', 'ok');
  await inSync(a, 'r0 up on both nodes again');
}
