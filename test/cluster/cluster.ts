// The two-node cluster: both VMs, the fence relay, provisioning and Pacemaker state queries.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import dgram from 'node:dgram';
import path from 'node:path';
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { buildPackage } from '../../tools/package-deb.js';
import type { Image } from './image.js';
import { SITES } from './sites.js';
import { log, waitFor } from './util.js';
import { Vm } from './vm.js';

export const NODES = ['node1', 'node2'] as const;
export const PAYLOAD = '/mnt/lxcha';

export interface FenceEvent {
  at: number;
  from: string;
  action: string;
  target: string;
  outcome: string;
}

/** A free pair of consecutive UDP ports on 127.0.0.1. */
async function freeUdpPorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const sockets: dgram.Socket[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const socket = dgram.createSocket('udp4');
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(base + i, '127.0.0.1', () => resolve());
        });
      }
      return Array.from({ length: count }, (_, i) => base + i);
    } catch {
      continue;
    } finally {
      for (const socket of sockets) socket.close();
    }
  }
  throw new Error('no free UDP ports on 127.0.0.1');
}

export interface ResourceState {
  id: string;
  role: string;
  node: string | undefined;
  failed: boolean;
}

export interface ClusterState {
  online: string[];
  resources: ResourceState[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['node', 'resource', 'clone', 'group'].includes(name),
});

/** Parses `crm_mon --output-as=xml`: online nodes, and every resource instance with role and node. */
export function parseCrmMon(text: string): ClusterState {
  const doc = xml.parse(text) as { 'pacemaker-result'?: Record<string, unknown> };
  const result = doc['pacemaker-result'] ?? {};
  const nodes = (result.nodes as { node?: Record<string, string>[] } | undefined)?.node ?? [];
  const online = nodes.filter((n) => n.online === 'true').map((n) => n.name ?? '');
  const resources: ResourceState[] = [];
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const resource of (record.resource as Record<string, unknown>[] | undefined) ?? []) {
      const nodesOf = (resource.node as Record<string, string>[] | undefined) ?? [];
      resources.push({
        id: String(resource.id),
        role: String(resource.role),
        node: nodesOf[0]?.name,
        failed: resource.failed === 'true',
      });
    }
    for (const key of ['clone', 'group']) {
      for (const child of (record[key] as unknown[] | undefined) ?? []) walk(child);
    }
  };
  walk(result.resources);
  return { online, resources };
}

export class Cluster {
  readonly vms: Vm[] = [];
  readonly fences: FenceEvent[] = [];
  /** Restarts of fenced VMs in flight; awaited before teardown. */
  private readonly restarts: Promise<void>[] = [];
  /** The suite's Debian package the nodes install (built from dist/ by create()), unless dist is unbuilt. */
  private deb: string | undefined;

  constructor(
    readonly repo: string,
    readonly workDir: string,
    readonly image: Image,
  ) {}

  vm(name: string): Vm {
    const vm = this.vms.find((v) => v.name === name);
    if (vm === undefined) throw new Error(`no VM ${name}`);
    return vm;
  }

  other(name: string): Vm {
    const vm = this.vms.find((v) => v.name !== name);
    if (vm === undefined) throw new Error(`no peer of ${name}`);
    return vm;
  }

  /** Per-run disks: copy-on-write overlays of the cached image, DRBD backing disks, payload disks. */
  async create(): Promise<void> {
    await mkdir(this.workDir, { recursive: true });
    const [ring1 = 0, ring2 = 0, repl1 = 0, repl2 = 0] = await freeUdpPorts(4);
    const authkey = randomBytes(256);
    // The nodes install the suite as administrators do, from its Debian package (provision.sh, offline), so
    // the package's layout is what the cluster proves.
    const deb = existsSync(path.join(this.repo, 'dist/ocf'))
      ? buildPackage({ repo: this.repo, outDir: this.workDir, log: () => undefined })
      : undefined;
    this.deb = deb;
    for (const [i, name] of NODES.entries()) {
      const overlay = path.join(this.workDir, `${name}-root.qcow2`);
      await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', this.image.root, overlay]);
      // One backing disk per DRBD resource (cluster.env: r0 on vdb, r1 on vdc); sparse files.
      const drbdDisks = SITES.map((site) => path.join(this.workDir, `${name}-drbd-${site.res}.img`));
      for (const disk of drbdDisks) await execa('truncate', ['-s', '512M', disk]);
      const payloadDir = path.join(this.workDir, `${name}-payload`);
      await mkdir(payloadDir, { recursive: true });
      await cp(path.join(this.repo, 'cluster'), path.join(payloadDir, 'cluster'), { recursive: true });
      if (deb !== undefined) {
        await mkdir(path.join(payloadDir, 'dist'));
        await copyFile(deb, path.join(payloadDir, 'dist', path.basename(deb)));
      }
      await writeFile(path.join(payloadDir, 'authkey'), authkey, { mode: 0o400 });
      const payload = path.join(this.workDir, `${name}-payload.img`);
      await execa('mkfs.ext4', ['-q', '-F', '-L', 'lxchapay', '-d', payloadDir, payload, '64M']);
      const ports =
        i === 0
          ? { ring: ring1, ringPeer: ring2, repl: repl1, replPeer: repl2 }
          : { ring: ring2, ringPeer: ring1, repl: repl2, replPeer: repl1 };
      this.vms.push(
        new Vm(
          {
            name,
            index: i + 1,
            workDir: this.workDir,
            image: this.image,
            overlay,
            drbdDisks,
            payload,
            ports,
            memoryMiB: 1024,
          },
          (from, action, target) => this.fence(from, action, target),
        ),
      );
    }
  }

