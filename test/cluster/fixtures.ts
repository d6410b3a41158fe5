// Records real DRBD 8.4 and LVM outputs from the running VMs into test/fixtures/ (drbd-lvm parser tests).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PAYLOAD, type Cluster } from './cluster.js';
import { log, waitFor } from './util.js';
import type { Vm } from './vm.js';
import { vmLvmRecordings } from '../fixtures/commands.js';

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

  async cmd(
    vm: Vm,
    dir: 'drbd-8.4' | 'lvm',
    name: string,
    description: string,
    argv: string[],
  ): Promise<void> {
    this.notes.set(name, { dir, state: description });
    await this.record(vm, ['cmd', name, ...argv]);
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
        const note = this.notes.get(state) ?? this.notes.get(name);
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
        `Real recordings, not hand-written: made ${date} by \`npm run test:cluster -- --record-fixtures\``,
        '(test/cluster/fixtures.ts, cluster/record.sh) in the two emulated Debian 12 VMs of the test cluster',
        '(node1, node2; DRBD resource r0 on /dev/vdb, replication over 192.168.57.0/24; volume group vg_lxc1 on',
        '/dev/drbd0 with LVs config, ct1, ct2; LVM system_id_source = uname).',
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

const dstate = async (vm: Vm): Promise<string> => (await vm.exec(['drbdadm', 'dstate', 'r0'])).stdout.trim();
const cstate = async (vm: Vm): Promise<string> => (await vm.exec(['drbdadm', 'cstate', 'r0'])).stdout.trim();

/**
 * Walks DRBD and LVM through the states the parsers must know, recording each. Runs during storage
 * setup: before `init-storage.sh md`, and again after `populate` (leaves r0 Connected, Secondary).
 */
export async function recordBeforeUp(rec: FixtureRecorder, a: Vm): Promise<void> {
  await a.run(['modprobe', 'drbd']);
  await rec.drbd(a, 'down', 'r0 configured, module loaded, resource not up (unconfigured)');
  await rec.drbd(a, 'unknown', 'resource name not in the configuration (nosuch)', 'nosuch');
}

export async function recordAfterPopulate(rec: FixtureRecorder, a: Vm, b: Vm): Promise<void> {
  // The LVM command lines are the clients' own (test/fixtures/commands.ts), so recordings cannot drift.
  const lines = new Map((await vmLvmRecordings()).map((c) => [c.name, [...c.argv]]));
  const vm = (name: string): string[] => {
    const argv = lines.get(name);
    if (argv === undefined) throw new Error(`no VM recording named ${name}`);
    return argv;
  };
  await rec.drbd(a, 'secondary-connected', 'both Secondary, Connected, UpToDate/UpToDate');
  await a.run(['drbdadm', 'primary', 'r0']);
  await rec.drbd(a, 'primary-uptodate', 'this node Primary UpToDate, peer Secondary UpToDate, Connected');
  await rec.drbd(b, 'secondary-peer-primary', 'this node Secondary UpToDate, peer Primary, Connected');
  // LVM on the Primary, VG owned by this node's system ID.
  await rec.cmd(
    a,
    'lvm',
    'lvm-systemid-node1',
    'system_id_source = uname on node1',
    vm('lvm-systemid-node1'),
  );
  await rec.cmd(a, 'lvm', 'vgs-inactive', 'vg_lxc1 owned by node1, LVs inactive', vm('vgs-inactive'));
  await a.run(['vgchange', '-ay', 'vg_lxc1']);
  await rec.cmd(a, 'lvm', 'vgs-active', 'vg_lxc1 owned by node1, LVs active', vm('vgs-active'));
  await rec.cmd(a, 'lvm', 'lvs-active', 'vg_lxc1 LVs active, none open', vm('lvs-active'));
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
  await rec.cmd(a, 'lvm', 'lvs-open', 'config LV mounted at /lxc1 (open)', vm('lvs-open'));
  await rec.cmd(
    a,
    'lvm',
    'lvchange-an-open',
    'deactivating the mounted config LV: refused',
    vm('lvchange-an-open'),
  );
  await rec.cmd(
    a,
    'lvm',
    'vgchange-an-open',
    'deactivating the VG while config LV is mounted: refused',
    vm('vgchange-an-open'),
  );
  await rec.cmd(a, 'lvm', 'fuser-open-lv', 'who holds the open LV (psmisc fuser -vm)', [
    'fuser',
    '-vm',
    '/dev/vg_lxc1/config',
  ]);
  await a.run(['umount', '/lxc1']);
  await a.run(['vgchange', '-an', 'vg_lxc1']);
  await a.run(['drbdadm', 'secondary', 'r0']);
  // The VG seen from the other node: foreign system ID.
  await b.run(['drbdadm', 'primary', 'r0']);
  await rec.cmd(
    b,
    'lvm',
    'lvm-systemid-node2',
    'system_id_source = uname on node2',
    vm('lvm-systemid-node2'),
  );
  await rec.cmd(b, 'lvm', 'vgs-foreign', 'node2 sees vg_lxc1 owned by node1 (plain vgs)', vm('vgs-foreign'));
  await rec.cmd(
    b,
    'lvm',
    'vgs-foreign-listed',
    'node2 lists vg_lxc1 owned by node1 with --foreign',
    vm('vgs-foreign-listed'),
  );
  await rec.cmd(
    b,
    'lvm',
    'vgchange-ay-foreign',
    'activating vg_lxc1 (system ID node1) on node2: refused',
    vm('vgchange-ay-foreign'),
  );
  await rec.cmd(b, 'lvm', 'lvs-foreign', 'lvs of the foreign VG with --foreign', vm('lvs-foreign'));
  await b.run(['drbdadm', 'secondary', 'r0']);
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
  await rec.cmd(b, 'drbd-8.4', 'outdated.drbdadm-primary', 'drbdadm primary on Outdated data: refused', [
    'drbdadm',
    'primary',
    'r0',
  ]);
  await b.run(['drbdadm', 'connect', 'r0']);
  await waitFor(
    'r0 reconnected and resynced',
    180_000,
    async () =>
      (await dstate(b)) === 'UpToDate/UpToDate' && (await cstate(b)) === 'Connected' ? true : undefined,
    1000,
  );
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
  log('fixtures: all states recorded');
}
