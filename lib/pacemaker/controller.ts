// Asks a node's Pacemaker controller whether it answers: `crmadmin --status=NODE --output-as=xml`
// (recorded: test/fixtures/pacemaker-host/crmadmin-status*). A node that answers is reachable through the
// cluster, whatever the CIB's last record of it says; one that does not answer within the timeout may be
// partitioned away, being fenced, or merely slow.
import { XMLParser } from 'fast-xml-parser';
import type { CommandRunner } from '../exec/command.js';

export interface ControllerOptions {
  readonly run: CommandRunner;
  readonly crmadmin?: string;
}

/** What one status request found. */
export type ControllerAnswer =
  | { readonly answered: true; readonly state: string }
  /** No reply in time (124), no controller to ask (102), or output this client cannot read. */
  | { readonly answered: false; readonly reason: string };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

/** `<pacemaker-result><crmd node_name state result="ok"/><status code="0"/></pacemaker-result>`. */
export function parseControllerStatus(stdout: string, node: string): ControllerAnswer {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(stdout) as Record<string, unknown>;
  } catch {
    return { answered: false, reason: 'crmadmin printed no XML' };
  }
  const result = doc['pacemaker-result'] as Record<string, unknown> | undefined;
  const status = result?.status as Record<string, unknown> | undefined;
  const crmd = result?.crmd as Record<string, unknown> | undefined;
  if (status?.code === '0' && crmd?.node_name === node && crmd.result === 'ok')
    return { answered: true, state: typeof crmd.state === 'string' ? crmd.state : '' };
  const errors: unknown = (status?.errors as Record<string, unknown> | undefined)?.error;
  const first: unknown = Array.isArray(errors) ? (errors as unknown[])[0] : errors;
  const message = typeof first === 'string' ? first.replace(/^error:\s*/, '') : undefined;
  return {
    answered: false,
    reason: message ?? (typeof status?.message === 'string' ? status.message : 'crmadmin gave no status'),
  };
}

export class Controller {
  private readonly crmadmin: string;

  constructor(private readonly options: ControllerOptions) {
    this.crmadmin = options.crmadmin ?? 'crmadmin';
  }

  /** Whether `node`'s controller answers within `timeoutS` seconds. */
  async status(node: string, timeoutS: number): Promise<ControllerAnswer> {
    const r = await this.options.run(this.crmadmin, [
      `--status=${node}`,
      `--timeout=${Math.max(1, Math.floor(timeoutS))}s`,
      '--output-as=xml',
    ]);
    if (r.missing) return { answered: false, reason: 'crmadmin is not installed' };
    return parseControllerStatus(r.stdout, node);
  }
}
