// CIB files for tests that stage configuration the way administrators do (crm on CIB_file, pcs -f), and a
// normalized view of a configuration that ignores ids, order and comments, to compare two tools' output.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

export interface Run {
  readonly code: number;
  readonly output: string;
}

export function run(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Run {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** An empty CIB, as `cibadmin --empty` writes it. */
export function emptyCib(file: string): void {
  const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cibadmin --empty failed: ${r.stderr}`);
  writeFileSync(file, r.stdout);
}

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

const children = (node: Node | undefined, name: string): Node[] => (node?.[name] as Node[] | undefined) ?? [];
const attr = (node: Node, name: string): string => (typeof node[name] === 'string' ? node[name] : '');
const nvpairs = (node: Node, set: string): string[] =>
  children(node, set)
    .flatMap((s) => children(s, 'nvpair'))
    .map((p) => `${attr(p, 'name')}=${attr(p, 'value')}`)
    .sort();
/** 0, 0s, 0ms and nothing are the same interval. */
const interval = (v: string): string => (/^0+(s|ms)?$/.test(v) ? '' : v);

export interface Primitive {
  readonly id: string;
  readonly agent: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Every primitive of the configuration, wherever it sits (top level, group, clone). */
export function primitives(xml: string): Primitive[] {
  const found: Primitive[] = [];
  const walk = (node: Node) => {
    for (const p of children(node, 'primitive')) {
      const provider = attr(p, 'provider');
      const params = Object.fromEntries(
        nvpairs(p, 'instance_attributes').map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      found.push({
        id: attr(p, 'id'),
        agent: `${attr(p, 'class')}:${provider === '' ? '' : `${provider}:`}${attr(p, 'type')}`,
        params,
      });
    }
    for (const kind of ['group', 'clone']) for (const c of children(node, kind)) walk(c);
  };
  walk(configuration(xml, 'resources'));
  return found;
}

function configuration(xml: string, section: string): Node {
  const doc = parser.parse(xml) as Node;
  const config = children(children(doc, 'cib')[0], 'configuration')[0];
  return children(config, section)[0] ?? {};
}

/**
 * One line per configured fact — resources with their agents, parameters, operations and meta attributes;
 * groups in order; constraints by content; cluster properties and defaults — sorted, without ids.
 */
export function normalizedConfiguration(xml: string): string[] {
  const lines: string[] = [];
  const meta = (n: Node) => nvpairs(n, 'meta_attributes').join(' ');
  const walk = (node: Node) => {
    for (const p of children(node, 'primitive')) {
      const provider = attr(p, 'provider');
      lines.push(
        `primitive ${attr(p, 'id')} ${attr(p, 'class')}:${provider}:${attr(p, 'type')} ${nvpairs(p, 'instance_attributes').join(' ')}`,
      );
      if (meta(p) !== '') lines.push(`meta ${attr(p, 'id')} ${meta(p)}`);
      for (const op of children(children(p, 'operations')[0], 'op')) {
        const extra = nvpairs(op, 'instance_attributes').join(' ');
        lines.push(
          `op ${attr(p, 'id')} ${attr(op, 'name')} interval=${interval(attr(op, 'interval'))} role=${attr(op, 'role')} timeout=${attr(op, 'timeout')} ${extra}`.trim(),
        );
      }
    }
    for (const g of children(node, 'group')) {
      lines.push(
        `group ${attr(g, 'id')} ${children(g, 'primitive')
          .map((p) => attr(p, 'id'))
          .join(' ')}`,
      );
      walk(g);
    }
    for (const c of children(node, 'clone')) {
      lines.push(
        `clone ${attr(c, 'id')} ${[...children(c, 'primitive'), ...children(c, 'group')].map((p) => attr(p, 'id')).join(' ')} ${meta(c)}`,
      );
      walk(c);
    }
  };
  walk(configuration(xml, 'resources'));
  const constraints = configuration(xml, 'constraints');
  for (const l of children(constraints, 'rsc_location')) {
    const rules = children(l, 'rule').map((r) => {
      const exprs = children(r, 'expression').map(
        (e) => `${attr(e, 'attribute')} ${attr(e, 'operation')} ${attr(e, 'value')}`,
      );
      return `rule role=${attr(r, 'role')} score=${attr(r, 'score')} ${exprs.join(' and ')}`;
    });
    lines.push(
      `location ${attr(l, 'rsc')} ${attr(l, 'node')} ${attr(l, 'score')} role=${attr(l, 'role')} ${rules.join(' ')}`.trim(),
    );
  }
  const role = (v: string) => (v === 'Started' ? '' : v);
  for (const c of children(constraints, 'rsc_colocation'))
    lines.push(
      `colocation ${attr(c, 'rsc')}:${role(attr(c, 'rsc-role'))} with ${attr(c, 'with-rsc')}:${role(attr(c, 'with-rsc-role'))} ${attr(c, 'score').replace(/^inf(inity)?$/i, 'INFINITY')}`,
    );
  for (const o of children(constraints, 'rsc_order'))
    lines.push(
      `order ${attr(o, 'first')}:${attr(o, 'first-action') || 'start'} then ${attr(o, 'then')}:${attr(o, 'then-action') || 'start'} ${attr(o, 'kind') || 'Mandatory'}`,
    );
  for (const [section, name] of [
    ['crm_config', 'cluster_property_set'],
    ['rsc_defaults', 'meta_attributes'],
    ['op_defaults', 'meta_attributes'],
  ] as const) {
    for (const set of children(configuration(xml, section), name))
      for (const p of children(set, 'nvpair'))
        lines.push(`${section} ${attr(p, 'name')}=${attr(p, 'value')}`);
  }
  return lines.sort();
}
