// The two-node cluster's description (cluster/): one DRBD resource per server's VG in cluster.env, read
// per resource by resources.sh, the same sites in the harness (test/cluster/sites.ts), and the two stacks'
// CIBs (cib-lxcha.crm, cib-anchor.crm) alike in everything but the agents, so that the timings compare.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSynced } from '../../cluster/helpers.js';
import { AGENTS, SITES } from '../../cluster/sites.js';
import { repoRoot } from '../../helpers/paths.js';

const dir = path.join(repoRoot, 'cluster');

/** Runs a POSIX sh snippet with cluster.env and resources.sh sourced. */
function sh(script: string, env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync('sh', ['-euc', `. ./cluster.env; . ./resources.sh; ${script}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
}

const vars = 'echo "$DRBD_RES|$DRBD_MINOR|$DRBD_PORT|$DRBD_DISK|$VG|$CONFIG_FS|$CONTAINERS|$HOME_NODE"';

describe('cluster.env and resources.sh', () => {
  it('describe one DRBD resource per site of the harness, with its VG, config filesystem, containers and home node', () => {
    expect(sh('echo $RESOURCES').out.split(' ')).toEqual(SITES.map((s) => s.res));
    for (const site of SITES) {
      const [res, minor, port, disk, vg, fs, containers, home] = sh(
        `res_vars ${site.res}; ${vars}`,
      ).out.split('|');
      expect({ res, vg, fs, containers, home }).toEqual({
        res: site.res,
        vg: site.vg,
        fs: `/${site.fs}`,
        containers: site.containers.join(' '),
        home: site.home,
      });
      expect(Number(minor)).toBe(site.minor);
      expect(disk).toMatch(/^\/dev\/vd[b-z]$/);
      expect(Number(port)).toBeGreaterThan(1024);
    }
  });

  it('gives every resource its own minor, port and backing disk', () => {
    const rows = SITES.map((s) => sh(`res_vars ${s.res}; ${vars}`).out.split('|'));
    for (const column of [1, 2, 3]) expect(new Set(rows.map((r) => r[column])).size).toBe(SITES.length);
  });

  it('takes the backing disks from DRBD_DISKS, in the order of RESOURCES (the Vagrant machines)', () => {
    const env = { DRBD_DISKS: '/dev/sdb /dev/sdc' };
    expect(sh('res_vars r0; echo $DRBD_DISK', env).out).toBe('/dev/sdb');
    expect(sh('res_vars r1; echo $DRBD_DISK', env).out).toBe('/dev/sdc');
    const short = sh('res_vars r1', { DRBD_DISKS: '/dev/sdb' });
    expect(short.code).toBe(2);
    expect(short.err).toContain('names no disk for r1');
  });

  it('refuses a resource cluster.env does not name', () => {
    const r = sh('res_vars r9');
    expect(r.code).toBe(2);
    expect(r.err).toBe("unknown DRBD resource 'r9' (cluster.env has: r0 r1)");
  });

  it('init-storage.sh refuses an unknown step or resource before touching anything', () => {
    // A drbdadm on PATH that records its calls: neither call may reach it.
    const bin = mkdtempSync(path.join(tmpdir(), 'lxcha-fake-drbdadm-'));
    const calls = path.join(bin, 'calls');
    writeFileSync(path.join(bin, 'drbdadm'), `#!/bin/sh\necho "$*" >> ${calls}\n`, { mode: 0o755 });
    const env = { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    try {
      const step = spawnSync('/bin/sh', ['init-storage.sh', 'format'], { cwd: dir, encoding: 'utf8', env });
      expect(step.status).toBe(2);
      expect(step.stderr).toContain('usage: init-storage.sh md|populate|down [RES...]');
      const res = spawnSync('/bin/sh', ['init-storage.sh', 'down', 'r0', 'r9'], {
        cwd: dir,
        encoding: 'utf8',
        env,
      });
      expect(res.status).toBe(2);
      expect(res.stderr).toContain("unknown DRBD resource 'r9'");
      expect(existsSync(calls)).toBe(false);
      // The fake itself works: a valid call reaches it.
      const ok = spawnSync('/bin/sh', ['init-storage.sh', 'down', 'r1'], { cwd: dir, encoding: 'utf8', env });
      expect(ok.status).toBe(0);
      expect(readFileSync(calls, 'utf8')).toBe('down r1\n');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

/** A CIB file's statements, one line each: comments dropped, continuation lines joined. */
function statements(file: string): string[] {
  return readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** A CIB file with the stack's own names made neutral: what must be equal for a fair comparison. */
function neutral(file: string): string[] {
  return (
    statements(file)
      .map((l) =>
        l
          .replace(/\b(p|ms)_drbd(lvm)?_/g, '$1_X_')
          .replace(/ocf:(lxcha|heartbeat):lxc\b/, 'LXC')
          .replace(/ocf:(lxcha:drbd-lvm|linbit:drbd)\b/, 'DRBD')
          .replace(/ params drbd_resource=(\w+)( vgname=\S+ exclusivity=\S+)?/, ' params drbd_resource=$1')
          // Notifications are the agents' own need (below), not part of the comparison.
          .replace(/ op notify timeout=\S+ interval=\S+/, '')
          .replace(/ notify=(true|false)\b/, ''),
      )
      // The anchor's LVM-activate primitive and its place in the group have no lxcha counterpart.
      .filter((l) => !/^primitive p_vg_/.test(l))
      .map((l) => l.replace(/^(group g_\w+) p_vg_\w+ /, '$1 '))
      .sort()
  );
}

describe('cib-lxcha.crm and cib-anchor.crm', () => {
  it('have the same primitives, operations, timeouts, intervals, groups and constraints but for the agents', () => {
    expect(neutral('cib-lxcha.crm')).toEqual(neutral('cib-anchor.crm'));
  });

  it('differ in notifications only as the agents need: ocf:linbit:drbd notify=true, drbd-lvm without', () => {
    for (const site of SITES) {
      const clone = (stack: 'anchor' | 'lxcha') =>
        statements(`cib-${stack}.crm`).find((l) => l.startsWith(`clone ${site.resources[stack].clone} `));
      expect(clone('anchor')).toMatch(/ notify=true$/);
      expect(clone('lxcha')).toMatch(/ notify=false$/);
    }
    expect(statements('cib-lxcha.crm').join('\n')).not.toMatch(/op notify/);
  });

  it("run each site's group where its DRBD resource is promoted, preferring the site's home node", () => {
    for (const file of ['cib-lxcha.crm', 'cib-anchor.crm']) {
      const lines = neutral(file);
      for (const site of SITES) {
        expect(lines).toContain(
          `colocation col_${site.fs}_with_${site.res} inf: g_${site.fs} ms_X_${site.res}:Promoted`,
        );
        expect(lines).toContain(
          `order ord_${site.res}_before_${site.fs} Mandatory: ms_X_${site.res}:promote g_${site.fs}:start`,
        );
        expect(lines).toContain(
          `location l_${site.res}_prefers_${site.home} ms_X_${site.res} rule $role=Promoted 50: #uname eq ${site.home}`,
        );
        const groupLine = lines.find((l) => l.startsWith(`group g_${site.fs} `));
        expect(groupLine).toBe(
          `group g_${site.fs} p_fs_${site.fs} ${site.containers.map((c) => `p_${c}`).join(' ')}`,
        );
      }
    }
  });

  it("define each site's resource ids as the harness's sites name them (sites.ts), in both stacks", () => {
    for (const stack of ['anchor', 'lxcha'] as const) {
      const lines = statements(`cib-${stack}.crm`);
      for (const site of SITES) {
        const ids = site.resources[stack];
        expect(lines.find((l) => l.startsWith(`primitive ${ids.promotable} `))).toMatch(
          new RegExp(` params drbd_resource=${site.res}( |$)`),
        );
        expect(lines.find((l) => l.startsWith(`clone ${ids.clone} `))).toMatch(
          new RegExp(`^clone ${ids.clone} ${ids.promotable} meta promotable=true `),
        );
        expect(lines.find((l) => l.startsWith(`group ${ids.group} `))).toBe(
          `group ${ids.group} ${ids.members.join(' ')}`,
        );
        expect(lines).toContain(
          `colocation col_${site.fs}_with_${site.res} inf: ${ids.group} ${ids.clone}:Promoted`,
        );
        expect(Object.keys(ids.containers)).toEqual(site.containers);
        for (const [ct, id] of Object.entries(ids.containers)) {
          expect(ids.members).toContain(id);
          expect(lines.find((l) => l.startsWith(`primitive ${id} `))).toMatch(
            new RegExp(` params container=${ct} config=/${site.fs}/${ct}/config `),
          );
        }
      }
    }
  });

  it("run each site's DRBD, LVM-activate and container primitives with the stack's agents (AGENTS in sites.ts)", () => {
    for (const stack of ['anchor', 'lxcha'] as const) {
      const lines = statements(`cib-${stack}.crm`);
      const agentOf = (id: string): string | undefined =>
        new RegExp(`^primitive ${id} (\\S+)`).exec(
          lines.find((l) => l.startsWith(`primitive ${id} `)) ?? '',
        )?.[1];
      const agents = AGENTS[stack];
      for (const site of SITES) {
        const ids = site.resources[stack];
        expect(agentOf(ids.promotable)).toBe(agents.drbd);
        for (const id of Object.values(ids.containers)) expect(agentOf(id)).toBe(agents.container);
        expect(ids.volumeGroup === undefined).toBe(agents.volumeGroup === undefined);
        if (ids.volumeGroup !== undefined) {
          expect(agentOf(ids.volumeGroup)).toBe(agents.volumeGroup);
          expect(ids.members[0]).toBe(ids.volumeGroup);
          expect(lines.find((l) => l.startsWith(`primitive ${ids.volumeGroup} `))).toContain(
            ` params vgname=${site.vg} `,
          );
        }
      }
    }
  });

  it('keep the home preference below resource-stickiness, so a stack that moved stays where it is', () => {
    const base = readFileSync(path.join(dir, 'cib-base.crm'), 'utf8');
    const stickiness = Number(/resource-stickiness=(\d+)/.exec(base)?.[1]);
    const preference = Number(
      /rule \$role=Promoted (\d+):/.exec(readFileSync(path.join(dir, 'cib-lxcha.crm'), 'utf8'))?.[1],
    );
    expect(preference).toBeLessThan(stickiness);
  });
});

describe('the harness sites (sites.ts)', () => {
  it('name one container for the container-crash scenario, of its own site and not a writer', () => {
    const crashed = SITES.filter((site) => site.crashed !== undefined);
    expect(crashed).toHaveLength(1);
    for (const site of crashed) {
      expect(site.containers).toContain(site.crashed);
      expect(SITES.map((s) => s.writer)).not.toContain(site.crashed);
    }
  });
});

describe('/proc/drbd as the cluster harness reads it', () => {
  const fixture = (name: string): string =>
    readFileSync(path.join(repoRoot, 'test/fixtures/drbd-8.4', `${name}.proc-drbd.stdout`), 'utf8');

  it('counts a minor as synced only when Connected with both disks UpToDate (recorded DRBD 8.4.11 output)', () => {
    expect(allSynced(fixture('primary-uptodate'), [0])).toBe(true);
    expect(allSynced(fixture('wfconnection'), [0])).toBe(false);
    expect(allSynced(fixture('down'), [0])).toBe(false);
  });

  it('reads every minor of a node with two resources', () => {
    const two =
      fixture('primary-uptodate') +
      fixture('wfconnection').split('\n').slice(2).join('\n').replace(' 0:', ' 1:');
    expect(allSynced(two, [0])).toBe(true);
    expect(allSynced(two, [0, 1])).toBe(false);
    // Connected again, the peer's disk not yet known: not synced.
    expect(allSynced(two.replace('cs:WFConnection', 'cs:Connected'), [0, 1])).toBe(false);
    expect(
      allSynced(two.replace('cs:WFConnection', 'cs:Connected').replace('DUnknown', 'UpToDate'), [0, 1]),
    ).toBe(true);
  });
});
