// Lines to syslog, the caller never waiting for them: on a node whose journald listens (systemd, e.g. every
// Debian 12 cluster node), over one connection to journald's stream socket, the one systemd-cat and a
// service's stdout use; elsewhere, or when that socket refuses, through one `logger --prio-prefix` per
// process, started with the first line and fed each line on its stdin. Used by the agents' log
// (lib/ocf/log.ts) and by DRBD's fence-peer handler, whose answer DRBD waits for while it holds I/O.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** syslog severities (RFC 5424), written as each line's <N> prefix; the facility is the sender's. */
export const SyslogSeverity = { error: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;
export type SyslogSeverityValue = (typeof SyslogSeverity)[keyof typeof SyslogSeverity];

/** journald's stream socket (sd_journal_stream_fd's); LXCHA_JOURNAL_SOCKET moves it (the tests' own). */
export const JOURNAL_STREAM_SOCKET = '/run/systemd/journal/stdout';

/** syslog(3)'s facility numbers by the names logger's -p takes. */
const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`local${i}`, 16 + i])),
};

export interface SyslogIdentity {
  /** The name the lines carry: logger's -t, the journal's SYSLOG_IDENTIFIER. */
  readonly tag: string;
  /** The sender's PID: logger's --id (journald takes it from the socket's peer credentials). */
  readonly pid: number;
  /** A facility name as logger's -p takes it; logger's default (user) when unset. */
  readonly facility?: string | undefined;
}

export interface SyslogPipeOptions {
  /** journald's stream socket; JOURNAL_STREAM_SOCKET when unset. A path that does not exist: logger. */
  readonly journalSocket?: string | undefined;
}

/** How long a process that is done may stay alive for lines journald has not taken yet (a stuck journald). */
const JOURNAL_GRACE_MS = 1000;

interface Sink {
  write(line: string): void;
}

/**
 * One `logger` per process: each spawn forks the whole node process, ~0.2 s on an idle emulated cluster node
 * and 0.3–0.9 s on a loaded one. A line is in the pipe once write() returns (libuv writes at once to a pipe
 * with room), so it reaches syslog even when the process exits or is killed right after; the process's end
 * closes the pipe and logger exits. A logger that is missing or fails loses syslog only.
 */
class LoggerSink implements Sink {
  private stdin: NodeJS.WritableStream | undefined;
  private broken = false;

  constructor(private readonly identity: SyslogIdentity) {}

  write(line: string): void {
    if (this.broken) return;
    const stdin = (this.stdin ??= this.start());
    stdin?.write(line);
  }

  private start(): NodeJS.WritableStream | undefined {
    const { tag, pid, facility } = this.identity;
    const args = ['--prio-prefix', '-t', tag, `--id=${pid}`];
    if (facility !== undefined) args.push('-p', `${facility}.info`);
    let child: ChildProcess;
    try {
      child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      this.broken = true;
      return undefined;
    }
    const fail = (): void => {
      this.broken = true;
    };
    child.on('error', fail);
    child.stdin?.on('error', fail);
    // Neither the child nor its pipe keeps the caller's event loop alive: the caller exits when its work is
    // done, which closes the pipe.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return child.stdin ?? undefined;
  }
}

/**
 * journald's stream protocol: a header of seven lines (identifier, unit, priority with the facility, level
 * prefix on, no forwarding of our own: journald's configuration decides, as for /dev/log), then one line
 * per event with its <severity>. No process: the socket is connected in place. The connection holds the
 * process open only while a line is not yet in the socket (at most JOURNAL_GRACE_MS), so a line logged
 * last still reaches the journal; should the socket refuse, the lines it has not taken go to logger.
 */
class JournalSink implements Sink {
  private readonly socket: Socket;
  /** Lines written and not yet taken by the socket, oldest first. */
  private readonly unsent: string[] = [];
  private fallback: LoggerSink | undefined;
  private grace: NodeJS.Timeout | undefined;

  constructor(
    socketPath: string,
    facilityCode: number,
    private readonly identity: SyslogIdentity,
  ) {
    this.socket = connect({ path: socketPath });
    this.socket.on('error', () => this.fail());
    const priority = facilityCode * 8 + SyslogSeverity.info;
    this.socket.write(`${identity.tag}\n\n${priority}\n1\n0\n0\n0\n`);
  }

  write(line: string): void {
    if (this.fallback !== undefined) return this.fallback.write(line);
    this.unsent.push(line);
    this.socket.ref();
    // Once the grace has run out, a later line starts its own: each holds the process at most that long.
    this.grace ??= setTimeout(() => {
      this.grace = undefined;
      this.socket.unref();
    }, JOURNAL_GRACE_MS).unref();
    this.socket.write(line, (error) => {
      if (error !== undefined && error !== null) return;
      this.unsent.shift();
      if (this.unsent.length > 0) return;
      this.socket.unref();
      clearTimeout(this.grace);
      this.grace = undefined;
    });
  }

  private fail(): void {
    if (this.fallback !== undefined) return;
    this.fallback = new LoggerSink(this.identity);
    clearTimeout(this.grace);
    this.socket.destroy();
    for (const line of this.unsent.splice(0)) this.fallback.write(line);
  }
}

export class SyslogPipe {
  private sink: Sink | undefined;

  constructor(
    private readonly identity: SyslogIdentity,
    private readonly options: SyslogPipeOptions = {},
  ) {}

  send(severity: SyslogSeverityValue, message: string): void {
    // One event per line: logger and journald would split a multi-line message into several.
    (this.sink ??= this.open()).write(`<${severity}>${message.replace(/\r?\n/g, ' ')}\n`);
  }

  private open(): Sink {
    const socketPath = this.options.journalSocket ?? JOURNAL_STREAM_SOCKET;
    const facilityCode = FACILITIES[this.identity.facility ?? 'user'];
    // An unknown facility name is logger's to refuse, as before.
    if (facilityCode !== undefined && existsSync(socketPath))
      return new JournalSink(socketPath, facilityCode, this.identity);
    return new LoggerSink(this.identity);
  }
}
