// The test VM image: built once, cached outside the repo under a hash of its inputs, never modified by runs.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { debianMirror } from '../../tools/lib/debian-mirror.js';
import { withLock } from '../../tools/lib/dir-lock.js';
import { keepDays, markUsed, pruneCache } from './image-cache.js';
import { errorText, log, timed } from './util.js';

export const SUITE = 'bookworm';
export const CACHE_ROOT = process.env.LXCHA_VM_CACHE ?? '/var/cache/lxcha/vm';

export interface Image {
  dir: string;
  root: string;
  kernel: string;
  initrd: string;
  /** The debootstrapped tree the image was made from (read-only: copy it to build on it). */
  rootfs: string;
}

/** A cache key: the first 16 hex digits of the SHA-256 of the parts, in order. */
export function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest('hex').slice(0, 16);
}

function packageList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Returns the cached image for the current inputs, building the missing layers first. */
export async function ensureImage(repo: string): Promise<Image> {
  const packagesText = await readFile(path.join(repo, 'cluster/packages.txt'), 'utf8');
  const setupScript = await readFile(path.join(repo, 'cluster/image-setup.sh'), 'utf8');
  const rootfsKey = hash(`${SUITE}\n`, packagesText);
  const imageKey = hash(rootfsKey, '\n', setupScript);
  const rootfsDir = path.join(CACHE_ROOT, `rootfs-${rootfsKey}`);
  const imageDir = path.join(CACHE_ROOT, imageKey);
  const image: Image = {
    dir: imageDir,
    root: path.join(imageDir, 'root.img'),
    kernel: path.join(imageDir, 'vmlinuz'),
    initrd: path.join(imageDir, 'initrd.img'),
    rootfs: path.join(rootfsDir, 'rootfs'),
  };
  if (!existsSync(path.join(imageDir, 'complete')))
    await buildImage(repo, { packagesText, rootfsKey, imageKey, rootfsDir, imageDir });
  await housekeeping([rootfsDir, imageDir]);
  return image;
}

/** Marks the layers in use, then prunes the cache's stale entries; a failure here never fails a run. */
async function housekeeping(layers: string[]): Promise<void> {
  try {
    for (const layer of layers) await markUsed(layer);
    const removed = await pruneCache(
      CACHE_ROOT,
      layers.map((l) => path.basename(l)),
      keepDays(),
    );
    if (removed.length > 0) log(`image cache: removed stale ${removed.join(', ')}`);
  } catch (error) {
    log(`image cache: housekeeping failed: ${errorText(error)}`);
  }
}

/** Copies the kernel and initrd of a root tree's /boot to `dir` as vmlinuz and initrd.img. */
export async function copyBootFiles(tree: string, dir: string): Promise<void> {
  const boot = await readdir(path.join(tree, 'boot'));
  const kernel = boot.find((f) => f.startsWith('vmlinuz-'));
  const initrd = boot.find((f) => f.startsWith('initrd.img-'));
  if (kernel === undefined || initrd === undefined) throw new Error(`no kernel/initrd in ${tree}/boot`);
  await cp(path.join(tree, 'boot', kernel), path.join(dir, 'vmlinuz'));
  await cp(path.join(tree, 'boot', initrd), path.join(dir, 'initrd.img'));
}

interface Build {
  packagesText: string;
  rootfsKey: string;
  imageKey: string;
  rootfsDir: string;
  imageDir: string;
}

/** Builds the missing layers under the cache lock (another process may have built them meanwhile). */
async function buildImage(repo: string, build: Build): Promise<void> {
  const { packagesText, rootfsKey, imageKey, rootfsDir, imageDir } = build;
  await mkdir(CACHE_ROOT, { recursive: true });
  return withLock(path.join(CACHE_ROOT, '.lock'), async () => {
    if (existsSync(path.join(imageDir, 'complete'))) return;
    if (!existsSync(path.join(rootfsDir, 'rootfs/usr/bin/node'))) {
      const tmp = `${rootfsDir}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      const mirror = debianMirror();
      log(`image: debootstrap ${SUITE} (${packageList(packagesText).length} packages) into ${tmp}`);
      const { seconds } = await timed(() =>
        execa(
          'debootstrap',
          [
            '--variant=minbase',
            `--include=${packageList(packagesText).join(',')}`,
            SUITE,
            path.join(tmp, 'rootfs'),
            mirror,
          ],
          { stdout: 'ignore', stderr: 'pipe' },
        ),
      );
      log(`image: debootstrap took ${seconds.toFixed(0)}s`);
      await rm(rootfsDir, { recursive: true, force: true });
      await rename(tmp, rootfsDir);
    }
    const tmp = `${imageDir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const { seconds } = await timed(async () => {
      const tree = path.join(tmp, 'tree');
      // Copy the debootstrap layer: the image setup must not change it.
      await execa('cp', ['-a', '--reflink=auto', path.join(rootfsDir, 'rootfs'), tree]);
      await cp(path.join(repo, 'cluster/image-setup.sh'), path.join(tree, 'tmp/image-setup.sh'));
      await execa('chroot', [tree, '/bin/sh', '/tmp/image-setup.sh'], { stdout: 'ignore', stderr: 'pipe' });
      await rm(path.join(tree, 'tmp/image-setup.sh'));
      await copyBootFiles(tree, tmp);
      await execa('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', tree, path.join(tmp, 'root.img'), '3G']);
      await rm(tree, { recursive: true, force: true });
      await writeFile(path.join(tmp, 'inputs'), `suite ${SUITE}\nrootfs ${rootfsKey}\nimage ${imageKey}\n`);
      await writeFile(path.join(tmp, 'complete'), new Date().toISOString());
    });
    log(`image: root disk made in ${seconds.toFixed(0)}s`);
    await rm(imageDir, { recursive: true, force: true });
    await rename(tmp, imageDir);
  });
}
