// Runs a built agent exactly as pacemaker-execd does: argv [path, action], parameters in OCF_RESKEY_*.
import { spawnSync } from 'node:child_process';
import { builtAgent } from './paths.js';

export interface AgentRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The exit reason line, without its prefix. */
  readonly reason: string | undefined;
  readonly ms: number;
}

export interface AgentCall {
  readonly params?: Readonly<Record<string, string>>;
  /** CRM_meta_* attributes, e.g. { timeout: '20000', interval: '0' }. */
  readonly meta?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly agent?: string;
  readonly path?: string;
}

export const TEST_RSCTMP = '/tmp/lxcha-test-rsctmp';

export function runAgent(action: string, call: AgentCall = {}): AgentRun {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'lxcha-test',
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '1',
    // lxc-start's default log (heartbeat's $HA_RSCTMP/<instance>.log) goes to the tests' own directory.
    HA_RSCTMP: TEST_RSCTMP,
    ...call.env,
  };
  for (const [k, v] of Object.entries(call.params ?? {})) env[`OCF_RESKEY_${k}`] = v;
  for (const [k, v] of Object.entries(call.meta ?? {})) env[`OCF_RESKEY_CRM_meta_${k}`] = v;
  const started = Date.now();
  const r = spawnSync(call.path ?? builtAgent(call.agent ?? 'lxc'), [action], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const reason = /^ocf-exit-reason:(.*)$/m.exec(r.stderr ?? '')?.[1];
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    reason,
    ms: Date.now() - started,
  };
}
