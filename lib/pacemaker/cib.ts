// A small CIB client over cibadmin: read sections, find the promotable clone that manages a DRBD
// resource, and place or lift the location constraint of DRBD's resource-level fencing.
import { XMLParser } from 'fast-xml-parser';
import type { CommandRunner } from '../exec/command.js';
import { ToolError } from '../exec/tool-error.js';

export interface CibOptions {
  readonly run: CommandRunner;
  readonly cibadmin?: string;
  readonly crmNode?: string;
  readonly crmResource?: string;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Every element as an array, so a one-child section and a many-child section look alike.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

export function parseCib(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

const children = (node: unknown, name: string): XmlNode[] => {
  if (typeof node !== 'object' || node === null) return [];
  const value = (node as XmlNode)[name];
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as XmlNode[]) : [];
};
const attr = (node: XmlNode, name: string): string | undefined =>
  typeof node[name] === 'string' ? node[name] : undefined;

/** Walks every element of a parsed document, with its parent chain. */
function walk(
  node: XmlNode,
  visit: (name: string, el: XmlNode, parents: readonly { name: string; el: XmlNode }[]) => void,
  parents: { name: string; el: XmlNode }[] = [],
): void {
  for (const [name, value] of Object.entries(node)) {
    if (!Array.isArray(value)) continue;
    for (const el of value) {
      if (typeof el !== 'object' || el === null) continue;
      visit(name, el as XmlNode, parents);
      walk(el as XmlNode, visit, [...parents, { name, el: el as XmlNode }]);
    }
  }
}

export interface ManagingClone {
  readonly cloneId: string;
  readonly primitiveId: string;
  readonly agent: string;
}

/**
 * The promotable clone whose primitive has `drbd_resource=RES` — ours (ocf:lxcha:drbd-lvm) or
 * ocf:linbit:drbd — in a parsed `resources` section.
 */
export function findManagingClone(resources: XmlNode, drbdResource: string): ManagingClone | undefined {
  let found: ManagingClone | undefined;
  walk(resources, (name, el, parents) => {
    if (found !== undefined || name !== 'primitive') return;
    const has = children(el, 'instance_attributes').some((ia) =>
      children(ia, 'nvpair').some(
        (nv) => attr(nv, 'name') === 'drbd_resource' && attr(nv, 'value') === drbdResource,
      ),
    );
    if (!has) return;
    const parent = [...parents].reverse().find((p) => p.name === 'clone' || p.name === 'master');
    if (parent === undefined) return;
    const promotable =
      parent.name === 'master' ||
      children(parent.el, 'meta_attributes').some((ma) =>
        children(ma, 'nvpair').some(
          (nv) => attr(nv, 'name') === 'promotable' && /^(true|yes|on|1)$/i.test(attr(nv, 'value') ?? ''),
        ),
      );
    if (!promotable) return;
    found = {
      cloneId: attr(parent.el, 'id') ?? '',
      primitiveId: attr(el, 'id') ?? '',
      agent: `${attr(el, 'class') ?? ''}:${attr(el, 'provider') ?? ''}:${attr(el, 'type') ?? ''}`,
    };
  });
  return found;
}

export interface NodeState {
  readonly uname: string;
  /** Pacemaker's controller runs there (crmd="online"). */
  readonly online: boolean;
  /** A member of the corosync membership (in_ccm "true" or, since 2.1.7, a timestamp). */
  readonly member: boolean;
  /**
   * The controller expects the node down (expected="down"): it left cleanly or was fenced. With the node
   * neither a member nor online, that is the cluster's word that nothing runs there any more.
   */
  readonly expectedDown: boolean;
}

export function parseNodeStates(status: XmlNode): NodeState[] {
  const states: NodeState[] = [];
  walk(status, (name, el) => {
    if (name !== 'node_state') return;
    const inCcm = attr(el, 'in_ccm') ?? 'false';
    states.push({
      uname: attr(el, 'uname') ?? '',
      online: attr(el, 'crmd') === 'online',
      member: inCcm === 'true' || /^\d+$/.test(inCcm),
      expectedDown: attr(el, 'expected') === 'down',
    });
  });
  return states;
}

/** The id of the constraint this suite's fence-peer handler places for one DRBD resource. */
export const fenceConstraintId = (drbdResource: string, cloneId: string): string =>
  `lxcha-fence-${drbdResource}-${cloneId}`;

const xmlAttr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A location constraint that forbids the Promoted role everywhere but `keepNode`. */
export function fenceConstraintXml(
  id: string,
  cloneId: string,
  keepNode: string,
  role: 'Promoted' | 'Master',
): string {
  const i = xmlAttr(id);
  return (
    `<rsc_location id="${i}" rsc="${xmlAttr(cloneId)}">` +
    `<rule id="${i}-rule" role="${role}" score="-INFINITY">` +
    `<expression id="${i}-expr" attribute="#uname" operation="ne" value="${xmlAttr(keepNode)}"/>` +
    `</rule></rsc_location>`
  );
}

export interface Location {
  readonly node: string;
  readonly promoted: boolean;
}

/** `crm_resource --locate`: `resource X is running on: node2 Promoted` (Master before Pacemaker 2.1). */
export function parseLocate(stdout: string): Location[] {
  const found: Location[] = [];
  for (const line of stdout.split('\n')) {
    const m = /is running on: (\S+)(?:\s+(Promoted|Master))?/.exec(line);
    if (m?.[1] !== undefined) found.push({ node: m[1], promoted: m[2] !== undefined });
  }
  return found;
}

export class Cib {
  private readonly cibadmin: string;
  private readonly crmNode: string;
  private readonly crmResource: string;

