// The launcher and the startup snapshot, driven as Pacemaker drives an agent (argv action, environment):
// the built tree (dist/ocf) in a private copy, a snapshot directory of the test's own, and `node` on PATH
// a wrapper that logs how the launcher started it before it execs the real node.
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlobName } from '../../../lib/snapshot/blob-name.mjs';
import { buildSnapshot } from '../../../lib/snapshot/builder.js';
import { fakeJournal } from '../../helpers/fake-journal.js';
import { fakeLogger } from '../../helpers/fake-logger.js';
import { builtOcfRoot, repoRoot } from '../../helpers/paths.js';

let dir: string;
let snapshots: string;
let bin: string;
let agent: string;
let nodeLog: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** How the launcher of this run started node: its arguments, one line per start. */
  readonly started: string[];
}

function run(args: string[], extra: Record<string, string> = {}, launcher = agent): Promise<Run> {
  writeFileSync(nodeLog, '');
  return new Promise((resolve) => {
    const child = execFile(
      launcher,
      args,
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
          OCF_ROOT: '/usr/lib/ocf',
          LXCHA_SNAPSHOT_DIR: snapshots,
          ...extra,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        const own = `${child.pid} `;
        const started = readFileSync(nodeLog, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith(own))
          .map((l) => l.slice(own.length));
        resolve({ code, stdout, stderr, started });
      },
    );
  });
}

/** A `node` wrapper for the launcher to find on PATH; a new file is a new binary identity. */
let generation = 0;

function writeNodeWrapper(): void {
  const wrapper = path.join(bin, 'node');
  rmSync(wrapper, { force: true });
  // Each wrapper is another size: the launcher tells node binaries apart by device, inode, size and
  // mtime in seconds, and this file, rewritten within the second (the whole file can run in 1.3 s) with
  // the freed inode back, kept the old identity: the old blob served the run that had to be plain (a cold
  // npm test failed so). It logs its own pid ($$: the launcher execs it), so a run reads only its start.
  generation += 1;
  writeFileSync(
    wrapper,
    // REMOVE_BEFORE_START: a file removed between the launcher's checks and node's start (a prune's race).
    `#!/bin/sh\n#${'-'.repeat(generation)}\nprintf '%s %s\\n' "$$" "$*" >> '${nodeLog}'\n[ -z "$REMOVE_BEFORE_START" ] || rm -f "$REMOVE_BEFORE_START"\nexec '${process.execPath}' "$@"\n`,
    { mode: 0o755 },
  );
}

const blobs = (): string[] => readdirSync(snapshots).filter((f) => f.endsWith('.blob'));
/** The identity the launcher's stat gives the current node wrapper (device-inode-size-mtime). */
const nodeId = (): string => {
  const st = statSync(path.join(bin, 'node'));
  return `${st.dev}-${st.ino}-${st.size}-${Math.floor(st.mtimeMs / 1000)}`;
};

async function waitForBlob(): Promise<string[]> {
  for (let i = 0; i < 240 && blobs().length === 0; i++) await new Promise((r) => setTimeout(r, 250));
  // The builder removes its lock last.
  for (let i = 0; i < 40 && readdirSync(snapshots).some((f) => f.endsWith('.lock')); i++)
    await new Promise((r) => setTimeout(r, 250));
  return readdirSync(snapshots);
}

