// Installs the built agents into $OCF_ROOT/resource.d/lxcha/ (OCF_ROOT defaults to /usr/lib/ocf) and the
// suite's helper executables (DRBD handlers) into $OCF_ROOT/lib/lxcha/, and the agents' man pages
// (docs/man/*.7) into /usr/share/man/man7/. DESTDIR stages a package tree.
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
    for (const name of readdirSync(from)) {
      const target = path.join(to, name);
      copyFileSync(path.join(from, name), target);
      chmodSync(target, mode); // readable by nobody: ocf-tester runs meta-data as nobody
      installed.push(target);
      log(`installed ${target}`);
    }
  };
  const agents = path.join(options.repo, 'dist/lxcha');
  if (!existsSync(agents)) throw new Error(`${agents} does not exist: run npm run build first`);
  copyAll(agents, path.join(root, 'resource.d/lxcha'));
  copyAll(path.join(options.repo, 'dist/handlers'), path.join(root, 'lib/lxcha'));
  copyAll(
    path.join(options.repo, 'docs/man'),
    path.join(options.destdir ?? '/', 'usr/share/man/man7'),
    0o644,
  );
  return installed;
}

if (process.argv[1]?.includes('install-agents')) {
  installAgents({
    repo: path.resolve(import.meta.dirname, '..'),
    ocfRoot: process.env.OCF_ROOT ?? '/usr/lib/ocf',
    ...(process.env.DESTDIR === undefined ? {} : { destdir: process.env.DESTDIR }),
  });
}
