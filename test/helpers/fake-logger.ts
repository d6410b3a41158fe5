// A fake `logger` for tests of syslog output: put first on PATH, it records how it was run and what it read.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakeLoggerOptions {
  /** Record nothing until the process named by `--id=<pid>` has exited (a caller that must not wait for it). */
  readonly afterParentExit?: boolean;
}

export interface FakeLogger {
  /** The directory of the `logger` script, to put first on PATH. */
  readonly pathDir: string;
  /** Per run: `ARGS <argv>`, the lines read, and `EOF` once its stdin closed. */
  readonly record: string;
  /** The record once a logger has written `EOF`; throws after `timeoutMs`. */
  settled(timeoutMs?: number): Promise<string>;
}

/** Writes `dir/logger` (creating `dir`), which appends to `dir/logger.record`. */
export function fakeLogger(dir: string, options: FakeLoggerOptions = {}): FakeLogger {
  const record = path.join(dir, 'logger.record');
  const script = path.join(dir, 'logger');
  const waitForParent = options.afterParentExit
    ? 'for a in "$@"; do case $a in --id=*) pid=${a#--id=};; esac; done\n' +
      'while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done\n'
    : '';
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    script,
    `#!/bin/sh\n${waitForParent}echo "ARGS $*" >> '${record}'\ncat >> '${record}'\necho EOF >> '${record}'\n`,
  );
  chmodSync(script, 0o755);
  const read = (): string => (existsSync(record) ? readFileSync(record, 'utf8') : '');
  return {
    pathDir: dir,
    record,
    async settled(timeoutMs = 5000): Promise<string> {
      for (let i = 0; i < timeoutMs / 50; i++) {
        const text = read();
        if (text.split('\n').includes('EOF')) return text;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`logger did not finish: ${existsSync(record) ? read() : '(no record)'}`);
    },
  };
}