  constructor(private readonly options: CibOptions) {
    this.cibadmin = options.cibadmin ?? 'cibadmin';
    this.crmNode = options.crmNode ?? 'crm_node';
    this.crmResource = options.crmResource ?? 'crm_resource';
  }

  /** Where a resource runs and in which role, as Pacemaker last recorded it. */
  async locate(resource: string): Promise<Location[]> {
    const r = await this.options.run(this.crmResource, ['--resource', resource, '--locate']);
    if (!r.ok) {
      if (/not running/i.test(`${r.stdout}${r.stderr}`)) return [];
      throw new ToolError(r, 'crm_resource --locate');
    }
    return parseLocate(r.stdout);
  }

  /** One section of the CIB, or (no scope) the whole of it: configuration and status in one call. */
  async query(scope?: 'resources' | 'constraints' | 'status' | 'nodes'): Promise<XmlNode> {
    const args = scope === undefined ? ['--query'] : ['--query', '--scope', scope];
    const r = await this.options.run(this.cibadmin, args);
    if (!r.ok) throw new ToolError(r, `cibadmin ${args.join(' ')}`);
    return parseCib(r.stdout);
  }

  /**
   * The node states alone, without their children (each node's operation history, most of the status
   * section): what a look that repeats every half second needs. The status element (childless) is asked
   * for too, so that a CIB with no node state yet still matches: cibadmin answers a match of nothing with
   * the same exit code (105) as a CIB it cannot reach.
   */
  async nodeStates(): Promise<NodeState[]> {
    const args = ['--query', '--xpath', '/cib/status|/cib/status/node_state', '--no-children'];
    const r = await this.options.run(this.cibadmin, args);
    if (!r.ok) throw new ToolError(r, `cibadmin ${args.join(' ')}`);
    return parseNodeStates(parseCib(r.stdout));
  }

  /** This node's name as Pacemaker knows it. */
  async localNodeName(): Promise<string> {
    const r = await this.options.run(this.crmNode, ['--name']);
    if (!r.ok || r.stdout.trim() === '') throw new ToolError(r, 'crm_node --name');
    return r.stdout.trim();
  }

  /** Creates the constraint, or replaces one with the same id. */
  async placeConstraint(xml: string): Promise<void> {
    const r = await this.options.run(this.cibadmin, [
      '--modify',
      '--allow-create',
      '--scope',
      'constraints',
      '--xml-text',
      xml,
    ]);
    if (!r.ok) throw new ToolError(r, 'cibadmin --modify --allow-create');
  }

  /** Removes a constraint by id; absent already is success. */
  async deleteConstraint(id: string): Promise<void> {
    const r = await this.options.run(this.cibadmin, [
      '--delete',
      '--scope',
      'constraints',
      '--xml-text',
      `<rsc_location id="${xmlAttr(id)}"/>`,
    ]);
    // cibadmin answers 105 (CRM_EX_NOSUCH) when there is nothing to delete.
    if (!r.ok && r.exitCode !== 105 && !/No such|not found/i.test(r.stderr))
      throw new ToolError(r, 'cibadmin --delete');
  }

  async hasConstraint(id: string): Promise<boolean> {
    const constraints = await this.query('constraints');
    let found = false;
    walk(constraints, (name, el) => {
      if (name === 'rsc_location' && attr(el, 'id') === id) found = true;
    });
    return found;
  }
}
