// A logger that loads pino only when a line is actually logged: a healthy recurring monitor logs
// nothing, and every module it loads costs start-up time on every node every few seconds.
import { debugRequested } from './environment.js';
import type { Logger, LoggerOptions } from './log.js';

type Level = keyof Logger;

export interface LazyLogger extends Logger {
  /** Resolves once every line logged so far has been written. */
  flush(): Promise<void>;
}

export function lazyLogger(options: LoggerOptions): LazyLogger {
  const debug = debugRequested(options.env);
  let real: Logger | undefined;
  let pending: [Level, string][] = [];
  let loading: Promise<void> | undefined;
  const load = (): Promise<void> =>
    (loading ??= import('./log.js').then(({ createLogger }) => {
      const logger = createLogger(options);
      for (const [level, message] of pending) logger[level](message);
      pending = [];
      real = logger;
    }));
  const emit =
    (level: Level) =>
    (message: string): void => {
      if (level === 'debug' && !debug) return;
      if (real !== undefined) return real[level](message);
      pending.push([level, message]);
      void load();
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    flush: () => (loading === undefined ? Promise.resolve() : loading),
  };
}