beforeAll(() => {
  if (!existsSync(path.join(builtOcfRoot, 'resource.d/lxcha/lxc')))
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-snapshot-'));
  cpSync(builtOcfRoot, path.join(dir, 'ocf'), { recursive: true });
  agent = path.join(dir, 'ocf/resource.d/lxcha/lxc');
  snapshots = path.join(dir, 'snapshots');
  bin = path.join(dir, 'bin');
  nodeLog = path.join(dir, 'node.log');
  mkdirSync(bin);
  writeNodeWrapper();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the launcher and the startup snapshot', () => {
  // usage stands for any action node answers (meta-data is a file the launcher prints: described below).
  let plainUsage = '';

  it('without a snapshot, the plain bundle answers and one builder leaves a checked blob', async () => {
    const r = await run(['usage']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('usage: lxc {start|stop|monitor');
    expect(r.started).toEqual([
      `${path.join(dir, 'ocf/resource.d/lxcha')}/../../lib/lxcha/agents/lxc.js usage`,
    ]);
    plainUsage = r.stdout;
    const files = await waitForBlob();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^lxc_[0-9a-f]{16}_\d+-\d+-\d+-\d+\.blob$/);
  });

  it('with the snapshot, node starts from it and answers the same', async () => {
    const [blob] = blobs();
    const r = await run(['usage']);
    expect(r.code).toBe(0);
    // The launcher opened the blob and hands node the open descriptor.
    expect(r.started).toEqual(['--snapshot-blob /dev/fd/3 usage']);
    expect(blob).toBeDefined();
    expect(r.stdout).toBe(plainUsage);
  });

  it('a blob removed after the launcher chose it still serves the call (node would exit 14 on a path)', async () => {
    const [blob = ''] = blobs();
    const file = path.join(snapshots, blob);
    cpSync(file, `${file}.keep`);
    try {
      const r = await run(['usage'], { REMOVE_BEFORE_START: file });
      expect(existsSync(file)).toBe(false);
      expect(r.code).toBe(0);
      expect(r.started).toEqual(['--snapshot-blob /dev/fd/3 usage']);
      expect(r.stdout).toBe(plainUsage);
    } finally {
      renameSync(`${file}.keep`, file);
    }
  });

  it('an action the snapshot serves answers from the environment of this call', async () => {
    const r = await run(['validate-all'], { OCF_RESKEY_container: 'bad/name' });
    expect(r.started[0]).toMatch(/^--snapshot-blob /);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('ocf-exit-reason:');
    expect(r.stderr).toContain('bad/name');
  });

  it("a line logged from the snapshot (its logger is in it) reaches stderr, HA_LOGFILE and syslog, with this call's tag", async () => {
    // stop of a stopped container logs one line: a fake lxc-info says STOPPED, a fake logger records its input.
    const tools = path.join(dir, 'log-tools');
    const logger = fakeLogger(tools);
    const logFile = path.join(dir, 'ha.log');
    writeFileSync(path.join(tools, 'lxc-info'), '#!/bin/sh\necho "State:          STOPPED"\n', {
      mode: 0o755,
    });
    const r = await run(['stop'], {
      PATH: `${bin}:${tools}:/usr/sbin:/usr/bin:/sbin:/bin`,
      OCF_RESKEY_container: 'ct-log',
      OCF_RESOURCE_INSTANCE: 'p_log',
      HA_LOGFACILITY: 'local5',
      HA_LOGFILE: logFile,
      LXCHA_JOURNAL_SOCKET: path.join(dir, 'no-journal'),
    });
    expect(r.started[0]).toMatch(/^--snapshot-blob /);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^lxc\(p_log\)\[\d+\]: INFO: container already stopped\n$/);
    expect(readFileSync(logFile, 'utf8')).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z lxc\(p_log\)\[\d+\]: INFO: container already stopped\n$/,
    );
    expect(await logger.settled()).toMatch(
      /^ARGS --prio-prefix -t lxc\(p_log\) --id=\d+ -p local5\.info\n<6>container already stopped\nEOF\n$/,
    );
  });

  it("from the snapshot, a line reaches journald's stream socket (node:net loaded after deserialization)", async () => {
    const tools = path.join(dir, 'journal-tools');
    const logger = fakeLogger(tools);
    writeFileSync(path.join(tools, 'lxc-info'), '#!/bin/sh\necho "State:          STOPPED"\n', {
      mode: 0o755,
    });
    const journal = await fakeJournal(tools);
    try {
      const r = await run(['stop'], {
        PATH: `${bin}:${tools}:/usr/sbin:/usr/bin:/sbin:/bin`,
        OCF_RESKEY_container: 'ct-log',
        OCF_RESOURCE_INSTANCE: 'p_log',
        HA_LOGFACILITY: 'daemon',
        LXCHA_JOURNAL_SOCKET: journal.socket,
      });
      expect(r.started[0]).toMatch(/^--snapshot-blob /);
      expect(r.code, r.stderr).toBe(0);
      const [connection] = await journal.settled();
      expect(connection?.text).toBe('lxc(p_log)\n\n30\n1\n0\n0\n0\n<6>container already stopped\n');
      expect(existsSync(logger.record)).toBe(false);
    } finally {
      await journal.close();
    }
  });

  it('a flag or more than one argument goes to the plain bundle (the administrator CLI)', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js --help$/);
    expect(help.stdout).toContain('lxc <action>');
    const two = await run(['monitor', '--container', 'x']);
    expect(two.started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js monitor --container x$/);
  });

  it('with NODE_OPTIONS set, the snapshot is not used', async () => {
    const r = await run(['usage'], { NODE_OPTIONS: '--no-warnings' });
    expect(r.code).toBe(0);
    expect(r.started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js usage$/);
  });

  it('another node binary never loads the blob of the old one: plain run, then its own blob', async () => {
    const before = blobs();
    writeNodeWrapper(); // a new file: another inode and mtime, as a package upgrade makes
    const r = await run(['usage']);
    expect(r.code).toBe(0);
    expect(r.started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js usage$/);
    expect(r.stdout).toBe(plainUsage);
    for (let i = 0; i < 240 && blobs().length === before.length; i++)
      await new Promise((res) => setTimeout(res, 250));
    expect(blobs().filter((b) => !before.includes(b))).toHaveLength(1);
  });

  it("a new blob replaces this node binary's blobs of other builds and leaves other binaries' alone", async () => {
    const current = blobs().find((b) => parseBlobName(b)?.nodeId === nodeId());
    expect(current).toBeDefined();
    const staleBuild = `lxc_0000000000000000_${nodeId()}.blob`;
    const otherNode = 'lxc_0000000000000000_1-2-3-4.blob';
    for (const f of [staleBuild, otherNode]) writeFileSync(path.join(snapshots, f), 'not a blob');
    rmSync(path.join(snapshots, current ?? ''));
    expect((await run(['usage'])).started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js usage$/);
    for (let i = 0; i < 240 && !blobs().includes(current ?? ''); i++)
      await new Promise((res) => setTimeout(res, 250));
    expect(blobs()).toContain(current);
    expect(blobs()).not.toContain(staleBuild);
    expect(blobs()).toContain(otherNode);
    rmSync(path.join(snapshots, otherNode));
  });

  it('a snapshot directory it cannot create changes nothing: the answer, no output on stderr', async () => {
    const r = await run(['usage'], { LXCHA_SNAPSHOT_DIR: '/proc/lxcha-cannot-exist' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(plainUsage);
  });

  it('without node on PATH: not installed (5), with a reason', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(agent, ['monitor'], { env: { PATH: '/nonexistent' } }, (error, _o, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), stderr: String(stderr) }),
      ),
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('ocf-exit-reason:node (Node.js) is not installed');
  });
});

