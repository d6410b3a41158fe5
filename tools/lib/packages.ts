// Installs the Debian packages a command needs when they are missing (apt-get update first), as root.
import { execa } from 'execa';

const demo = [
  'lxc',
  'busybox-static',
  'pacemaker',
  'corosync',
  'crmsh',
  'pcs',
  'resource-agents',
  'procps',
] as const;

export const packageSets = {
  /** npm run demo: a busybox container run by a one-node Pacemaker through the lxc agent. */
  demo,
  /**
   * Everything npm test and bench run on this host whatever the VM switch says: the demo's set, metadata
   * checks (xmllint, pcs's schema), the man pages (man), the cluster examples' drbd-lvm primitives
   * (drbdadm), the .deb (lintian), the Vagrantfile (vagrant with its libvirt provider, without which
   * vagrant validate finds no usable provider) and bench (GNU time).
   */
  local: [...demo, 'libxml2-utils', 'drbd-utils', 'man-db', 'lintian', 'vagrant', 'vagrant-libvirt', 'time'],
  /**
   * The emulated Debian 12 VMs: image build (debootstrap, mkfs.ext4 -d, debugfs), qemu under TCG; and
   * test:vagrant's libvirt, run in a namespace of its own without libvirt-daemon-system (libvirtd with its
   * qemu driver, virsh, dnsmasq for its networks, iptables for their firewall rules, tini to reap orphans).
   */
  vm: [
    'qemu-system-x86',
    'qemu-utils',
    'debootstrap',
    'e2fsprogs',
    'util-linux',
    'libvirt-daemon',
    'libvirt-daemon-driver-qemu',
    'libvirt-clients',
    'dnsmasq-base',
    'iptables',
    'tini',
  ],
  /** npm run test:fresh: the Debian 12 root (debootstrap), its private namespaces (unshare, tini as their init), the clone. */
  fresh: ['debootstrap', 'util-linux', 'git', 'tini'],
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
