// The .deb on a clean Debian 12 with its stock nodejs: one emulated VM of the cluster harness (test/cluster,
// cached image, nothing of lxcha provisioned). Offline `apt-get install ./lxcha.deb` (its dependencies are
// in the image), then pcs and crm describe the agents, then `apt-get purge` leaves no file behind.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { ensureImage } from '../cluster/image.js';
import type { Vm } from '../cluster/vm.js';
import { buildPackage } from '../../tools/package-deb.js';
import { repoRoot } from '../helpers/paths.js';

const DEB = '/root/package.deb'; // a name without lxcha in it: the last check looks for any such file
// Every file and folder of the system that a package could leave behind; dpkg's and apt's own state and
// logs change with any install and are left out.
const SNAPSHOT =
  'find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/tmp ' +
  '-o -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache -o -path /var/log -o -path /var/lib/systemd ' +
  '-o -path /var/lib/pacemaker -o -path /var/lib/pcsd -o -path /root \\) -prune -o -print | sort';

// LXCHA_SKIP_CLUSTER=1 is the explicit opt-out from every emulated-VM test (README).
const skipVms = process.env.LXCHA_SKIP_CLUSTER === '1';
const vmIt = it.skipIf(skipVms);

let workDir: string;
let cluster: Cluster | undefined;
let vm: Vm;
let before: string;
const timings: string[] = [];

async function sh(script: string, timeoutS = 300): Promise<{ code: number; out: string }> {
  const r = await vm.exec(['/bin/sh', '-c', script], { timeoutS });
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const value = await step();
  timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return value;
}

beforeAll(async () => {
  if (skipVms) return;
  if (process.getuid?.() !== 0) throw new Error('this test needs root (qemu, the VM image cache)');
  const deb = buildPackage({
    repo: repoRoot,
    outDir: mkdtempSync('/var/tmp/lxcha-deb-vm-pkg-'),
    log: () => undefined,
  });
  const image = await timed('image', () => ensureImage(repoRoot));
  workDir = mkdtempSync('/var/tmp/lxcha-deb-vm-');
  cluster = new Cluster(repoRoot, workDir, image);
  await cluster.create();
  const node = cluster.vms[0];
  if (node === undefined) throw new Error('the harness made no VM');
  vm = node;
  await timed('boot', () => cluster!.boot(vm));
  // The package reaches the guest through its agent (base64 on stdin): no network, no shared folder.
  await vm.run(['/bin/sh', '-c', `base64 -d > ${DEB}`], {
    input: readFileSync(deb).toString('base64'),
    timeoutS: 120,
  });
  rmSync(path.dirname(deb), { recursive: true, force: true });
  before = (await sh(SNAPSHOT)).out;
}, 900_000);

