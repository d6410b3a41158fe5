// `npm run package`: the .deb's control fields, its exact contents with owners and modes, lintian, and
// (in 53-debian-package-vm) apt-get install and purge in the emulated Debian 12 VM.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPackage } from '../../tools/package-deb.js';
import { run } from '../helpers/cib.js';
import { repoRoot } from '../helpers/paths.js';

let dir: string;
let deb: string;

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('these tests need root (npm test installs lintian)');
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-deb-test-'));
  deb = buildPackage({ repo: repoRoot, outDir: dir, log: () => undefined });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const field = (info: string, name: string): string | undefined =>
  new RegExp(`^ ${name}: (.*)$`, 'm').exec(info)?.[1];

it('is an architecture-independent package depending on nodejs >= 18.20 and the tools the agents run', () => {
  const info = execFileSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' });
  expect(path.basename(deb)).toMatch(/^lxcha_\d+\.\d+\.\d+_all\.deb$/);
  expect(field(info, 'Package')).toBe('lxcha');
  expect(field(info, 'Architecture')).toBe('all');
  const depends = (field(info, 'Depends') ?? '').split(/,\s*/);
  for (const d of ['nodejs (>= 18.20)', 'lxc', 'drbd-utils', 'lvm2', 'pacemaker-cli-utils'])
    expect(depends).toContain(d);
  expect(field(info, 'Recommends')).toContain('crmsh | pcs');
  // No maintainer scripts: only static files, which dpkg installs and removes by itself.
  const control = execFileSync('sh', ['-c', 'dpkg-deb --ctrl-tarfile "$1" | tar -t', 'sh', deb], {
    encoding: 'utf8',
  })
    .split('\n')
    .map((l) => l.replace(/^\.\/?/, ''))
    .filter((l) => l !== '');
  expect(control.sort()).toEqual(['control', 'md5sums']);
});

it('holds the agents, the DRBD handlers, compressed man pages, examples and docs, owned by root', () => {
  const lines = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' }).trim().split('\n');
  const entries = lines.map((l) => {
    const [mode = '', owner = '', , , , file = ''] = l.split(/\s+/);
    return { mode, owner, file: file.replace(/^\./, '') };
  });
  for (const e of entries) expect(e.owner, e.file).toBe('root/root');
  const files = entries.filter((e) => !e.mode.startsWith('d'));
  const mode = (f: string) => files.find((e) => e.file === f)?.mode;
  for (const agent of readdirSync(path.join(repoRoot, 'dist/ocf/resource.d/lxcha')))
    expect(mode(`/usr/lib/ocf/resource.d/lxcha/${agent}`), agent).toBe('-rwxr-xr-x');
  for (const handler of ['fence-peer', 'unfence-peer'])
    expect(mode(`/usr/lib/ocf/lib/lxcha/${handler}`), handler).toBe('-rwxr-xr-x');
  for (const bundle of readdirSync(path.join(repoRoot, 'dist/ocf/lib/lxcha/agents')))
    expect(mode(`/usr/lib/ocf/lib/lxcha/agents/${bundle}`), bundle).toBe('-rw-r--r--');
  for (const handler of ['fence-peer', 'unfence-peer'])
    expect(mode(`/usr/lib/ocf/lib/lxcha/handlers/${handler}.js`), handler).toBe('-rw-r--r--');
  for (const page of readdirSync(path.join(repoRoot, 'docs/man')))
    expect(mode(`/usr/share/man/man7/${page}.gz`), page).toBe('-rw-r--r--');
  for (const example of readdirSync(path.join(repoRoot, 'cluster-examples')))
    expect(mode(`/usr/share/doc/lxcha/examples/${example}`), example).toBe('-rw-r--r--');
  for (const doc of ['copyright', 'changelog.gz', 'README.md'])
    expect(mode(`/usr/share/doc/lxcha/${doc}`), doc).toBe('-rw-r--r--');
  // Nothing else: no stray build files, nothing outside these folders.
  const allowed =
    /^\/usr\/(lib\/ocf\/resource\.d\/lxcha|lib\/ocf\/lib\/lxcha(\/agents|\/handlers)?|share\/man\/man7|share\/doc\/lxcha(\/examples)?)\/[^/]+$/;
  for (const f of files) expect(f.file).toMatch(allowed);
});

it('lintian finds no error and no warning', () => {
  const r = run('lintian', ['--tag-display-limit', '0', deb]);
  const tags = r.output.split('\n').filter((l) => /^[EW]: /.test(l));
  expect(tags).toEqual([]);
});
