// The one place that knows OCF 1.1's exit codes and turns failures into them.

/** OCF 1.1 return codes (ClusterLabs OCF-spec ra/1.1). */
export const OcfExit = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
  DEGRADED: 190,
  DEGRADED_PROMOTED: 191,
} as const;

export type OcfExitCode = (typeof OcfExit)[keyof typeof OcfExit];

const names = new Map<number, string>(Object.entries(OcfExit).map(([name, code]) => [code, name]));

/** The OCF name of an exit code, for logs and test messages. */
export function exitCodeName(code: number): string {
  return names.get(code) ?? `UNKNOWN(${code})`;
}

/**
 * A failure that ends the action with an OCF exit code and a one-line exit reason.
 * Thrown anywhere below an action; caught only by the agent's process boundary.
 */
export class OcfError extends Error {
  constructor(
    readonly code: OcfExitCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'OcfError';
  }
}

/** A parameter is wrong everywhere (syntax, range, hostile characters): rc 6, the cluster stops the resource. */
export const configurationError = (reason: string): OcfError => new OcfError(OcfExit.ERR_CONFIGURED, reason);
/** Something this node lacks (a tool, a file, a device): rc 5, Pacemaker moves the resource. */
export const notInstalledError = (reason: string): OcfError => new OcfError(OcfExit.ERR_INSTALLED, reason);
/** A valid request that cannot be honoured on this host: rc 2. */
export const argumentsError = (reason: string): OcfError => new OcfError(OcfExit.ERR_ARGS, reason);
/** The action failed here: rc 1, Pacemaker recovers. */
export const genericError = (reason: string, cause?: unknown): OcfError =>
  new OcfError(OcfExit.ERR_GENERIC, reason, cause === undefined ? undefined : { cause });
/** The caller lacks a privilege the action needs: rc 4. */
export const permissionError = (reason: string): OcfError => new OcfError(OcfExit.ERR_PERM, reason);
