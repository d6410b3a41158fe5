// Lines to syslog through one `logger --prio-prefix` per process, started with the first line and fed each
// line on its stdin, the caller never waiting for it. Used by the agents' log (lib/ocf/log.ts) and by
// DRBD's fence-peer handler, whose answer DRBD waits for while it holds I/O.
import { spawn, type ChildProcess } from 'node:child_process';

/** syslog severities (RFC 5424), written as each line's <N> prefix; the facility comes from logger's -p. */
export const SyslogSeverity = { error: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;
export type SyslogSeverityValue = (typeof SyslogSeverity)[keyof typeof SyslogSeverity];

/**
 * One process per run rather than one per line: each spawn cost the action ~0.5 s on a loaded cluster node
 * under emulation, and a run that waits for logger pays its run too. A line is in the pipe once write()
 * returns (libuv writes at once to a pipe with room), so it reaches syslog even when the process exits or
 * is killed right after; the process's end closes the pipe and logger exits. A logger that is missing or
 * fails loses syslog only.
 */
export class SyslogPipe {
  private child: ChildProcess | undefined;
  private broken = false;

  /** `identity`: logger's arguments that name the sender (-t TAG, --id=PID, -p FACILITY.LEVEL). */
  constructor(private readonly identity: readonly string[]) {}

  send(severity: SyslogSeverityValue, message: string): void {
    if (this.broken) return;
    const stdin = this.start();
    if (stdin === undefined) return;
    // One event per line: logger would split a multi-line message into several.
    stdin.write(`<${severity}>${message.replace(/\r?\n/g, ' ')}\n`);
  }

  private start(): NodeJS.WritableStream | undefined {
    if (this.child !== undefined) return this.child.stdin ?? undefined;
    try {
      this.child = spawn('logger', ['--prio-prefix', ...this.identity], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch {
      this.broken = true;
      return undefined;
    }
    const fail = (): void => {
      this.broken = true;
    };
    this.child.on('error', fail);
    this.child.stdin?.on('error', fail);
    // Neither the child nor its pipe keeps the caller's event loop alive: the caller exits when its work is
    // done, which closes the pipe.
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return this.child.stdin ?? undefined;
  }
}
