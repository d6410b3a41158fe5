// One emulated cluster node: its qemu process, monitor (QMP), guest agent (qga) and fence channel.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import type { Image } from './image.js';
import { JsonChannel } from './json-channel.js';
import { delay, log, waitFor } from './util.js';

export interface VmSpec {
  name: string;
  index: number;
  workDir: string;
  image: Image;
  overlay: string;
  /** Backing disks of the DRBD resources r0, r1 (vdb, vdc). */
  drbdDisks: string[];
  payload: string;
  /** UDP ports of this node's end of the cluster link and replication link, and the peer's. */
  ports: { ring: number; ringPeer: number; repl: number; replPeer: number };
  memoryMiB: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type FenceHandler = (from: Vm, action: string, target: string) => Promise<string>;

export class Vm {
  private proc: { kill: (signal: NodeJS.Signals) => boolean } | undefined;
  private qmp: JsonChannel | undefined;
  private qga: JsonChannel | undefined;
  private fenceSocket: net.Socket | undefined;
  private syncId = Math.floor(Math.random() * 1e6);
  /** Set while qemu runs; resolves when it has exited. */
  exited: Promise<void> = Promise.resolve();
  running = false;
  starts = 0;

  constructor(
    readonly spec: VmSpec,
    private readonly onFence: FenceHandler,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  private sock(kind: string): string {
    return path.join(this.spec.workDir, `${this.name}-${kind}.sock`);
  }

  /** qemu arguments: TCG, one CPU, virtio disks, two UDP socket links, serial log, QMP, qga, fence port. */
  private args(): string[] {
    const { spec } = this;
    const mac = (link: number): string => `52:54:00:00:0${link}:0${spec.index}`;
    const udp = (local: number, peer: number): string => `udp=127.0.0.1:${peer},localaddr=127.0.0.1:${local}`;
    return [
      '-machine',
      'pc,accel=tcg',
      '-smp',
      '1',
      '-m',
      String(spec.memoryMiB),
      '-display',
      'none',
      '-no-user-config',
      '-nodefaults',
      '-serial',
      `file:${path.join(spec.workDir, `${this.name}-console.log`)}`,
      '-qmp',
      `unix:${this.sock('qmp')},server=on,wait=off`,
      '-kernel',
      spec.image.kernel,
      '-initrd',
      spec.image.initrd,
      '-append',
      `root=/dev/vda rw console=ttyS0 net.ifnames=0 systemd.hostname=${this.name} panic=5 quiet`,
      '-drive',
      `file=${spec.overlay},format=qcow2,if=virtio,cache=unsafe`,
      ...spec.drbdDisks.flatMap((disk) => ['-drive', `file=${disk},format=raw,if=virtio,cache=writeback`]),
      '-drive',
      `file=${spec.payload},format=raw,if=virtio,readonly=on`,
      '-netdev',
      `socket,id=ring,${udp(spec.ports.ring, spec.ports.ringPeer)}`,
      '-device',
      `virtio-net-pci,netdev=ring,id=ringnic,mac=${mac(1)}`,
      '-netdev',
      `socket,id=repl,${udp(spec.ports.repl, spec.ports.replPeer)}`,
      '-device',
      `virtio-net-pci,netdev=repl,id=replnic,mac=${mac(2)}`,
      '-device',
      'virtio-serial-pci,id=vser0',
      '-chardev',
      `socket,id=qga,path=${this.sock('qga')},server=on,wait=off`,
      '-device',
      'virtserialport,bus=vser0.0,chardev=qga,name=org.qemu.guest_agent.0',
      '-chardev',
      `socket,id=fence,path=${this.sock('fence')},server=on,wait=off`,
      '-device',
      'virtserialport,bus=vser0.0,chardev=fence,name=lxcha.fence',
      '-device',
      'virtio-rng-pci',
    ];
  }

  async start(): Promise<void> {
    if (this.running) return;
    for (const kind of ['qmp', 'qga', 'fence']) await rm(this.sock(kind), { force: true });
    this.starts += 1;
    log(`${this.name}: starting qemu (start #${this.starts})`);
    // setpriv --pdeathsig: qemu dies with the harness even when the harness is killed with SIGKILL.
    const proc = execa('setpriv', ['--pdeathsig', 'KILL', '--', 'qemu-system-x86_64', ...this.args()], {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: { file: path.join(this.spec.workDir, `${this.name}-qemu.stderr`), append: true },
    });
    this.proc = proc;
    this.running = true;
    this.exited = proc.then((result) => {
      if (this.proc === proc) {
        this.running = false;
        this.qmp?.close();
        this.qga?.close();
        this.fenceSocket?.destroy();
        this.qmp = this.qga = this.fenceSocket = undefined;
        log(`${this.name}: qemu exited (${result.signal ?? `code ${String(result.exitCode)}`})`);
      }
    });
    this.qmp = await waitFor(
      `${this.name} QMP socket`,
      30_000,
      async () => {
        if (!this.running) throw new Error('qemu exited');
        if (!existsSync(this.sock('qmp'))) return undefined;
        return JsonChannel.connect(this.sock('qmp'));
      },
      200,
    );
    await this.qmp.next(10_000); // greeting
    await this.qmp.request({ execute: 'qmp_capabilities' }, 10_000);
    this.connectFence();
  }

  /** The guest's fence agent writes `FENCE id action target`; we answer `RESULT id outcome`. */
  private connectFence(): void {
    const socket = net.createConnection(this.sock('fence'));
    this.fenceSocket = socket;
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        const [word, id, action, target] = line.split(/\s+/);
        if (word !== 'FENCE' || id === undefined || action === undefined || target === undefined) continue;
        void this.onFence(this, action, target)
          .catch((error: unknown) => `error ${error instanceof Error ? error.message : String(error)}`)
          .then((outcome) => {
            if (!socket.destroyed) socket.write(`RESULT ${id} ${outcome.replace(/\n/g, ' ')}\n`);
          });
      }
    });
    socket.on('error', () => undefined);
  }

  private async monitor(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.qmp === undefined || this.qmp.isClosed)
      throw new Error(`${this.name}: no monitor (qemu not running)`);
    return this.qmp.request(
      args === undefined ? { execute: command } : { execute: command, arguments: args },
      10_000,
    );
  }

  /** Hard power-off through the monitor (fencing "off"). */
  async powerOff(): Promise<void> {
    if (!this.running) return;
    await this.monitor('quit').catch(() => undefined);
    await waitFor(`${this.name} qemu exit`, 10_000, () => (this.running ? undefined : true), 100).catch(
      () => {
        this.proc?.kill('SIGKILL');
      },
    );
    await this.exited;
  }

  /** Hard reset through the monitor (fencing "reboot" of a running VM). */
  async reset(): Promise<void> {
    await this.monitor('system_reset');
  }

  /** The node-crash scenario: the qemu process dies without warning. */
  async crash(): Promise<void> {
    this.proc?.kill('SIGKILL');
    await this.exited;
  }

  async setLink(netdev: 'ring' | 'repl', up: boolean): Promise<void> {
    await this.monitor('set_link', { name: `${netdev}nic`, up });
  }

  private async agent(): Promise<JsonChannel> {
    if (this.qga !== undefined && !this.qga.isClosed) return this.qga;
    if (!this.running) throw new Error(`${this.name}: not running`);
    this.qga = await JsonChannel.connect(this.sock('qga'));
    return this.qga;
  }

  /** guest-sync with a fresh id: drops stale answers so replies pair with requests again. */
  private async sync(timeoutMs: number): Promise<JsonChannel> {
    const qga = await this.agent();
    const id = ++this.syncId;
    try {
      await qga.request({ execute: 'guest-sync', arguments: { id } }, timeoutMs, (a) => a.return === id);
    } catch (error) {
      throw new Error(`${this.name}: guest agent: ${error instanceof Error ? error.message : String(error)}`);
    }
    return qga;
  }

  async waitAgent(limitMs: number): Promise<void> {
    await waitFor(
      `${this.name} guest agent`,
      limitMs,
      async () => {
        try {
          await this.sync(3000);
          return true;
        } catch (error) {
          this.qga?.close();
          this.qga = undefined;
          throw error;
        }
      },
      1000,
    );
  }

  /** Runs argv in the guest (no shell), bounded by `timeoutS` through coreutils' timeout. */
  async exec(argv: string[], options: { timeoutS?: number; input?: string } = {}): Promise<ExecResult> {
    const timeoutS = options.timeoutS ?? 120;
    const qga = await this.sync(10_000);
    const request: Record<string, unknown> = {
      path: '/usr/bin/timeout',
      arg: ['-k', '5', String(timeoutS), ...argv],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL=C', 'HOME=/root'],
      'capture-output': true,
    };
    if (options.input !== undefined) request['input-data'] = Buffer.from(options.input).toString('base64');
    const started = (await qga.request(
      { execute: 'guest-exec', arguments: request },
      10_000,
      (a) => typeof (a.return as { pid?: unknown } | undefined)?.pid === 'number' || 'error' in a,
    )) as { pid: number };
    const deadline = Date.now() + (timeoutS + 15) * 1000;
    for (;;) {
      const status = (await qga.request(
        { execute: 'guest-exec-status', arguments: { pid: started.pid } },
        10_000,
        (a) => typeof (a.return as { exited?: unknown } | undefined)?.exited === 'boolean' || 'error' in a,
      )) as { exited: boolean; exitcode?: number; signal?: number; 'out-data'?: string; 'err-data'?: string };
      if (status.exited) {
        const decode = (data: string | undefined): string =>
          data === undefined ? '' : Buffer.from(data, 'base64').toString('utf8');
        return {
          code: status.exitcode ?? 128 + (status.signal ?? 0),
          stdout: decode(status['out-data']),
          stderr: decode(status['err-data']),
        };
      }
      if (Date.now() > deadline) throw new Error(`${this.name}: ${argv.join(' ')}: no exit status`);
      await delay(300);
    }
  }

  /** exec that must succeed: a failure throws with the command's own error text. */
  async run(argv: string[], options: { timeoutS?: number; input?: string } = {}): Promise<string> {
    const result = await this.exec(argv, options);
    if (result.code !== 0) {
      throw new Error(
        `${this.name}: ${argv.join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(-600)}`,
      );
    }
    return result.stdout;
  }
}