  /** The fence relay: a guest's fence_lxcha asks; the target's qemu monitor acts. */
  private async fence(from: Vm, action: string, targetName: string): Promise<string> {
    const target = this.vms.find((v) => v.name === targetName);
    let outcome: string;
    if (target === undefined) outcome = `error unknown node ${targetName}`;
    else if (action === 'status') outcome = target.running ? 'on' : 'off';
    else if (action === 'off') {
      await target.powerOff();
      outcome = 'ok';
    } else if (action === 'on') {
      await target.start();
      outcome = 'ok';
    } else if (action === 'reboot') {
      if (target.running) {
        await target.reset();
      } else {
        // Already gone: fencing succeeded; the harness powers it on again, as a reboot would.
        this.restarts.push(
          target.start().catch((error: unknown) => log(`${target.name}: restart failed: ${String(error)}`)),
        );
      }
      outcome = 'ok';
    } else outcome = `error unsupported action ${action}`;
    if (action !== 'status') {
      this.fences.push({ at: Date.now(), from: from.name, action, target: targetName, outcome });
      log(`fence: ${from.name} asked ${action} ${targetName}: ${outcome}`);
    }
    return outcome;
  }

  async boot(vm: Vm): Promise<void> {
    await vm.start();
    await vm.waitAgent(240_000);
    await this.ensurePayload(vm);
  }

  /** The payload disk mounted at /mnt/lxcha: fstab may give up on it when a loaded host boots slowly. */
  async ensurePayload(vm: Vm): Promise<void> {
    await waitFor(`${vm.name} payload disk`, 60_000, async () => {
      const r = await vm.exec(['mountpoint', '-q', PAYLOAD]);
      if (r.code === 0) return true;
      await vm.exec(['mount', '-o', 'ro', 'LABEL=lxchapay', PAYLOAD]);
      return undefined;
    });
  }

  async provision(vm: Vm, fencePeer: string): Promise<void> {
    const out = await vm.run(
      [
        'env',
        'DRBD_DISKS=/dev/vdb /dev/vdc',
        'RING_IF=eth0',
        'REPL_IF=eth1',
        `AUTHKEY=${PAYLOAD}/authkey`,
        `LXCHA_DIST=${PAYLOAD}/dist`,
        `LXCHA_FENCE_PEER=${fencePeer}`,
        // This cluster fences (stonith:fence_lxcha): DRBD freezes I/O until the fence-peer handler knows the
        // peer fenced or reachable. LXCHA_DRBD_FENCING=resource-only shows what that costs (scenario partition).
        `LXCHA_DRBD_FENCING=${process.env.LXCHA_DRBD_FENCING ?? 'resource-and-stonith'}`,
        '/bin/sh',
        `${PAYLOAD}/cluster/provision.sh`,
        vm.name,
      ],
      { timeoutS: 300 },
    );
    const lines = out.trim().split('\n');
    const pkg = lines.find((l) => l.startsWith('lxcha package: '));
    if (this.deb !== undefined && pkg?.endsWith(' install ok installed') !== true)
      throw new Error(`${vm.name}: provision.sh did not install ${path.basename(this.deb)}: ${out.trim()}`);
    if (pkg !== undefined) log(`${vm.name}: ${pkg}`);
    log(`${vm.name}: ${lines.pop() ?? ''}`);
  }

  /** cluster/init-storage.sh STEP on `vm`, for the given DRBD resources (default: all of cluster.env). */
  async storage(vm: Vm, step: 'md' | 'populate' | 'down', resources: string[] = []): Promise<void> {
    await vm.run(['/bin/sh', `${PAYLOAD}/cluster/init-storage.sh`, step, ...resources], { timeoutS: 600 });
  }

  /** Pacemaker's view from one node, or undefined when that node cannot answer now. */
  async state(vm: Vm): Promise<ClusterState | undefined> {
    if (!vm.running) return undefined;
    const r = await vm.exec(['crm_mon', '--one-shot', '--output-as=xml', '--inactive'], { timeoutS: 60 });
    if (r.code !== 0) return undefined;
    return parseCrmMon(r.stdout);
  }

  async waitOnline(vm: Vm, nodes: readonly string[], limitMs: number): Promise<void> {
    await waitFor(
      `${nodes.join('+')} online in Pacemaker (seen from ${vm.name})`,
      limitMs,
      async () => {
        const s = await this.state(vm);
        return s !== undefined && nodes.every((n) => s.online.includes(n)) ? true : undefined;
      },
      3000,
    );
  }

  async awaitRestarts(): Promise<void> {
    await Promise.all(this.restarts);
  }

  async teardown(): Promise<void> {
    await Promise.allSettled(this.restarts);
    await Promise.allSettled(this.vms.map((vm) => vm.crash()));
  }
}
