// The Vagrantfile: Debian's vagrant accepts it (`vagrant validate`) for both stacks, and the machines it
// describes get one extra disk per DRBD resource of cluster/cluster.env, handed to cluster/vagrant-node.sh.
// Run on a copy (the Vagrantfile writes .vagrant/lxcha-authkey next to itself) with a VAGRANT_HOME of its own.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITES } from '../cluster/sites.js';
import { repoRoot } from '../helpers/paths.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-vagrant-'));
  cpSync(path.join(repoRoot, 'Vagrantfile'), path.join(dir, 'Vagrantfile'));
  cpSync(path.join(repoRoot, 'cluster'), path.join(dir, 'cluster'), { recursive: true });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function validate(stack: string): { code: number | null; out: string } {
  const r = spawnSync('vagrant', ['validate'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, VAGRANT_HOME: path.join(dir, 'home'), LXCHA_STACK: stack },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('Vagrantfile', () => {
  it.each(['anchor', 'lxcha'])('passes vagrant validate with LXCHA_STACK=%s', (stack) => {
    const r = validate(stack);
    expect(r.out).toContain('Vagrantfile validated successfully');
    expect(r.code).toBe(0);
    // Loading it made the one corosync authkey of this checkout, 256 bytes.
    expect(readFileSync(path.join(dir, '.vagrant', 'lxcha-authkey')).length).toBe(256);
  });

  it('fails vagrant validate when cluster.env is missing', () => {
    const env = path.join(dir, 'cluster', 'cluster.env');
    const saved = readFileSync(env);
    rmSync(env);
    try {
      const r = validate('anchor');
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/cluster\.env/);
    } finally {
      cpSync(path.join(repoRoot, 'cluster', 'cluster.env'), env);
      expect(readFileSync(env)).toEqual(saved);
    }
  });

  it('gives each node one extra disk per DRBD resource and passes them to vagrant-node.sh in that order', () => {
    const text = readFileSync(path.join(repoRoot, 'Vagrantfile'), 'utf8');
    expect(text.match(/override\.vm\.disk :disk/g)?.length).toBe(SITES.length);
    expect(text.match(/lv\.storage :file/g)?.length).toBe(SITES.length);
    expect(text).toContain("args: [name, '/dev/sdb', '/dev/sdc']");
    expect(text).toContain("args: [name, '/dev/vdb', '/dev/vdc']");
    expect(existsSync(path.join(repoRoot, 'cluster', 'vagrant-node.sh'))).toBe(true);
  });
});
