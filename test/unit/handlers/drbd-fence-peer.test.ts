// The built fence-peer handler against Pacemaker's real cibadmin and crm_resource working on a CIB file
// (CIB_file): real schema validation of the constraint, no cluster touched. Only crm_node is faked.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { peerNames } from '../../../handlers/drbd-fence-peer/fence.js';
import { fakeJournal } from '../../helpers/fake-journal.js';
import { fakeLogger } from '../../helpers/fake-logger.js';
import { repoRoot } from '../../helpers/paths.js';

const handlerDir = path.join(repoRoot, 'dist/ocf/lib/lxcha');

let dir = '';
let cibFile = '';
let drbdConf = '';
const cibEnv = (): NodeJS.ProcessEnv => ({
  PATH: `${path.join(repoRoot, 'test/fakes/handler')}:/usr/sbin:/usr/bin:/sbin:/bin`,
  CIB_file: cibFile,
});

/**
 * A drbd.conf for Debian's real drbdadm (drbd-utils 9.22; without the module it reads DRBD 9 syntax,
 * where `fencing` is a net option), with this host as one of the two nodes so that `dump` answers.
 */
function writeDrbdConf(fencing: string | undefined): void {
  drbdConf = path.join(dir, 'drbd.conf');
  writeFileSync(
    drbdConf,
    `resource r0 {\n  device /dev/drbd0;\n  disk /dev/vdb;\n  meta-disk internal;\n` +
      (fencing === undefined ? '' : `  net { fencing ${fencing}; }\n`) +
      `  on ${hostname()} { node-id 0; address 169.254.10.1:7789; }\n` +
      `  on node2 { node-id 1; address 169.254.10.2:7789; }\n}\n`,
  );
}

/** cibadmin on the test's CIB file only: CIB_file is always set, so the live cluster is never asked. */
function cibadmin(...args: string[]): string {
  if (!cibFile) throw new Error('CIB_file not set');
  return execFileSync('cibadmin', args, { env: cibEnv(), encoding: 'utf8' });
}

const clone = (drbdResource: string, agent = 'provider="lxcha" type="drbd-lvm"'): string =>
  `<clone id="drbdlvm-clone"><meta_attributes id="cm"><nvpair id="cm-p" name="promotable" value="true"/></meta_attributes>` +
  `<primitive id="drbdlvm" class="ocf" ${agent}><instance_attributes id="ia"><nvpair id="ia-r" name="drbd_resource" value="${drbdResource}"/></instance_attributes>` +
  `<operations><op id="drbdlvm-mon" name="monitor" interval="29s" role="Promoted"/></operations></primitive></clone>`;

const nodeState = (id: number, uname: string, member: boolean, lrm = '', expected = 'member'): string =>
  `<node_state id="${id}" uname="${uname}" in_ccm="${member}" crmd="${member ? 'online' : 'offline'}" join="${member ? 'member' : 'down'}" expected="${expected}">${lrm}</node_state>`;

const promotedOn = (id: number): string =>
  `<lrm id="${id}"><lrm_resources><lrm_resource id="drbdlvm" class="ocf" provider="lxcha" type="drbd-lvm">` +
  `<lrm_rsc_op id="drbdlvm_last_0" operation_key="drbdlvm_promote_0" operation="promote" crm-debug-origin="test" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" exit-reason="" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="100" queue-time="0" op-digest="x"/>` +
  `</lrm_resource></lrm_resources></lrm>`;

interface Setup {
  peerMember?: boolean;
  peerPromoted?: boolean;
  /** The peer's node_state expected="…" (Pacemaker writes "down" once it fenced the node). */
  peerExpected?: string;
  resource?: string;
  /** drbd.conf's fencing policy; undefined for none (DRBD's default). */
  fencing?: string | undefined;
}

