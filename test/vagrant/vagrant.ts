// Vagrant and the machines it made, driven from inside the test's libvirt namespace: `vagrant` commands in
// a copy of the project, and commands on a machine over the ssh that `vagrant ssh-config` describes (what
// `vagrant ssh -c` does, without Vagrant's start-up per command).
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LibvirtNamespace } from './namespace.js';

/** Quotes one argument for the remote POSIX shell that ssh hands the command to. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface Remote {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class Vagrant {
  private sshConfig: string | undefined;

  constructor(
    private readonly ns: LibvirtNamespace,
    /** The project copy: the Vagrantfile and what it reads. */
    readonly project: string,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  /** A vagrant command; its output goes to the log. Resolves with the exit code. */
  async vagrant(args: string[], timeoutMs: number): Promise<number> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    log.write(`\n$ vagrant ${args.join(' ')}\n`);
    const child = this.ns.run('vagrant', args, {
      cwd: this.project,
      env: this.env,
      reject: false,
      timeout: timeoutMs,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const r = await child;
    await new Promise<void>((resolve) => log.end(resolve));
    return r.timedOut ? 124 : (r.exitCode ?? 1);
  }

  async writeSshConfig(dir: string): Promise<void> {
    const r = await this.ns.run('vagrant', ['ssh-config'], { cwd: this.project, env: this.env });
    this.sshConfig = path.join(dir, 'ssh-config');
    await writeFile(this.sshConfig, String(r.stdout));
  }

  /** Runs a command as root on a machine; never throws for its exit code. */
  async ssh(machine: string, command: string[], timeoutMs = 120_000): Promise<Remote> {
    if (this.sshConfig === undefined) throw new Error('vagrant: ssh-config not read yet');
    const remote = ['sudo', ...command].map(shellQuote).join(' ');
    const r = await this.ns.run(
      'ssh',
      ['-F', this.sshConfig, '-o', 'ConnectTimeout=20', '-o', 'BatchMode=yes', machine, remote],
      { reject: false, timeout: timeoutMs, stdin: 'ignore' },
    );
    return {
      exitCode: r.timedOut ? 124 : (r.exitCode ?? 1),
      stdout: String(r.stdout),
      stderr: String(r.stderr),
    };
  }

  /** Like ssh(), but a non-zero exit is an error naming the command and what it printed. */
  async sshOk(machine: string, command: string[], timeoutMs?: number): Promise<string> {
    const r = await this.ssh(machine, command, timeoutMs);
    if (r.exitCode !== 0)
      throw new Error(
        `${machine}: ${command.join(' ')} exit ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`,
      );
    return r.stdout;
  }
}
