// Runs system tools with argument arrays (never a shell), bounded by the operation's remaining time;
// a failed child is a value, so callers map it onto an OCF exit code.
import type { Deadline } from '../system/deadline.js';

/** What a finished (or failed-to-start) child left behind. */
export interface CommandResult {
  readonly command: string;
  readonly args: readonly string[];
  /** Exit status; undefined when the child was killed by a signal or never started. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** The binary was not found (ENOENT): the tool is not installed on this node. */
  readonly missing: boolean;
  readonly ok: boolean;
}

export interface RunOptions {
  /** Time limit for this child; defaults to what is left of the operation's deadline. */
  readonly deadline?: Deadline;
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** What a child left, as a runner saw it; anything it did not see is absent. */
export interface ChildOutcome {
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly timedOut?: boolean;
  readonly missing?: boolean;
}

/** The one builder of a CommandResult, so every runner (and test) agrees on what `ok` means. */
export function commandResult(command: string, args: readonly string[], child: ChildOutcome): CommandResult {
  const timedOut = child.timedOut ?? false;
  const missing = child.missing ?? false;
  return {
    command,
    args,
    exitCode: child.exitCode,
    signal: child.signal,
    stdout: child.stdout ?? '',
    stderr: child.stderr ?? '',
    timedOut,
    missing,
    ok: child.exitCode === 0 && !timedOut && !missing,
  };
}

/** Runs one command; injected into clients so tests can swap the runner. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandResult>;

/** The last non-empty line of a child's stderr (or stdout): the tool's own error message. */
export function lastErrorLine(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const stderrLines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return stderrLines.at(-1) ?? lines.at(-1) ?? `exit status ${result.exitCode ?? result.signal ?? 'unknown'}`;
}

/** A one-line description of a failed command for exit reasons and logs. */
export function describeFailure(result: CommandResult): string {
  if (result.missing) return `${result.command} not found`;
  if (result.timedOut) return `${result.command} timed out`;
  return `${result.command} failed: ${lastErrorLine(result)}`;
}