function setup(options: Setup = {}): void {
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-fence-'));
  writeDrbdConf('fencing' in options ? options.fencing : 'resource-only');
  cibFile = path.join(dir, 'cib.xml');
  writeFileSync(cibFile, execFileSync('cibadmin', ['--empty'], { env: cibEnv(), encoding: 'utf8' }));
  cibadmin('--create', '--scope', 'nodes', '--xml-text', '<node id="1" uname="node1"/>');
  cibadmin('--create', '--scope', 'nodes', '--xml-text', '<node id="2" uname="node2"/>');
  cibadmin('--create', '--scope', 'resources', '--xml-text', clone(options.resource ?? 'r0'));
  cibadmin('--create', '--scope', 'status', '--xml-text', nodeState(1, 'node1', true));
  cibadmin(
    '--create',
    '--scope',
    'status',
    '--xml-text',
    nodeState(
      2,
      'node2',
      options.peerMember ?? true,
      options.peerPromoted === true ? promotedOn(2) : '',
      options.peerExpected,
    ),
  );
}

/** The peer's node_state as the DC writes it once node2 is fenced (or left cleanly). */
function peerFenced(): void {
  cibadmin('--modify', '--scope', 'status', '--xml-text', nodeState(2, 'node2', false, '', 'down'));
}

interface Run {
  code: number | null;
  stderr: string;
}
/**
 * DRBD runs the handler by name: fence-peer, or unfence-peer (also as after-resync-target), with the
 * arguments of its command line in drbd.conf.
 */
function runHandler(
  role: string,
  env: Record<string, string | undefined>,
  options: string[] = [],
): Promise<Run> {
  const [file, args] =
    role === 'fence-peer'
      ? ['fence-peer', options]
      : role === 'unfence-peer'
        ? ['unfence-peer', options]
        : ['unfence-peer', [role, ...options]];
  // An undefined value removes the variable (LXCHA_FENCE_PEER_NO_SYSLOG: undefined lets it log to syslog).
  const merged: Record<string, string | undefined> = {
    ...cibEnv(),
    LXCHA_TEST_NODE: 'node1',
    DRBD_CONF: drbdConf,
    LXCHA_FENCE_PEER_NO_SYSLOG: '1',
    ...env,
  };
  const childEnv = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return new Promise((resolve) => {
    execFile(
      path.join(handlerDir, file),
      args,
      {
        env: childEnv,
        encoding: 'utf8',
      },
      (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr });
      },
    );
  });
}

const constraints = (): string => cibadmin('--query', '--scope', 'constraints');

/** fence-peer for r0: it must answer `code` with the constraint on r0's clone placed. */
async function expectPlaced(code: number, env: Record<string, string>, options: string[] = []): Promise<Run> {
  const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0', ...env }, options);
  expect(r.code, r.stderr).toBe(code);
  expect(constraints()).toContain('lxcha-fence-r0-drbdlvm-clone');
  return r;
}

beforeAll(() => {
  // Not a skip: without Pacemaker's tools these tests fail, saying what is missing (npm test installs it).
  for (const tool of ['/usr/sbin/cibadmin', '/usr/sbin/crm_resource'])
    if (!existsSync(tool)) throw new Error(`${tool} is missing: install pacemaker (npm test does)`);
  if (!existsSync(path.join(handlerDir, 'unfence-peer')))
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
});
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  cibFile = '';
  drbdConf = '';
});

