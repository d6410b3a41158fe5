// Builds the meta-data XML from a declaration (no encoding in the XML declaration: crmsh parses the text
// with lxml, which rejects a str that declares one): OCF 1.0 (valid against ra-api-1.dtd, for ocf-tester and
// older managers) or OCF 1.1 (reloadable parameters, deprecation, select, reload-agent, new role names).
import { XMLBuilder } from 'fast-xml-parser';
import { isOcf10Action, type ActionSpec, type AgentDefinition, type ParameterSpec } from './agent.js';

export type MetadataVersion = '1.0' | '1.1';

const seconds = (s: number): string => `${s}s`;
const role10: Record<string, string> = { Promoted: 'Master', Unpromoted: 'Slave' };

function contentType(spec: ParameterSpec, version: MetadataVersion): string {
  switch (spec.type) {
    case 'seconds':
      return 'time';
    case 'select':
      return version === '1.1' ? 'select' : 'string';
    default:
      return spec.type;
  }
}

function defaultText(spec: ParameterSpec): string | undefined {
  if (spec.default === undefined) return undefined;
  if (typeof spec.default === 'boolean') return spec.default ? 'true' : 'false';
  if (spec.type === 'seconds') return seconds(spec.default);
  return String(spec.default);
}

function parameterNode(name: string, spec: ParameterSpec, version: MetadataVersion): Record<string, unknown> {
  let longdesc = spec.longdesc;
  let shortdesc = spec.shortdesc;
  if (spec.type === 'select' && version === '1.0') longdesc += ` Allowed values: ${spec.options.join(', ')}.`;
  if (spec.deprecated !== undefined && version === '1.0') {
    shortdesc = `(deprecated) ${shortdesc}`;
    longdesc += ` Deprecated: ${spec.deprecated.desc}`;
  }
  const node: Record<string, unknown> = {
    '@_name': name,
    ...(version === '1.1' && spec.unique === true ? { '@_unique-group': name } : {}),
    '@_unique': spec.unique === true ? '1' : '0',
    '@_required': spec.required === true ? '1' : '0',
    ...(version === '1.1' && spec.reloadable === true ? { '@_reloadable': '1' } : {}),
    longdesc: { '@_lang': 'en', '#text': longdesc },
    shortdesc: { '@_lang': 'en', '#text': shortdesc },
  };
  if (version === '1.1' && spec.deprecated !== undefined) {
    node.deprecated = {
      ...(spec.deprecated.replacedWith === undefined
        ? {}
        : { 'replaced-with': { '@_name': spec.deprecated.replacedWith } }),
      desc: { '@_lang': 'en', '#text': spec.deprecated.desc },
    };
  }
  const def = defaultText(spec);
  node.content = {
    '@_type': contentType(spec, version),
    ...(def === undefined ? {} : { '@_default': def }),
    ...(version === '1.1' && spec.type === 'select'
      ? { option: spec.options.map((o) => ({ '@_value': o })) }
      : {}),
  };
  return node;
}

function actionNode(action: ActionSpec, version: MetadataVersion): Record<string, unknown> {
  return {
    '@_name': action.name,
    '@_timeout': seconds(action.timeout),
    ...(action.interval === undefined ? {} : { '@_interval': seconds(action.interval) }),
    ...(action.startDelay === undefined ? {} : { '@_start-delay': seconds(action.startDelay) }),
    ...(action.depth === undefined ? {} : { '@_depth': String(action.depth) }),
    ...(action.role === undefined ? {} : { '@_role': version === '1.1' ? action.role : role10[action.role] }),
  };
}

export function buildMetadata(definition: AgentDefinition, version: MetadataVersion): string {
  const actions = definition.actions.filter((a) => version === '1.1' || isOcf10Action(a.name));
  const document = {
    'resource-agent': {
      '@_name': definition.name,
      '@_version': definition.version,
      version: version,
      longdesc: { '@_lang': 'en', '#text': definition.longdesc },
      shortdesc: { '@_lang': 'en', '#text': definition.shortdesc },
      parameters: {
        parameter: Object.entries(definition.parameters).map(([name, spec]) =>
          parameterNode(name, spec, version),
        ),
      },
      actions: { action: actions.map((a) => actionNode(a, version)) },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    processEntities: true,
  });
  const doctype = version === '1.0' ? '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\n' : '';
  const body: string = builder.build(document);
  return `<?xml version="1.0"?>\n${doctype}${body}`;
}
