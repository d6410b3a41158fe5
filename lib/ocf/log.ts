// Agent logging: pino, synchronous, one readable line per event on stderr (pacemaker-execd copies it into
// its log), and to HA_LOGFILE and syslog when the cluster's HA_* settings ask for them.
import { appendFileSync, writeSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { debugRequested, type Env } from './environment.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const severity: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };
/** syslog severities (RFC 5424) for logger's --prio-prefix; the facility comes from its -p. */
const syslogSeverity: Record<Level, number> = { debug: 7, info: 6, warn: 4, error: 3 };

/**
 * One `logger --prio-prefix` per agent run, started with the first line and fed one line per event on its
 * stdin: one process per run rather than one per line (each spawn cost the action ~0.5 s on a loaded cluster
 * node under emulation), and the action never waits for it. A line is in the pipe once write() returns
 * (libuv writes at once to a pipe with room), so it reaches syslog even when the agent is killed right after;
 * the run's end closes the pipe and logger exits. A logger that is missing or fails loses syslog only.
 */
class SyslogPipe {
  private child: ChildProcess | undefined;
  private broken = false;

  constructor(
    private readonly tag: string,
    private readonly facility: string,
  ) {}

  send(level: Level, message: string): void {
    if (this.broken) return;
    const stdin = this.start();
    if (stdin === undefined) return;
    // One event per line: logger would split a multi-line message into several.
    stdin.write(`<${syslogSeverity[level]}>${message.replace(/\r?\n/g, ' ')}\n`);
  }

  private start(): NodeJS.WritableStream | undefined {
    if (this.child !== undefined) return this.child.stdin ?? undefined;
    try {
      this.child = spawn('logger', ['--prio-prefix', '-t', this.tag, '-p', `${this.facility}.info`], {
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
    // Neither the child nor its pipe keeps the agent's event loop alive: the agent exits when its action is
    // done, which closes the pipe.
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return this.child.stdin ?? undefined;
  }
}

export interface LoggerOptions {
  readonly agent: string;
  readonly instance: string;
  readonly env: Env;
  /** Lowest level written to stderr; validate-all raises it to warn (pcs shows all its stderr). */
  readonly stderrLevel?: Level;
  /** Where lines go; tests capture them. Defaults to fd 2. */
  readonly write?: (line: string) => void;
}

/** `lxc(ct0)[1234]: INFO: started` — the shape resource-agents' ocf_log uses. */
export function formatLine(tag: string, level: Level, message: string): string {
  const label = level === 'warn' ? 'WARNING' : level.toUpperCase();
  return `${tag}: ${label}: ${message}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const { env } = options;
  const debug = debugRequested(env);
  const tag = `${options.agent}(${options.instance})[${process.pid}]`;
  const stderrMin = severity[options.stderrLevel ?? (debug ? 'debug' : 'info')];
  const write = options.write ?? ((line: string) => void writeSync(2, line));
  const logFile = env.HA_LOGFILE ?? env.HA_logfile;
  const facility = env.HA_LOGFACILITY ?? env.HA_logfacility;
  const syslog =
    facility !== undefined && facility !== '' && facility !== 'none'
      ? new SyslogPipe(tag, facility)
      : undefined;

  // pino produces the structured event; this destination renders it once per sink, synchronously.
  const destination = {
    write(json: string): void {
      const event = JSON.parse(json) as { level: number; msg: string };
      const level = (Object.keys(severity) as Level[]).find((l) => severity[l] === event.level) ?? 'info';
      const line = formatLine(tag, level, event.msg);
      if (event.level >= stderrMin) write(`${line}\n`);
      if (logFile !== undefined && logFile !== '' && (debug || event.level >= severity.info)) {
        try {
          appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
        } catch {
          // An unwritable log file must never fail the operation.
        }
      }
      if (syslog !== undefined && event.level >= severity.info) syslog.send(level, event.msg);
    },
  };
  const logger = pino(
    {
      level: debug ? 'debug' : 'info',
      base: null,
      timestamp: false,
      formatters: { level: (_l, n) => ({ level: n }) },
    },
    destination,
  );
  return {
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  };
}