describe("drbd-fence-peer with Pacemaker's cibadmin on a CIB file", () => {
  it('fence-peer places a -INFINITY Promoted rule for every node but this one, and answers 4', async () => {
    setup();
    const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2' });
    expect(r.code, r.stderr).toBe(4);
    const xml = constraints();
    expect(xml).toContain('<rsc_location id="lxcha-fence-r0-drbdlvm-clone" rsc="drbdlvm-clone">');
    expect(xml).toContain('role="Promoted" score="-INFINITY"');
    expect(xml).toContain('attribute="#uname" operation="ne" value="node1"');
    // crm_simulate-free check that Pacemaker reads it: crm_resource sees the constraint on the clone.
    expect(
      execFileSync('crm_resource', ['--resource', 'drbdlvm-clone', '--constraints'], {
        env: cibEnv(),
        encoding: 'utf8',
      }),
    ).toMatch(/lxcha-fence-r0-drbdlvm-clone/);
  });

  it('without a journald socket, tells syslog through one logger that it does not wait for: the lines land after the handler exited', async () => {
    setup();
    // A logger that first waits for the handler (its --id) to be gone: a handler that waited for its logger
    // would never answer. It then records its arguments and the lines it reads.
    const logger = fakeLogger(path.join(dir, 'bin'), { afterParentExit: true });
    const r = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      LXCHA_FENCE_PEER_NO_SYSLOG: undefined,
      LXCHA_JOURNAL_SOCKET: path.join(dir, 'no-journal'),
      PATH: `${logger.pathDir}:${cibEnv().PATH ?? ''}`,
    });
    expect(r.code, r.stderr).toBe(4);
    const lines = (await logger.settled(10_000)).trim().split('\n');
    expect(lines[0]).toMatch(/^ARGS --prio-prefix -t drbd-fence-peer --id=\d+$/);
    expect(lines.slice(1, -1)).toEqual([
      expect.stringMatching(
        /^<5>placed lxcha-fence-r0-drbdlvm-clone: drbdlvm-clone may be promoted only on node1 \(node start \d+\.\d s, first reads \d+\.\d s, answered at \d+\.\d s\)$/,
      ),
    ]);
    expect(lines.at(-1)).toBe('EOF');
    // The same line on stderr, for a run by hand.
    expect(r.stderr).toContain('placed lxcha-fence-r0-drbdlvm-clone');
  });

  it('with a journald socket, its line goes there (user.info, identifier drbd-fence-peer) and no logger runs', async () => {
    setup();
    const logger = fakeLogger(path.join(dir, 'bin'));
    const journal = await fakeJournal(dir);
    try {
      const r = await runHandler('fence-peer', {
        DRBD_RESOURCE: 'r0',
        LXCHA_FENCE_PEER_NO_SYSLOG: undefined,
        LXCHA_JOURNAL_SOCKET: journal.socket,
        PATH: `${logger.pathDir}:${cibEnv().PATH ?? ''}`,
      });
      expect(r.code, r.stderr).toBe(4);
      const [connection] = await journal.settled(1, 10_000);
      const lines = (connection?.text ?? '').split('\n');
      expect(lines.slice(0, 7)).toEqual(['drbd-fence-peer', '', '14', '1', '0', '0', '0']);
      expect(lines.slice(7)).toEqual([
        expect.stringMatching(
          /^<5>placed lxcha-fence-r0-drbdlvm-clone: drbdlvm-clone may be promoted only on node1 /,
        ),
        '',
      ]);
      expect(existsSync(logger.record)).toBe(false);
    } finally {
      await journal.close();
    }
  });

  it('fencing twice keeps one constraint', async () => {
    setup();
    expect((await runHandler('fence-peer', { DRBD_RESOURCE: 'r0' })).code).toBe(4);
    expect((await runHandler('fence-peer', { DRBD_RESOURCE: 'r0' })).code).toBe(4);
    expect(constraints().match(/<rsc_location /g)).toHaveLength(1);
  });

  it('answers 5 when the peer is not a cluster member (the constraint is placed all the same)', async () => {
    setup({ peerMember: false });
    await expectPlaced(5, { DRBD_PEER_NODE_ID: '1', DRBD_NODE_ID_1: 'node2' });
  });

  it('does not run crm_resource (a scheduler run) when the peer is not a cluster member', async () => {
    // The peer crashed while promoted: only a live member could hold the role, so no --locate is needed.
    setup({ peerMember: false, peerPromoted: true });
    const fakes = path.join(dir, 'bin');
    const calls = path.join(dir, 'crm_resource.calls');
    mkdirSync(fakes);
    writeFileSync(path.join(fakes, 'crm_resource'), `#!/bin/sh\necho "$*" >> ${calls}\nexit 1\n`, {
      mode: 0o755,
    });
    await expectPlaced(5, { DRBD_PEER: 'node2', PATH: `${fakes}:${cibEnv().PATH ?? ''}` });
    expect(existsSync(calls)).toBe(false);
    // With the peer a member, the same fake is asked (and its failure is survived: no promoted peer known).
    const first = dir;
    setup({ peerMember: true });
    const member = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      DRBD_PEER: 'node2',
      PATH: `${fakes}:${cibEnv().PATH ?? ''}`,
    });
    expect(member.code, member.stderr).toBe(4);
    expect(readFileSync(calls, 'utf8')).toContain('--resource drbdlvm-clone --locate');
    rmSync(first, { recursive: true, force: true });
  });

  it('answers 6 and places nothing when the peer is the promoted one and alive', async () => {
    setup({ peerPromoted: true });
    const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2' });
    expect(r.code, r.stderr).toBe(6);
    expect(constraints()).not.toContain('rsc_location');
  });

  it('answers 1 when no promotable clone manages the DRBD resource', async () => {
    setup({ resource: 'r7' });
    const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no promotable clone in the CIB manages DRBD resource r0/);
  });

  it('answers 1 for a missing or hostile DRBD_RESOURCE, touching nothing', async () => {
    setup();
    const before = readFileSync(cibFile, 'utf8');
    expect((await runHandler('fence-peer', {})).code).toBe(1);
    expect((await runHandler('fence-peer', { DRBD_RESOURCE: 'r0"/><x' })).code).toBe(1);
    expect(readFileSync(cibFile, 'utf8')).toBe(before);
  });

  it('answers 1 when the CIB cannot be reached', async () => {
    setup();
    const r = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      CIB_file: path.join(dir, 'nonexistent', 'cib.xml'),
    });
    expect(r.code).toBe(1);
  });

  it.each(['after-resync-target', 'unfence-peer'])(
    '%s lifts the constraint (and is fine when there is none)',
    async (role) => {
      setup();
      expect((await runHandler('fence-peer', { DRBD_RESOURCE: 'r0' })).code).toBe(4);
      const r = await runHandler(role, { DRBD_RESOURCE: 'r0' });
      expect(r.code, r.stderr).toBe(0);
      expect(constraints()).not.toContain('rsc_location');
      expect((await runHandler(role, { DRBD_RESOURCE: 'r0' })).code).toBe(0);
    },
  );

  it('also finds an ocf:linbit:drbd clone', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lxcha-fence-'));
    writeDrbdConf('resource-only');
    cibFile = path.join(dir, 'cib.xml');
    writeFileSync(cibFile, execFileSync('cibadmin', ['--empty'], { env: cibEnv(), encoding: 'utf8' }));
    cibadmin('--create', '--scope', 'resources', '--xml-text', clone('r0', 'provider="linbit" type="drbd"'));
    expect((await runHandler('fence-peer', { DRBD_RESOURCE: 'r0' })).code).toBe(4);
  });
});

