// The promotion score this instance last wrote, and when: a recurring monitor that finds the same score
// written moments ago (by the promote or start it follows, or the monitor before it) does not write it
// again. One file per instance under /run/lxcha/scores/, cleared at boot.
import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { stateFileName, writeStateFile } from '../../lib/system/state-file.js';

/**
 * How long a written score is taken as still in place. Pacemaker clears a node's transient attributes
 * when the node leaves the cluster (a reboot clears /run too) or its Pacemaker restarts (it probes every
 * resource then, and a probe always writes); an attribute removed any other way (crm_attribute -D by hand)
 * is written again within this time and one monitor interval.
 */
export const SCORE_RECORD_MAX_AGE_MS = 5 * 60_000;

/** The score, or `none` for a deleted one. */
export type RecordedScore = number | 'none';

export class ScoreRecord {
  readonly file: string;

  constructor(
    dir: string,
    key: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dir, 'scores', stateFileName(key));
  }

  /** Whether `score` is what this instance wrote, less than SCORE_RECORD_MAX_AGE_MS ago. */
  fresh(score: RecordedScore): boolean {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return false;
    }
    const [value, at] = text.trim().split(' ');
    const age = this.now() - Number(at);
    return value === String(score) && age >= 0 && age < SCORE_RECORD_MAX_AGE_MS;
  }

  /** After a write that landed. A record that cannot be kept (no writable /run) only costs the next write. */
  wrote(score: RecordedScore): void {
    try {
      writeStateFile(this.file, `${score} ${this.now()}\n`);
    } catch {
      this.forget();
    }
  }

  /** After a write that failed: what is in place is unknown, so the next monitor writes. */
  forget(): void {
    try {
      unlinkSync(this.file);
    } catch {
      // none on record
    }
  }
}