afterAll(async () => {
  console.log(`deb in VM: ${timings.join(', ')}`);
  await cluster?.teardown();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

vmIt('the VM is a clean Debian 12 with its stock nodejs 18.20 and no lxcha agent', async () => {
  const r = await sh(
    'cat /etc/debian_version; node --version; ls /usr/lib/ocf/resource.d/; dpkg-query -W nodejs',
  );
  expect(r.out).toMatch(/^12\./);
  expect(r.out).toMatch(/\nv18\.(2\d|[3-9]\d)\./);
  expect(r.out).not.toMatch(/^lxcha$/m);
});

vmIt('apt-get install ./lxcha.deb works offline: every dependency is already there', async () => {
  const r = await timed('apt-get install', () =>
    sh(
      `cd /root && DEBIAN_FRONTEND=noninteractive apt-get install -y -o Acquire::Languages=none ./${path.basename(DEB)}`,
    ),
  );
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/Setting up lxcha /);
  expect(r.out).toMatch(/Need to get 0 B\//); // nothing downloaded
  expect(r.out).not.toMatch(/^(Get|Err|Ign):\d+ https?:/m);
  const files = await sh('dpkg -L lxcha');
  expect(files.out).toContain('/usr/lib/ocf/resource.d/lxcha/lxc');
  expect(files.out).toContain('/usr/share/man/man7/ocf_lxcha_lxc.7.gz');
});

vmIt(
  'pcs resource describe ocf:lxcha:lxc and crm ra info ocf:lxcha:drbd-lvm show the agents on stock nodejs',
  async () => {
    const pcs = await timed('pcs resource describe', () => sh('pcs resource describe ocf:lxcha:lxc'));
    expect(pcs.code, pcs.out).toBe(0);
    expect(pcs.out).toContain('Manages an LXC container');
    expect(pcs.out).toContain('memory_limit');
    const crm = await timed('crm ra info', () => sh('crm ra info ocf:lxcha:drbd-lvm'));
    expect(crm.code, crm.out).toBe(0);
    expect(crm.out).toContain('drbd_resource');
    expect(crm.out).toContain('vgname');
    const handler = await sh(
      'test -x /usr/lib/ocf/lib/lxcha/fence-peer && zcat /usr/share/man/man7/ocf_lxcha_drbd-lvm.7.gz | head -3',
    );
    expect(handler.code, handler.out).toBe(0);
  },
);

vmIt(
  "ocf:lxcha:lxc on the VM's pure cgroup v2: memory.max set at start, changed live by reload-agent, init kept",
  async () => {
    // Debian 12 with systemd mounts only the unified hierarchy: the second kind of host the agent serves.
    const ct = 'v2ct';
    const agent = `OCF_ROOT=/usr/lib/ocf OCF_RESKEY_container=${ct} OCF_RESKEY_CRM_meta_timeout=120000 /usr/lib/ocf/resource.d/lxcha/lxc`;
    const cgroupFile = `/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$(lxc-info -n ${ct} -p -H)/cgroup)/memory.max`;
    const setup = await sh(
      `awk '$3 == "cgroup2"' /proc/mounts | wc -l; awk '$3 == "cgroup"' /proc/mounts | wc -l; lxc-create -n ${ct} -t busybox >/dev/null 2>&1 && ` +
        `sed -i -e 's/^lxc.net.0.type = .*/lxc.net.0.type = empty/' -e '/^lxc.net.0.link/d' -e '/^lxc.net.0.flags/d' ` +
        `-e 's/^lxc.apparmor.profile = .*/lxc.apparmor.profile = unconfined/' -e '/allow_nesting/d' /var/lib/lxc/${ct}/config && echo created`,
    );
    try {
      expect(setup.out).toMatch(/^1\n0\ncreated/);
      const start = await sh(
        `OCF_RESKEY_memory_limit=64M ${agent} start; echo rc=$?; cat ${cgroupFile}; echo pid=$(lxc-info -n ${ct} -p -H)`,
        300,
      );
      expect(start.out).toMatch(/rc=0\n67108864\npid=\d+/);
      const pid = /pid=(\d+)/.exec(start.out)?.[1];
      const reload = await sh(
        `OCF_RESKEY_memory_limit=128M OCF_RESKEY_cpu_weight=50 ${agent} reload-agent; echo rc=$?; cat ${cgroupFile}; cat $(dirname ${cgroupFile})/cpu.weight; echo pid=$(lxc-info -n ${ct} -p -H)`,
        300,
      );
      expect(reload.out).toMatch(/rc=0\n134217728\n50\npid=\d+/);
      expect(/pid=(\d+)/.exec(reload.out)?.[1]).toBe(pid);
      const stop = await sh(`${agent} stop; echo rc=$?; lxc-info -n ${ct} -s -H`, 300);
      expect(stop.out).toMatch(/rc=0\nSTOPPED/);
    } finally {
      await sh(`lxc-stop -n ${ct} -k; lxc-destroy -n ${ct} -f`, 120);
    }
  },
);

vmIt('apt-get purge lxcha leaves nothing behind', async () => {
  const r = await timed('apt-get purge', () => sh('DEBIAN_FRONTEND=noninteractive apt-get purge -y lxcha'));
  expect(r.code, r.out).toBe(0);
  expect((await sh('dpkg-query -W lxcha')).code).not.toBe(0);
  const after = (await sh(SNAPSHOT)).out;
  const added = after.split('\n').filter((l) => !before.includes(`${l}\n`));
  const removed = before.split('\n').filter((l) => !after.includes(`${l}\n`));
  expect(added).toEqual([]);
  expect(removed).toEqual([]);
  expect(
    (
      await sh('find / -xdev -path /proc -prune -o -name "*lxcha*" -print | grep -v -e "^/mnt/lxcha$"; true')
    ).out.trim(),
  ).toBe('');
});
