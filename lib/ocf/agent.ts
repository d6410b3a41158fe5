// An agent is a declaration: parameters and actions. Metadata, usage, parsing and docs all come from it.

interface ParameterBase {
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly required?: boolean;
  /** No two resources may share a value (OCF 1.0 unique, OCF 1.1 unique-group). */
  readonly unique?: boolean;
  /** Applied to a running resource by reload-agent, without a restart (OCF 1.1). */
  readonly reloadable?: boolean;
  readonly deprecated?: { readonly replacedWith?: string; readonly desc: string };
  /**
   * Part of what identifies the managed thing. stop and probes parse only identity parameters strictly:
   * no other parameter error can fail them (a failed stop gets the node fenced).
   */
  readonly identity?: boolean;
}

export interface StringParameter extends ParameterBase {
  readonly type: 'string';
  readonly default?: string;
  /** Returns what is wrong with a value, or undefined; the parser quotes the value in the exit reason. */
  readonly check?: (value: string) => string | undefined;
}
export interface IntegerParameter extends ParameterBase {
  readonly type: 'integer';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanParameter extends ParameterBase {
  readonly type: 'boolean';
  readonly default?: boolean;
}
/** A duration in Pacemaker's notation (30, 30s, 2min, 500ms); parsed into seconds. */
export interface SecondsParameter extends ParameterBase {
  readonly type: 'seconds';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}
export interface SelectParameter<O extends string = string> extends ParameterBase {
  readonly type: 'select';
  readonly options: readonly O[];
  readonly default?: O;
}

export type ParameterSpec =
  StringParameter | IntegerParameter | BooleanParameter | SecondsParameter | SelectParameter;
export type ParameterSet = Readonly<Record<string, ParameterSpec>>;

type ValueOf<S extends ParameterSpec> = S extends { type: 'integer' | 'seconds' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends SelectParameter<infer O>
      ? O
      : string;

/** The typed values of a parameter set: required or defaulted parameters are always present. */
export type Parameters<P extends ParameterSet> = {
  readonly [K in keyof P]: P[K] extends { required: true } | { default: unknown }
    ? ValueOf<P[K]>
    : ValueOf<P[K]> | undefined;
};

export type Role = 'Promoted' | 'Unpromoted';

export interface ActionSpec {
  readonly name: string;
  /** Default timeout in seconds. */
  readonly timeout: number;
  readonly interval?: number;
  readonly depth?: number;
  readonly role?: Role;
  readonly startDelay?: number;
}

export interface AgentDefinition<P extends ParameterSet = ParameterSet> {
  readonly name: string;
  /** The agent's own version (not the OCF version). */
  readonly version: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly parameters: P;
  readonly actions: readonly ActionSpec[];
}

// Actions OCF 1.0's DTD knows; reload-agent exists from OCF 1.1 on.
const ocf10Actions = new Set([
  'start',
  'stop',
  'recover',
  'monitor',
  'restart',
  'migrate_to',
  'migrate_from',
  'promote',
  'demote',
  'notify',
  'status',
  'reload',
  'meta-data',
  'usage',
  'methods',
  'validate-all',
]);
export const isOcf10Action = (name: string): boolean => ocf10Actions.has(name);
const knownActions = new Set([...ocf10Actions, 'reload-agent']);

const parameterName = /^[a-z][a-z0-9_]*$/;

/** Checks a declaration once, where it is written, so a mistake fails the build's tests, not a cluster. */
export function defineAgent<const P extends ParameterSet>(
  definition: AgentDefinition<P>,
): AgentDefinition<P> {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(definition.parameters)) {
    if (!parameterName.test(name)) problems.push(`parameter name '${name}' is not lower_snake_case`);
    if (spec.required === true && spec.default !== undefined)
      problems.push(`parameter '${name}' is required and has a default: it can only be one of them`);
    if (spec.type === 'select') {
      if (spec.options.length === 0) problems.push(`select parameter '${name}' has no options`);
      if (spec.default !== undefined && !spec.options.includes(spec.default))
        problems.push(`parameter '${name}' default '${spec.default}' is not one of its options`);
    }
    if ((spec.type === 'integer' || spec.type === 'seconds') && spec.default !== undefined) {
      if (
        (spec.min !== undefined && spec.default < spec.min) ||
        (spec.max !== undefined && spec.default > spec.max)
      )
        problems.push(`parameter '${name}' default ${spec.default} is out of its range`);
    }
    const replacement = spec.deprecated?.replacedWith;
    if (replacement !== undefined && !(replacement in definition.parameters))
      problems.push(`parameter '${name}' is replaced with unknown parameter '${replacement}'`);
    if (spec.deprecated !== undefined && spec.required === true)
      problems.push(`parameter '${name}' is deprecated and required`);
  }
  const seen = new Set<string>();
  for (const action of definition.actions) {
    if (!knownActions.has(action.name)) problems.push(`unknown action '${action.name}'`);
    const key = `${action.name}/${action.depth ?? 0}/${action.role ?? ''}/${action.interval ?? 0}`;
    if (seen.has(key)) problems.push(`action '${action.name}' declared twice alike`);
    seen.add(key);
    if (!(action.timeout > 0)) problems.push(`action '${action.name}' needs a positive timeout`);
  }
  for (const needed of ['start', 'stop', 'monitor', 'meta-data', 'validate-all']) {
    if (!definition.actions.some((a) => a.name === needed)) problems.push(`action '${needed}' is missing`);
  }
  if (problems.length > 0)
    throw new Error(`agent '${definition.name}' is ill-defined: ${problems.join('; ')}`);
  return definition;
}

/** The declared default timeout of an action (the first declaration of that name), in seconds. */
export function defaultTimeout(definition: AgentDefinition, action: string): number {
  return definition.actions.find((a) => a.name === action)?.timeout ?? 20;
}

/** Parameters whose values the agent can apply to a running resource. */
export function reloadableParameters(definition: AgentDefinition): string[] {
  return Object.entries(definition.parameters)
    .filter(([, spec]) => spec.reloadable === true)
    .map(([name]) => name);
}
