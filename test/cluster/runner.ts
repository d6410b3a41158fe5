// The VM harnesses' one test runner (test/cluster, test/drbd-lvm-vm): `ok NAME DETAILS` / `FAIL NAME DETAILS`
// lines on stdout and a last `LABEL: N passed, M failed`, the lines scripts/test-all.mjs parses.
import { errorText } from './util.js';

/** The results of one harness run, counted and printed as they come. */
export class Results {
  passed = 0;
  failed = 0;
  /** Every printed result line, in order (for a results file). */
  readonly lines: string[] = [];

  /** Prints one result line and counts it. */
  report(ok: boolean, name: string, details: string): void {
    const line = `${ok ? 'ok' : 'FAIL'} ${name} ${details}`;
    console.log(line);
    this.lines.push(line);
    if (ok) this.passed += 1;
    else this.failed += 1;
  }

  /** Runs a check whose body returns its details: ok with them, or FAIL with the text of what it threw. */
  async step(name: string, body: () => Promise<string>): Promise<boolean> {
    try {
      const details = await body();
      this.report(true, name, details);
      return true;
    } catch (error) {
      this.report(false, name, errorText(error));
      return false;
    }
  }

  /** The last line of a run: `LABEL: N passed, M failed`. */
  summary(label: string): string {
    return `${label}: ${this.passed} passed, ${this.failed} failed`;
  }
}
