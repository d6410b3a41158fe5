// Consecutive failures of one recurring check, counted across the agent's separate processes in a small file
// under /run: written only after a failure, removed after the next success, so a healthy run costs one stat.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { stateFileName, writeStateFile } from './state-file.js';

export interface Streak {
  /** Failures in a row, this one included. */
  readonly count: number;
  /** When the first of them happened (ms since the epoch). */
  readonly since: number;
}

interface Stored {
  readonly count: number;
  readonly since: number;
  readonly last: number;
  readonly detail: string;
}

export class FailureStreak {
  readonly file: string;

  /** The streak `key` of kind `kind` (a folder under the state directory). */
  constructor(
    dir: string,
    kind: string,
    key: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dir, kind, stateFileName(key));
  }

  /** Whether a streak is on record (one stat). */
  pending(): boolean {
    return existsSync(this.file);
  }

  /** After a success: ends the streak. Costs one stat when there is none (the usual case). */
  clear(): void {
    if (!existsSync(this.file)) return;
    try {
      unlinkSync(this.file);
    } catch {
      // gone already, or /run read-only: the next failure's gap check still ends a stale streak
    }
  }

  /**
   * After a failure: the streak including it. A record whose last failure is older than `maxGapMs` belongs to
   * a streak that ended (a missed check, a resource stopped in between), so the count starts again at 1.
   * Undefined when the record cannot be kept (no writable /run): the caller cannot count.
   */
  record(maxGapMs: number, detail: string): Streak | undefined {
    const now = this.now();
    const previous = this.read();
    const continues = previous !== undefined && now - previous.last <= maxGapMs && now >= previous.last;
    const next: Stored = {
      count: continues ? previous.count + 1 : 1,
      since: continues ? previous.since : now,
      last: now,
      detail,
    };
    try {
      writeStateFile(this.file, `${JSON.stringify(next)}\n`);
    } catch {
      return undefined;
    }
    return { count: next.count, since: next.since };
  }

  private read(): Stored | undefined {
    try {
      const s = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Stored>;
      if (typeof s.count !== 'number' || typeof s.since !== 'number' || typeof s.last !== 'number')
        return undefined;
      return { count: s.count, since: s.since, last: s.last, detail: String(s.detail ?? '') };
    } catch {
      return undefined;
    }
  }
}
