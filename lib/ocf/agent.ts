// An agent is a declaration: parameters and actions, each action bound to its handler's loader.
// Metadata, usage, parsing, dispatch and docs all come from it.
import type { ActionHandler } from './action.js';

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

/** What a parameter's parse made of a value: the typed value, or what is wrong with it. */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

export interface StringParameter<T = unknown> extends ParameterBase {
  readonly type: 'string';
  readonly default?: string;
  /**
   * For a value that stays a string: returns what is wrong with it, or undefined. The parser quotes the
   * value in the exit reason.
   */
  readonly check?: (value: string) => string | undefined;
  /**
   * For a value the agent uses as something else (bytes, a word list, an LV list): the typed value the
   * action receives, or what is wrong. A default goes through it too. Not together with check.
   */
  readonly parse?: (value: string) => Parsed<T>;
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

type ValueOf<S extends ParameterSpec> = S extends {
  type: 'string';
  parse: (value: string) => Parsed<infer T>;
}
  ? T
  : S extends { type: 'integer' | 'seconds' }
    ? number
    : S extends { type: 'boolean' }
      ? boolean
      : S extends SelectParameter<infer O>
        ? O
        : string;

/** The typed values of a parameter set: required or defaulted parameters are always present. */
export type ParameterValues<P extends ParameterSet> = {
  readonly [K in keyof P]: P[K] extends { required: true } | { default: unknown }
    ? ValueOf<P[K]>
    : ValueOf<P[K]> | undefined;
};

export type Role = 'Promoted' | 'Unpromoted';

/** Loads an action's module only when that action runs: a run pays only for what it runs. */
export type ActionLoader<P extends ParameterSet = ParameterSet> = () => Promise<{
  readonly default: ActionHandler<P>;
}>;

export interface ActionSpec<P extends ParameterSet = ParameterSet> {
  readonly name: string;
  /**
   * The action's handler (python-ocf binds it to the declaration the same way). Every declaration of a
   * handled action carries the same loader; meta-data and usage have none, the process boundary serves them.
   */
  readonly run?: ActionLoader<P>;
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
  readonly actions: readonly ActionSpec<P>[];
  /** Other names an action answers to, not advertised in the metadata (`status` for monitor). */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Actions the process boundary answers from the declaration itself. */
export const builtinActions: ReadonlySet<string> = new Set(['meta-data', 'usage', 'help']);

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

/** Keeps a parameter set's literal types, so that handlers can be typed by it before the agent is defined. */
export function defineParameters<const P extends ParameterSet>(parameters: P): P {
  return parameters;
}

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
    if (spec.type === 'string' && spec.parse !== undefined) {
      if (spec.check !== undefined) problems.push(`parameter '${name}' has both check and parse`);
      const parsed = spec.default === undefined ? undefined : spec.parse(spec.default);
      if (parsed !== undefined && 'problem' in parsed)
        problems.push(`parameter '${name}' default '${spec.default}' ${parsed.problem}`);
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
  problems.push(...bindingProblems(definition));
  if (problems.length > 0)
    throw new Error(`agent '${definition.name}' is ill-defined: ${problems.join('; ')}`);
  return definition;
}

/**
 * What is wrong with the binding of actions to handlers. A declaration without any handler is a pure
 * declaration (for the library's own tests and generators); one with handlers must bind every action.
 */
function bindingProblems(definition: AgentDefinition): string[] {
  const problems: string[] = [];
  const bound = definition.actions.some((a) => a.run !== undefined);
  const loaders = new Map<string, ActionLoader | undefined>();
  for (const action of definition.actions) {
    if (builtinActions.has(action.name)) {
      if (action.run !== undefined) problems.push(`action '${action.name}' is built in and takes no handler`);
      continue;
    }
    if (bound && action.run === undefined)
      problems.push(`action '${action.name}' is declared without a handler`);
    if (loaders.has(action.name) && loaders.get(action.name) !== action.run)
      problems.push(`action '${action.name}' has different handlers in its declarations`);
    loaders.set(action.name, action.run);
  }
  for (const [alias, target] of Object.entries(definition.aliases ?? {})) {
    if (!knownActions.has(alias)) problems.push(`alias '${alias}' is not an OCF action`);
    if (definition.actions.some((a) => a.name === alias)) problems.push(`alias '${alias}' is also declared`);
    if (!loaders.has(target)) problems.push(`alias '${alias}' names undeclared action '${target}'`);
  }
  return problems;
}

/** The handled actions (and their aliases) by name; throws for a pure declaration, which cannot run. */
export function actionLoaders<P extends ParameterSet>(
  definition: AgentDefinition<P>,
): ReadonlyMap<string, ActionLoader<P>> {
  const loaders = new Map<string, ActionLoader<P>>();
  for (const action of definition.actions) if (action.run !== undefined) loaders.set(action.name, action.run);
  if (loaders.size === 0) throw new Error(`agent '${definition.name}' binds no action to a handler`);
  for (const [alias, target] of Object.entries(definition.aliases ?? {})) {
    const load = loaders.get(target);
    if (load !== undefined) loaders.set(alias, load);
  }
  return loaders;
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
