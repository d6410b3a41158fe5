// Debian 12's own nodejs, the runtime of the cluster nodes, for measurements on a host that runs another
// one: the nodejs and libnode108 packages of the machine's apt sources (the highest 18.x they offer),
// unpacked into a cache with the script packages whose files that node loads from /usr/share/nodejs.
// The unpacked node finds libnode through LD_LIBRARY_PATH and /usr/share/nodejs through an overlay that
// only a private mount namespace sees (enterDebianNodeNamespace). Where the host's own node is Debian's,
// that node is used as it is.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const CACHE = '/var/cache/lxcha/debian-node';
/** The packages whose files Debian's node loads at start-up (its externalized builtins). */
const SCRIPT_PACKAGES = ['node-cjs-module-lexer', 'node-acorn', 'node-undici'];

export interface DebianNode {
  readonly version: string;
  /** A directory holding `node`, to put first on PATH. */
  readonly binDir: string;
  /** Environment the unpacked node needs (LD_LIBRARY_PATH), empty for the host's own. */
  readonly env: Readonly<Record<string, string>>;
  /** The unpacked /usr/share to overlay on the host's, or undefined for the host's own node. */
  readonly usrShare: string | undefined;
}

function installedVersion(pkg: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
}

/** The highest nodejs 18.x of the machine's apt sources (Debian 12 ships 18.20). */
function debianVersion(): string {
  const out = execFileSync('apt-cache', ['madison', 'nodejs'], { encoding: 'utf8' });
  const versions = out
    .split('\n')
    .map((l) => l.split('|').map((f) => f.trim()))
    .filter((f) => f[1]?.startsWith('18.') === true && !(f[1] ?? '').includes('nodesource'))
    .map((f) => f[1] ?? '');
  const sorted = versions.sort((a, b) =>
    spawnSync('dpkg', ['--compare-versions', a, 'gt', b]).status === 0 ? -1 : 1,
  );
  const best = sorted[0];
  if (best === undefined) throw new Error('no nodejs 18.x in the apt sources (apt-get update?)');
  return best;
}

export function ensureDebianNode(log: (line: string) => void = console.log): DebianNode {
  const own = installedVersion('nodejs');
  if (own !== undefined && own.startsWith('18.') && !own.includes('nodesource'))
    return { version: own, binDir: '/usr/bin', env: {}, usrShare: undefined };
  const version = debianVersion();
  const root = path.join(CACHE, version.replace(/[^\w.+-]/g, '_'));
  if (!existsSync(path.join(root, 'usr/bin/node'))) {
    log(`bench: unpacking Debian's nodejs ${version} into ${root}`);
    const tmp = `${root}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(path.join(tmp, 'debs'), { recursive: true });
    execFileSync('apt-get', ['download', `nodejs=${version}`, `libnode108=${version}`, ...SCRIPT_PACKAGES], {
      cwd: path.join(tmp, 'debs'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (const deb of readdirSync(path.join(tmp, 'debs')))
      execFileSync('dpkg-deb', ['-x', path.join(tmp, 'debs', deb), tmp]);
    rmSync(path.join(tmp, 'debs'), { recursive: true, force: true });
    renameSync(tmp, root);
  }
  const binDir = path.join(root, 'bin');
  if (!existsSync(binDir)) {
    mkdirSync(binDir);
    symlinkSync(path.join(root, 'usr/bin/node'), path.join(binDir, 'node'));
  }
  return {
    version,
    binDir,
    env: { LD_LIBRARY_PATH: path.join(root, 'usr/lib/x86_64-linux-gnu') },
    usrShare: path.join(root, 'usr/share'),
  };
}

/**
 * Inside a private mount namespace (unshare --mount --propagation private): lays the unpacked
 * /usr/share/nodejs over the host's /usr/share, read-only, for this namespace alone.
 */
export function enterDebianNodeNamespace(node: DebianNode): void {
  if (node.usrShare === undefined) return;
  execFileSync('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=/usr/share:${node.usrShare}`,
    '/usr/share',
  ]);
}
