// A libvirt of the test's own: libvirtd and virtlogd in a network and mount namespace that this run makes
// (libvirt-ns.sh under `tini -s`, which reaps the dnsmasq and qemu orphans), with every file they write
// under one folder. Vagrant and virsh run inside it through nsenter; stop() ends every process in the
// namespace by pid and checks that none is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { delay, log, waitFor } from '../cluster/util.js';

export class LibvirtNamespace {
  private constructor(
    private readonly holder: ChildProcess,
    readonly pid: number,
    private readonly netns: string,
  ) {}

  /** Starts libvirtd in a namespace of its own with its state under `dir`; resolves once virsh answers. */
  static async start(repo: string, dir: string, logFile: string): Promise<LibvirtNamespace> {
    // Their output goes straight to the log file: nothing of ours stays attached to the namespace.
    const out = openSync(logFile, 'a');
    const holder = spawn(
      'unshare',
      ['--net', '--mount', '--propagation', 'private', '--', 'tini', '-s', '-g', '--', 'sh'].concat([
        path.join(repo, 'test/vagrant/libvirt-ns.sh'),
        dir,
      ]),
      { stdio: ['ignore', out, out], detached: true },
    );
    closeSync(out);
    const pid = holder.pid;
    if (pid === undefined) throw new Error('libvirt: unshare did not start');
    // The namespace exists once unshare has exec'd tini: its net namespace differs from ours.
    const own = await readlink('/proc/self/ns/net');
    const netns = await waitFor(
      'the libvirt namespace',
      10_000,
      async () => {
        const ns = await readlink(`/proc/${pid}/ns/net`);
        return ns !== own ? ns : undefined;
      },
      100,
    );
    const ns = new LibvirtNamespace(holder, pid, netns);
    await waitFor('libvirtd to answer virsh', 60_000, async () => {
      const r = await ns.run('virsh', ['-c', 'qemu:///system', 'version'], { reject: false });
      return r.exitCode === 0 ? true : undefined;
    });
    return ns;
  }

  /** Runs a command inside the namespace (network and mount), with arguments as given, in options.cwd. */
  run(command: string, args: readonly string[], options: Options = {}) {
    // Entering a mount namespace resets the working directory: nsenter sets it again inside.
    const wd = options.cwd === undefined ? [] : [`--wd=${String(options.cwd)}`];
    return execa(
      'nsenter',
      ['--target', String(this.pid), '--net', '--mount', ...wd, '--', command, ...args],
      options,
    );
  }

  /** Processes whose network namespace is this one: libvirtd, virtlogd, dnsmasq, qemu, tini. */
  async members(): Promise<number[]> {
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const ns = await readlink(`/proc/${entry}/ns/net`).catch(() => undefined);
      if (ns === this.netns) pids.push(Number(entry));
    }
    return pids;
  }

  /** Leaves the namespace running after this process ends (LXCHA_VAGRANT_KEEP=1). */
  detach(): void {
    this.holder.unref();
  }

  /** Ends every process of the namespace (TERM, then KILL after 20 s) and returns what it found. */
  async stop(): Promise<{ stopped: number[]; left: number[] }> {
    const found = await this.members();
    for (const pid of found.filter((p) => p !== this.pid)) signal(pid, 'SIGTERM');
    for (let i = 0; i < 20 && (await this.members()).some((p) => p !== this.pid); i++) await delay(1000);
    for (const pid of await this.members()) signal(pid, 'SIGKILL');
    for (let i = 0; i < 10 && (await this.members()).length > 0; i++) await delay(500);
    const left = await this.members();
    if (left.length > 0) log(`libvirt: still running after KILL: ${left.join(' ')}`);
    this.holder.unref();
    return { stopped: found, left };
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
