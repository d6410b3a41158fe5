// What Pacemaker tells an agent through its environment: action context, meta attributes, OCF version.

export type Env = Readonly<Record<string, string | undefined>>;

export interface OcfVersion {
  readonly major: number;
  readonly minor: number;
}

export interface OcfEnvironment {
  readonly action: string;
  /** OCF_RESOURCE_INSTANCE, or the agent name when run by hand. */
  readonly instance: string;
  /** CRM_meta_timeout in ms, when the manager set one. */
  readonly timeoutMs: number | undefined;
  /** CRM_meta_interval in ms; 0 when unset (crm_resource --force-check, probes). */
  readonly intervalMs: number;
  /** A monitor with interval 0: Pacemaker's probe, which runs on every node, also where nothing is installed. */
  readonly isProbe: boolean;
  /** OCF_CHECK_LEVEL: 0, 10 or 20. */
  readonly checkLevel: number;
  /** The OCF version the manager speaks (OCF_RA_VERSION_MAJOR/MINOR), undefined when it does not say. */
  readonly managerVersion: OcfVersion | undefined;
  readonly exitReasonPrefix: string;
  /** Raw environment, for the parameter parser and meta attributes. */
  readonly env: Env;
  /** A meta attribute (OCF_RESKEY_CRM_meta_<name>, hyphens as underscores). */
  meta(name: string): string | undefined;
}

const toInt = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '' || !/^\d+$/.test(value.trim())) return undefined;
  return Number.parseInt(value.trim(), 10);
};

export function readEnvironment(action: string, agentName: string, env: Env = process.env): OcfEnvironment {
  const meta = (name: string): string | undefined => env[`OCF_RESKEY_CRM_meta_${name.replaceAll('-', '_')}`];
  const intervalMs = toInt(meta('interval')) ?? 0;
  const major = toInt(env.OCF_RA_VERSION_MAJOR);
  const minor = toInt(env.OCF_RA_VERSION_MINOR);
  const timeoutMs = toInt(meta('timeout'));
  return {
    action,
    instance: env.OCF_RESOURCE_INSTANCE ?? agentName,
    timeoutMs: timeoutMs === 0 ? undefined : timeoutMs,
    intervalMs,
    isProbe: action === 'monitor' && intervalMs === 0,
    checkLevel: toInt(env.OCF_CHECK_LEVEL) ?? 0,
    managerVersion: major === undefined ? undefined : { major, minor: minor ?? 0 },
    exitReasonPrefix: env.OCF_EXIT_REASON_PREFIX ?? 'ocf-exit-reason:',
    env,
    meta,
  };
}

/** HA_debug=1 (or HA_DEBUG=1): the cluster asks agents for debug logging. */
export function debugRequested(env: Env): boolean {
  return env.HA_debug === '1' || env.HA_DEBUG === '1';
}

/** True when the manager speaks OCF 1.1 or later (Pacemaker 2.1+): the agent may use 1.1 features. */
export function speaksOcf11(version: OcfVersion | undefined): boolean {
  return version !== undefined && (version.major > 1 || (version.major === 1 && version.minor >= 1));
}
