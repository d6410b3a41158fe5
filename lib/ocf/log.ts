// Agent logging: pino, synchronous, one readable line per event on stderr (pacemaker-execd copies it into
// its log), and to HA_LOGFILE and syslog when the cluster's HA_* settings ask for them.
import { appendFileSync, writeSync } from 'node:fs';
import pino from 'pino';
import { debugRequested, type Env } from './environment.js';
import { SyslogPipe, SyslogSeverity, type SyslogSeverityValue } from '../system/syslog-pipe.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const severity: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };
const syslogSeverity: Record<Level, SyslogSeverityValue> = {
  debug: SyslogSeverity.debug,
  info: SyslogSeverity.info,
  warn: SyslogSeverity.warning,
  error: SyslogSeverity.error,
};

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
  const name = `${options.agent}(${options.instance})`;
  const tag = `${name}[${process.pid}]`;
  const stderrMin = severity[options.stderrLevel ?? (debug ? 'debug' : 'info')];
  const write = options.write ?? ((line: string) => void writeSync(2, line));
  const logFile = env.HA_LOGFILE ?? env.HA_logfile;
  const facility = env.HA_LOGFACILITY ?? env.HA_logfacility;
  const syslog =
    facility !== undefined && facility !== '' && facility !== 'none'
      ? new SyslogPipe({ tag: name, pid: process.pid, facility }, { journalSocket: env.LXCHA_JOURNAL_SOCKET })
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
      if (syslog !== undefined && event.level >= severity.info) syslog.send(syslogSeverity[level], event.msg);
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