describe('drbd-fence-peer under fencing resource-and-stonith (DRBD has frozen I/O until it answers)', () => {
  const stonith = { fencing: 'resource-and-stonith' };

  it('answers 7 and places the constraint when the CIB says the peer was fenced (not a member, expected down)', async () => {
    setup({ ...stonith, peerMember: false, peerExpected: 'down' });
    const r = await expectPlaced(7, { DRBD_PEER: 'node2' });
    expect(r.stderr).toMatch(/node2 fenced \(not a member, expected down\)/);
  });

  it('waits while the peer is lost but not yet fenced, and answers 7 once it is', async () => {
    // The partition: node2 left the membership, its fencing is still under way (expected="member").
    setup({ ...stonith, peerMember: false });
    const started = Date.now();
    const run = runHandler('fence-peer', { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2' }, ['--timeout=60']);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(constraints()).not.toContain('rsc_location');
    peerFenced();
    const r = await run;
    expect(r.code, r.stderr).toBe(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(constraints()).toContain('lxcha-fence-r0-drbdlvm-clone');
  });

  it("runs its first three reads (the CIB, the node's name, drbd.conf's policy) side by side", async () => {
    // DRBD holds I/O while the handler runs; each read waits on a daemon (or parses drbd.conf) for seconds on a
    // loaded node. Shims stamp each tool's start and end around a 0.5 s pause and the real tool.
    setup({ ...stonith, peerMember: false, peerExpected: 'down' });
    const shims = path.join(dir, 'shims');
    const stamps = path.join(dir, 'stamps');
    mkdirSync(shims);
    const real: Record<string, string> = {
      cibadmin: '/usr/sbin/cibadmin',
      crm_node: path.join(repoRoot, 'test/fakes/handler/crm_node'),
      drbdadm: '/usr/sbin/drbdadm',
    };
    for (const [tool, target] of Object.entries(real))
      writeFileSync(
        path.join(shims, tool),
        `#!/bin/sh
echo "start ${tool} $(date +%s%3N)" >> '${stamps}'
sleep 0.5
'${target}' "$@"
rc=$?
` +
          `echo "end ${tool} $(date +%s%3N)" >> '${stamps}'
exit $rc
`,
        { mode: 0o755 },
      );
    const r = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      DRBD_PEER: 'node2',
      PATH: `${shims}:${cibEnv().PATH ?? ''}`,
    });
    expect(r.code, r.stderr).toBe(7);
    const lines = readFileSync(stamps, 'utf8').trim().split('\n');
    const first = (event: string, tool: string): number => {
      const line = lines.find((l) => l.startsWith(`${event} ${tool} `));
      if (line === undefined) throw new Error(`no ${event} of ${tool} in:\n${lines.join('\n')}`);
      return Number(line.split(' ')[2]);
    };
    const tools = Object.keys(real);
    // Every one of the three had started before any of them ended.
    expect(Math.max(...tools.map((t) => first('start', t)))).toBeLessThan(
      Math.min(...tools.map((t) => first('end', t))),
    );
  });

  it('reads the whole CIB once to start with, then only the node states, every half second while it waits', async () => {
    // Each cibadmin costs seconds on a loaded node while DRBD holds I/O: one call for the clone and the first
    // node states, and a look every 0.5 s (it was 2 s) so that I/O resumes soon after the DC records the fencing.
    setup({ ...stonith, peerMember: false });
    const shims = path.join(dir, 'shims');
    const calls = path.join(dir, 'cibadmin.calls');
    mkdirSync(shims);
    writeFileSync(
      path.join(shims, 'cibadmin'),
      `#!/bin/sh\necho "$*" >> '${calls}'\nexec /usr/sbin/cibadmin "$@"\n`,
      { mode: 0o755 },
    );
    const run = runHandler(
      'fence-peer',
      { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2', PATH: `${shims}:${cibEnv().PATH ?? ''}` },
      ['--timeout=60'],
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    peerFenced();
    const r = await run;
    expect(r.code, r.stderr).toBe(7);
    const queries = readFileSync(calls, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('--query'));
    expect(queries[0]).toBe('--query');
    expect(queries.filter((q) => q === '--query')).toHaveLength(1);
    expect(queries.filter((q) => q.includes('--scope resources'))).toEqual([]);
    // Each look asks for the node states without their operation history (most of the status section).
    const looks = queries.filter((q) => q !== '--query');
    expect(new Set(looks)).toEqual(
      new Set(['--query --xpath /cib/status|/cib/status/node_state --no-children']),
    );
    // 3 s of waiting at a 0.5 s pause (plus each call's own time) is at least 4 looks; a 2 s pause makes 2.
    expect(looks.length).toBeGreaterThanOrEqual(4);
  });

  it('does not trust a CIB that still calls the peer a member while its controller is silent', async () => {
    // The seconds after a cut, before corosync declares the peer lost: the CIB still says member/online.
    setup(stonith);
    const calls = path.join(dir, 'crmadmin.calls');
    const run = runHandler(
      'fence-peer',
      {
        DRBD_RESOURCE: 'r0',
        DRBD_PEER: 'node2',
        LXCHA_TEST_CRMADMIN: 'silent',
        LXCHA_TEST_CRMADMIN_CALLS: calls,
      },
      ['--timeout=60'],
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(readFileSync(calls, 'utf8')).toContain('--status=node2 --timeout=5s --output-as=xml');
    expect(constraints()).not.toContain('rsc_location');
    peerFenced();
    expect((await run).code).toBe(7);
  });

  it("answers 4 at once when the peer's controller answers (only the replication link is down)", async () => {
    setup(stonith);
    await expectPlaced(4, { DRBD_PEER: 'node2', LXCHA_TEST_CRMADMIN: 'ok' });
  });

  it('answers 6 when the answering peer holds the Promoted role', async () => {
    setup({ ...stonith, peerPromoted: true });
    const r = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      DRBD_PEER: 'node2',
      LXCHA_TEST_CRMADMIN: 'ok',
    });
    expect(r.code, r.stderr).toBe(6);
    expect(constraints()).not.toContain('rsc_location');
  });

  it('at --timeout answers 1, which keeps I/O frozen, places the constraint and says how to resume', async () => {
    setup({ ...stonith, peerMember: false });
    const started = Date.now();
    const r = await expectPlaced(1, { DRBD_PEER: 'node2' }, ['--timeout=3']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stderr).toMatch(
      /TIMEOUT after 3s: the peer was neither fenced nor reachable \(last: node2 not a member/,
    );
    expect(r.stderr).toMatch(
      /I\/O of r0 stays frozen\. Once the peer is known to be down: drbdadm resume-io r0/,
    );
  });

  it('waits as resource-and-stonith requires when drbd.conf cannot be read', async () => {
    setup({ peerMember: false, peerExpected: 'down' });
    const r = await runHandler('fence-peer', {
      DRBD_RESOURCE: 'r0',
      DRBD_PEER: 'node2',
      DRBD_CONF: path.join(dir, 'nonexistent.conf'),
    });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(
      /cannot read the fencing policy of r0 .*waiting as resource-and-stonith requires/,
    );
  });

  it.each([undefined, 'dont-care', 'resource-only'])(
    'fencing %s: answers at once from the CIB (5 for a lost peer), never waiting',
    async (fencing) => {
      setup({ fencing, peerMember: false });
      const started = Date.now();
      const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2' }, ['--timeout=60']);
      expect(r.code, r.stderr).toBe(5);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  it.each(['--timeout=0', '--timeout=86401', '--timeout=abc', '--timeout', '--wait'])(
    'refuses the option %s with 1 and changes nothing',
    async (option) => {
      setup({ ...stonith, peerMember: false, peerExpected: 'down' });
      const before = readFileSync(cibFile, 'utf8');
      const r = await runHandler('fence-peer', { DRBD_RESOURCE: 'r0', DRBD_PEER: 'node2' }, [option]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/nothing changed/);
      expect(readFileSync(cibFile, 'utf8')).toBe(before);
    },
  );
});

describe("peer names from DRBD's environment", () => {
  it('8.4: DRBD_PEER / DRBD_PEERS; 9: DRBD_NODE_ID_<DRBD_PEER_NODE_ID>', () => {
    expect(peerNames({ DRBD_PEER: 'node2' })).toEqual(['node2']);
    expect(peerNames({ DRBD_PEERS: 'node2 node3' })).toEqual(['node2', 'node3']);
    expect(peerNames({ DRBD_PEER_NODE_ID: '1', DRBD_NODE_ID_1: 'node2', DRBD_NODE_ID_0: 'node1' })).toEqual([
      'node2',
    ]);
    expect(peerNames({})).toEqual([]);
  });
});