describe('meta-data, which Pacemaker asks for before each start: the launcher prints it without node', () => {
  const launcherOf = (name: string) => path.join(dir, 'ocf/resource.d/lxcha', name);
  const bundleOf = (name: string) => path.join(dir, 'ocf/lib/lxcha/agents', `${name}.js`);
  /** The bundle's own answer, node run directly, as every action's answer is made. */
  const fromBundle = (name: string, env: Record<string, string>) =>
    execFileSync(process.execPath, [bundleOf(name), 'meta-data'], { encoding: 'utf8', env });

  // OCF_RA_VERSION_MAJOR/MINOR as a manager may set them; Pacemaker 2.1 sets 1 and 1.
  const versions: Record<string, Record<string, string>> = {
    'no version (OCF 1.0)': {},
    '1.0': { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '0' },
    '1 without a minor (OCF 1.0)': { OCF_RA_VERSION_MAJOR: '1' },
    'an empty major (OCF 1.0)': { OCF_RA_VERSION_MAJOR: '', OCF_RA_VERSION_MINOR: '1' },
    '1.1, as Pacemaker sets it': { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' },
    '1.12': { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '12' },
  };
  for (const name of ['lxc', 'drbd-lvm'])
    for (const [label, env] of Object.entries(versions))
      it(`${name}, ${label}: byte for byte the bundle's answer, and node never starts`, async () => {
        const r = await run(['meta-data'], env, launcherOf(name));
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.started).toEqual([]);
        expect(r.stdout).toBe(fromBundle(name, env));
      });

  it('a version the launcher does not read itself (2.0, 1.x, " 1") goes to node, which answers', async () => {
    for (const env of [
      { OCF_RA_VERSION_MAJOR: '2', OCF_RA_VERSION_MINOR: '0' },
      { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: 'x' },
      { OCF_RA_VERSION_MAJOR: ' 1', OCF_RA_VERSION_MINOR: '1' },
    ]) {
      const r = await run(['meta-data'], env);
      expect(r.code).toBe(0);
      expect(r.started).toHaveLength(1);
      expect(r.stdout).toBe(fromBundle('lxc', env));
    }
  });

  it('without its meta-data file the launcher falls back to node, with the same answer', async () => {
    const file = path.join(dir, 'ocf/lib/lxcha/agents/lxc.meta-data.ocf-1.1.xml');
    renameSync(file, `${file}.away`);
    try {
      const env = { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' };
      const r = await run(['meta-data'], env);
      expect(r.code).toBe(0);
      expect(r.started).toHaveLength(1);
      expect(r.stdout).toBe(fromBundle('lxc', env));
    } finally {
      renameSync(`${file}.away`, file);
    }
  });

  it('meta-data with a flag or a second argument is the administrator CLI, not the file', async () => {
    const r = await run(['meta-data', '--help']);
    expect(r.started[0]).toMatch(/lib\/lxcha\/agents\/lxc\.js meta-data --help$/);
  });
});

describe('the snapshot builder', () => {
  it('a build that fails leaves no blob and no lock, and marks the failure so that it is not retried', () => {
    const where = mkdtempSync(path.join(tmpdir(), 'lxcha-snapshot-fail-'));
    try {
      const blob = path.join(where, 'lxc_0000000000000000_1-2-3-4.blob');
      writeFileSync(`${blob}.lock`, '');
      const missing = path.join(where, 'no-such-bundle.js');
      expect(buildSnapshot(blob, missing)).toBe(1);
      expect(readdirSync(where).sort()).toEqual([path.basename(`${blob}.failed`)]);
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  });

  it('a bundle whose snapshot does not pass its check is refused', () => {
    const where = mkdtempSync(path.join(tmpdir(), 'lxcha-snapshot-check-'));
    try {
      const bundle = path.join(where, 'quiet.js');
      // Builds a valid snapshot whose main prints nothing (no check answer): the builder must refuse it.
      writeFileSync(
        bundle,
        "require('v8').startupSnapshot.setDeserializeMainFunction(() => { process.exitCode = 0; });\n",
      );
      const blob = path.join(where, 'quiet_0000000000000000_1-2-3-4.blob');
      expect(buildSnapshot(blob, bundle)).toBe(1);
      expect(existsSync(blob)).toBe(false);
      expect(existsSync(`${blob}.failed`)).toBe(true);
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  });
});

describe("DRBD's fence-peer handlers: the same launcher scheme, DRBD's arguments untouched", () => {
  const handler = (name: string) => path.join(dir, 'ocf/lib/lxcha', name);
  const handlerBundle = (name: string) => path.join(dir, 'ocf/lib/lxcha/handlers', `${name}.js`);
  let cibFile = '';
  const env = (): Record<string, string> => ({
    CIB_file: cibFile,
    DRBD_RESOURCE: 'r0',
    LXCHA_FENCE_PEER_NO_SYSLOG: '1',
  });
  /** The handler's own lines with the pid taken out (each run is another process). */
  const said = (stderr: string) => stderr.replace(/drbd-fence-peer\[\d+\]/g, 'drbd-fence-peer[pid]');
  let plainUnfence = '';

  beforeAll(() => {
    // An empty CIB of Pacemaker's own cibadmin, in a file: no cluster is asked (npm test installs pacemaker).
    cibFile = path.join(dir, 'cib.xml');
    writeFileSync(
      cibFile,
      execFileSync('/usr/sbin/cibadmin', ['--empty'], { encoding: 'utf8', env: { CIB_file: cibFile } }),
    );
    rmSync(snapshots, { recursive: true, force: true });
  });

  it('without a snapshot, after-resync-target runs the plain bundle and leaves a checked blob', async () => {
    const r = await run(['after-resync-target'], env(), handler('unfence-peer'));
    expect(r.code, r.stderr).toBe(0);
    expect(said(r.stderr)).toBe('drbd-fence-peer[pid]: no fencing constraint for r0\n');
    expect(r.started).toEqual([`${handlerBundle('unfence-peer')} after-resync-target`]);
    plainUnfence = r.stderr;
    const files = await waitForBlob();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^unfence-peer_[0-9a-f]{16}_\d+-\d+-\d+-\d+\.blob$/);
  });

  it("from the snapshot, node gets the launcher's own path first and answers the same", async () => {
    const r = await run(['after-resync-target'], env(), handler('unfence-peer'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual([`--snapshot-blob /dev/fd/3 ${handler('unfence-peer')} after-resync-target`]);
    expect(said(r.stderr)).toBe(said(plainUnfence));
  });

  it("the drbd-lvm agent's snapshot builder also builds fence-peer's: the first fence after a boot starts from it", async () => {
    const before = blobs();
    const usage = await run(['usage'], {}, path.join(dir, 'ocf/resource.d/lxcha/drbd-lvm'));
    expect(usage.code).toBe(0);
    for (let i = 0; i < 480 && !blobs().some((b) => b.startsWith('fence-peer_')); i++)
      await new Promise((res) => setTimeout(res, 250));
    const added = blobs()
      .filter((b) => !before.includes(b))
      .sort();
    expect(added.map((b) => b.split('_')[0])).toEqual(['drbd-lvm', 'fence-peer']);
    // Named as fence-peer's launcher names it, so that launcher uses it: DRBD runs it with no argument.
    const r = await run([], { ...env(), DRBD_RESOURCE: 'bad name' }, handler('fence-peer'));
    expect(r.started).toEqual([`--snapshot-blob /dev/fd/3 ${handler('fence-peer')}`]);
    expect(r.code).toBe(1);
    expect(said(r.stderr)).toBe(
      'drbd-fence-peer[pid]: DRBD_RESOURCE "bad name" is missing or not a DRBD resource name\n',
    );
  });

  it("the role comes from the handler's name from the snapshot too: fence-peer fences, options pass on", async () => {
    // No promotable clone in this CIB: fence-peer answers 1 with its own reason, after reading --timeout.
    const r = await run(['--timeout=5'], env(), handler('fence-peer'));
    expect(r.started).toEqual([`--snapshot-blob /dev/fd/3 ${handler('fence-peer')} --timeout=5`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no promotable clone in the CIB manages DRBD resource r0');
    const bad = await run(['--timeout=0'], env(), handler('fence-peer'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--timeout=0 is out of range');
  });

  it('with NODE_OPTIONS set, the plain bundle runs', async () => {
    const r = await run([], { ...env(), NODE_OPTIONS: '--no-warnings' }, handler('unfence-peer'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.started).toEqual([handlerBundle('unfence-peer')]);
  });

  it('run by a bare name (sh fence-peer), it answers 1 and starts nothing, whatever its environment holds', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(
        '/bin/sh',
        ['fence-peer'],
        { cwd: path.join(dir, 'ocf/lib/lxcha'), env: { PATH: `${bin}:/usr/bin:/bin`, path_ok: '1' } },
        (error, _o, stderr) =>
          resolve({ code: error === null ? 0 : (error.code as number), stderr: String(stderr) }),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('drbd-fence-peer: run the handler by its path');
  });

  it('without node on PATH: 1 (DRBD reads it as a broken helper), with a reason', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(handler('fence-peer'), [], { env: { PATH: '/nonexistent' } }, (error, _o, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), stderr: String(stderr) }),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('drbd-fence-peer: node (Node.js) is not installed');
  });
});
