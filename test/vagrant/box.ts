// The local `debian/bookworm64` box of `npm run test:vagrant`: built from the emulated cluster's cached Debian
// 12 root (test/cluster/image.ts) with what a Vagrant box has (box-setup.sh), for the libvirt provider, and
// cached beside the image under a hash of its inputs. Its own Vagrantfile holds the settings that only this
// machine needs (qemu under TCG with a CPU model TCG runs, direct kernel boot): the project's stays as users
// have it.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { withLock } from '../../tools/lib/dir-lock.js';
import { markUsed } from '../cluster/image-cache.js';
import { CACHE_ROOT, copyBootFiles, ensureImage, hash } from '../cluster/image.js';
import { log, timed } from '../cluster/util.js';

/** Vagrant's insecure public key, as Debian's vagrant package ships it. */
export const INSECURE_KEY = '/usr/share/rubygems-integration/all/gems/vagrant-2.3.4/keys/vagrant.pub';
export const BOX_NAME = 'debian/bookworm64';
/** Root disk size in GB (the box's metadata.json virtual_size). */
const DISK_GB = 4;

/**
 * The box's Vagrantfile: merged under the project's, so these are defaults a user's Vagrantfile could
 * override. qemu (TCG) with qemu64: this host's KVM hangs its guests, and TCG cannot run `host-model`.
 */
export const BOX_VAGRANTFILE = `# A locally built Debian 12 box for qemu without KVM (lxcha's test:vagrant).
Vagrant.configure('2') do |config|
  config.vm.boot_timeout = 1800
  config.vm.provider :libvirt do |lv|
    lv.driver = 'qemu'
    lv.cpu_mode = 'custom'
    lv.cpu_model = 'qemu64'
    lv.kernel = File.join(__dir__, 'vmlinuz')
    lv.initrd = File.join(__dir__, 'initrd.img')
    lv.cmd_line = 'root=/dev/vda rw console=ttyS0 net.ifnames=0'
    lv.graphics_type = 'none'
    lv.video_type = 'none'
  end
end
`;

export interface Box {
  /** The .box file to `vagrant box add`. */
  file: string;
  dir: string;
}

/** Returns the cached box for the current inputs, building it (and the image under it) first. */
export async function ensureBox(repo: string): Promise<Box> {
  const image = await ensureImage(repo);
  const setup = path.join(repo, 'test/vagrant/box-setup.sh');
  const packages = path.join(repo, 'cluster/packages-vagrant.txt');
  const inputs = await Promise.all([setup, packages, INSECURE_KEY].map((f) => readFile(f, 'utf8')));
  const key = hash(path.basename(image.dir), ...inputs, BOX_VAGRANTFILE, String(DISK_GB));
  const dir = path.join(CACHE_ROOT, `box-${key}`);
  const box: Box = { dir, file: path.join(dir, 'bookworm64.box') };
  if (!existsSync(path.join(dir, 'complete'))) {
    await withLock(path.join(CACHE_ROOT, '.lock'), async () => {
      if (existsSync(path.join(dir, 'complete'))) return;
      const { seconds } = await timed(() => buildBox(repo, image.rootfs, dir, key, { setup, packages }));
      log(`box: ${BOX_NAME} built in ${seconds.toFixed(0)}s`);
    });
  }
  await markUsed(dir);
  return box;
}

async function buildBox(
  repo: string,
  rootfs: string,
  dir: string,
  key: string,
  files: { setup: string; packages: string },
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const tree = path.join(tmp, 'tree');
  log(`box: building ${BOX_NAME} from ${rootfs}`);
  await execa('cp', ['-a', '--reflink=auto', rootfs, tree]);
  await copyFile('/etc/resolv.conf', path.join(tree, 'etc/resolv.conf'));
  await copyFile(files.setup, path.join(tree, 'tmp/box-setup.sh'));
  await copyFile(files.packages, path.join(tree, 'tmp/packages-vagrant.txt'));
  await copyFile(INSECURE_KEY, path.join(tree, 'tmp/vagrant.pub'));
  await copyFile(path.join(repo, 'cluster/image-setup.sh'), path.join(tree, 'tmp/image-setup.sh'));
  const chroot = (args: string[]) =>
    execa('unshare', ['--mount', '--fork', 'chroot', tree, ...args], { stdout: 'ignore', stderr: 'pipe' });
  await chroot(['/bin/sh', '/tmp/box-setup.sh', '/tmp/packages-vagrant.txt', '/tmp/vagrant.pub']);
  // The test image's own baking: fstab, the cluster's units left to provisioning, apt lists dropped.
  await chroot(['/bin/sh', '/tmp/image-setup.sh']);
  const fstab = path.join(tree, 'etc/fstab');
  const lines = (await readFile(fstab, 'utf8')).split('\n').filter((l) => !l.includes('lxchapay'));
  await writeFile(fstab, lines.join('\n'));
  for (const f of ['box-setup.sh', 'packages-vagrant.txt', 'vagrant.pub', 'image-setup.sh'])
    await rm(path.join(tree, 'tmp', f));
  await writeFile(path.join(tree, 'etc/resolv.conf'), '');
  const content = path.join(tmp, 'content');
  await mkdir(content);
  await copyBootFiles(tree, content);
  const raw = path.join(tmp, 'root.img');
  await execa('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', tree, raw, `${DISK_GB}G`]);
  await rm(tree, { recursive: true, force: true });
  await execa('qemu-img', ['convert', '-O', 'qcow2', raw, path.join(content, 'box.img')]);
  await rm(raw);
  await writeFile(
    path.join(content, 'metadata.json'),
    `${JSON.stringify({ provider: 'libvirt', format: 'qcow2', virtual_size: DISK_GB })}\n`,
  );
  await writeFile(path.join(content, 'Vagrantfile'), BOX_VAGRANTFILE);
  await execa('tar', ['-C', content, '-cf', path.join(tmp, 'bookworm64.box'), '.']);
  await rm(content, { recursive: true, force: true });
  await writeFile(path.join(tmp, 'inputs'), `box ${key}\n`);
  await writeFile(path.join(tmp, 'complete'), new Date().toISOString());
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
