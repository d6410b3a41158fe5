// Installs the built OCF tree (dist/ocf, see scripts/build.mjs) under $OCF_ROOT (default /usr/lib/ocf):
// the agents' launchers into resource.d/lxcha/, their bundles into lib/lxcha/agents/, the DRBD handlers'
// launchers into lib/lxcha/ and their bundles into lib/lxcha/handlers/; and the agents' man pages (docs/man/*.7) into /usr/share/man/man7/. DESTDIR stages a
// package tree. Installed on the live system, each agent answers usage once (node runs it; meta-data is a
// file the launcher prints), which starts the build of its startup snapshot (lib/snapshot/builder.ts; drbd-lvm's builder also makes fence-peer's)
// so that Pacemaker's first calls find it.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function installAgents(options: {
  repo: string;
  ocfRoot: string;
  destdir?: string;
  log?: (line: string) => void;
}): string[] {
  const log = options.log ?? console.log;
  const root = path.join(options.destdir ?? '/', options.ocfRoot);
  const installed: string[] = [];
  const copyAll = (from: string, to: string, mode = 0o755) => {
    if (!existsSync(from)) return;
    mkdirSync(to, { recursive: true, mode: 0o755 });
    chmodSync(to, 0o755);
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const target = path.join(to, entry.name);
      copyFileSync(path.join(from, entry.name), target);
      chmodSync(target, mode); // readable by nobody: ocf-tester runs meta-data as nobody
      installed.push(target);
      log(`installed ${target}`);
    }
  };
  const built = path.join(options.repo, 'dist/ocf');
  if (!existsSync(built)) throw new Error(`${built} does not exist: run npm run build first`);
  copyAll(path.join(built, 'resource.d/lxcha'), path.join(root, 'resource.d/lxcha'));
  copyAll(path.join(built, 'lib/lxcha'), path.join(root, 'lib/lxcha'));
  copyAll(path.join(built, 'lib/lxcha/agents'), path.join(root, 'lib/lxcha/agents'), 0o644);
  copyAll(path.join(built, 'lib/lxcha/handlers'), path.join(root, 'lib/lxcha/handlers'), 0o644);
  copyAll(
    path.join(options.repo, 'docs/man'),
    path.join(options.destdir ?? '/', 'usr/share/man/man7'),
    0o644,
  );
  if (options.destdir === undefined && process.getuid?.() === 0)
    for (const agent of readdirSync(path.join(root, 'resource.d/lxcha')))
      spawnSync(path.join(root, 'resource.d/lxcha', agent), ['usage'], { stdio: 'ignore' });
  return installed;
}

if (process.argv[1]?.includes('install-agents')) {
  installAgents({
    repo: path.resolve(import.meta.dirname, '..'),
    ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf',
    ...(process.env.DESTDIR === undefined ? {} : { destdir: process.env.DESTDIR }),
  });
}
