// Installs the Debian packages a command needs when they are missing (apt-get update first), as root.
import { execa } from 'execa';

export const packageSets = {
  /** The lxc agent, its integration tests, ocf-tester and the one-node Pacemaker. */
  local: [
    'lxc',
    'busybox-static',
    'pacemaker',
    'corosync',
    'crmsh',
    'pcs',
    'resource-agents',
    'libxml2-utils',
    'procps',
  ],
  /** The emulated Debian 12 VMs: image build (debootstrap, mkfs.ext4 -d), qemu under TCG; vagrant validate. */
  vm: ['qemu-system-x86', 'qemu-utils', 'debootstrap', 'e2fsprogs', 'util-linux', 'vagrant'],
} as const;

async function installed(pkg: string): Promise<boolean> {
  const r = await execa('dpkg-query', ['-W', '-f', '${Status}', pkg], { reject: false });
  return r.exitCode === 0 && String(r.stdout).includes('install ok installed');
}

export async function ensurePackages(
  packages: readonly string[],
  log: (line: string) => void = console.log,
): Promise<void> {
  const missing: string[] = [];
  for (const p of packages) if (!(await installed(p))) missing.push(p);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root to install them`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
  await execa('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    env,
    stdio: 'inherit',
  });
}
