// `npm run package`: an architecture-independent Debian package of the suite, built with dpkg-deb from what
// install-agents stages (agents, DRBD handlers, man pages) plus the cluster examples and the docs. No
// maintainer scripts: the package installs only static files, so dpkg alone installs and removes them all.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { installAgents } from './install-agents.js';

export const PACKAGE = 'lxcha';
const OCF_ROOT = '/usr/lib/ocf';

/**
 * What the agents run, by package: nodejs for every executable (Debian 12's 18.20 is the oldest tested),
 * lxc-* for ocf:lxcha:lxc, drbdadm/drbdsetup and the LVM tools for ocf:lxcha:drbd-lvm, crm_attribute,
 * cibadmin and crm_resource for drbd-lvm's promotion scores and the fence-peer handler.
 */
export const depends = ['nodejs (>= 18.20)', 'lxc', 'drbd-utils', 'lvm2', 'pacemaker-cli-utils'];
/** The cluster the agents run in, the Filesystem agent of the examples, and one of the two shells. */
export const recommends = ['pacemaker', 'resource-agents', 'crmsh | pcs'];

function gzip(data: Buffer | string): Buffer {
  // -9n: no file name or time stamp, so the same input builds the same package.
  const gz = gzipSync(data, { level: 9 });
  gz.writeUInt32LE(0, 4);
  return gz;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

const copyright = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: lxcha

Files: *
Copyright: 2025-2026 The lxcha authors
License: GPL-2+

Files: usr/lib/ocf/resource.d/lxcha/* usr/lib/ocf/lib/lxcha/*
Comment: The executables bundle these npm packages, each under the MIT license:
 execa, fast-xml-parser, pino, yargs and their dependencies.
Copyright: 2025-2026 The lxcha authors; the authors of the bundled packages
License: GPL-2+ and MIT

License: GPL-2+
 This program is free software; you can redistribute it and/or modify it under the terms of the GNU
 General Public License as published by the Free Software Foundation; either version 2 of the License,
 or (at your option) any later version.
 .
 On Debian systems, the complete text of the GNU General Public License version 2 can be found in
 /usr/share/common-licenses/GPL-2.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 associated documentation files (the "Software"), to deal in the Software without restriction,
 including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
 and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or substantial
 portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
 NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
 WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
 SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;

/** Builds dist/lxcha_<version>_all.deb from a built tree (npm run build) and returns its path. */
export function buildPackage(options: {
  repo: string;
  outDir?: string;
  log?: (line: string) => void;
}): string {
  const { repo } = options;
  const log = options.log ?? console.log;
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    version: string;
    description: string;
  };
  const stage = mkdtempSync(path.join(tmpdir(), 'lxcha-deb-'));
  try {
    chmodSync(stage, 0o755);
    installAgents({ repo, ocfRoot: OCF_ROOT, destdir: stage, log: () => undefined });

    // Debian policy: man pages compressed.
    const man7 = path.join(stage, 'usr/share/man/man7');
    for (const page of readdirSync(man7).filter((f) => f.endsWith('.7'))) {
      writeFileSync(path.join(man7, `${page}.gz`), gzip(readFileSync(path.join(man7, page))), {
        mode: 0o644,
      });
      rmSync(path.join(man7, page));
    }

    const doc = path.join(stage, 'usr/share/doc', PACKAGE);
    mkdirSync(path.join(doc, 'examples'), { recursive: true });
    cpSync(path.join(repo, 'cluster-examples'), path.join(doc, 'examples'), { recursive: true });
    for (const f of ['README.md', 'docs/walkthrough.md']) {
      const from = path.join(repo, f);
      if (statSync(from, { throwIfNoEntry: false })?.isFile() === true)
        cpSync(from, path.join(doc, path.basename(f)));
    }
    writeFileSync(path.join(doc, 'copyright'), copyright);
    const changelog = `${PACKAGE} (${pkg.version}) unstable; urgency=medium\n\n  * Release ${pkg.version}.\n\n -- lxcha maintainers <lxcha@example.org>  Thu, 01 Jan 2026 00:00:00 +0000\n`;
    writeFileSync(path.join(doc, 'changelog.gz'), gzip(changelog));

    // Static files: 0644 except the executables; directories 0755.
    const executables = new Set([
      path.join(stage, OCF_ROOT, 'resource.d/lxcha'),
      path.join(stage, OCF_ROOT, 'lib/lxcha'),
    ]);
    const files = walk(stage);
    for (const f of files) chmodSync(f, executables.has(path.dirname(f)) ? 0o755 : 0o644);
    for (const d of new Set(files.map((f) => path.dirname(f))))
      for (let p = d; p.startsWith(stage) && p !== stage; p = path.dirname(p)) chmodSync(p, 0o755);

    const installedKiB = Math.ceil(files.reduce((sum, f) => sum + statSync(f).size, 0) / 1024);
    const md5sums = files
      .map((f) => `${createHash('md5').update(readFileSync(f)).digest('hex')}  ${path.relative(stage, f)}`)
      .sort()
      .join('\n');
    mkdirSync(path.join(stage, 'DEBIAN'), { mode: 0o755 });
    writeFileSync(path.join(stage, 'DEBIAN/md5sums'), `${md5sums}\n`, { mode: 0o644 });
    const control = [
      `Package: ${PACKAGE}`,
      `Version: ${pkg.version}`,
      'Architecture: all',
      'Maintainer: lxcha maintainers <lxcha@example.org>',
      `Installed-Size: ${installedKiB}`,
      `Depends: ${depends.join(', ')}`,
      `Recommends: ${recommends.join(', ')}`,
      'Section: admin',
      'Priority: optional',
      'Description: Pacemaker resource agents for highly available LXC containers',
      ' OCF resource agents for two-node Pacemaker clusters that run LXC containers',
      ' on DRBD-replicated LVM volume groups: ocf:lxcha:lxc manages one container',
      ' (orderly shutdown, resource limits changed live, deep monitor, security',
      ' audit in validate-all); ocf:lxcha:drbd-lvm manages a DRBD resource and the',
      ' volume group on it as one promotable clone. Includes a fence-peer handler',
      ' for DRBD resource-level fencing, man pages and crm/pcs example setups.',
      '',
    ].join('\n');
    writeFileSync(path.join(stage, 'DEBIAN/control'), control, { mode: 0o644 });

    const outDir = options.outDir ?? path.join(repo, 'dist');
    mkdirSync(outDir, { recursive: true });
    const deb = path.join(outDir, `${PACKAGE}_${pkg.version}_all.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    log(`built ${path.relative(repo, deb)}`);
    return deb;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1]?.includes('package-deb')) {
  buildPackage({ repo: path.resolve(import.meta.dirname, '..') });
}
