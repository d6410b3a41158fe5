// Reads OCF_RESKEY_* into typed values, each checked or parsed by its declaration.
import type { AgentDefinition, ParameterSet, ParameterSpec, ParameterValues } from './agent.js';
import type { Env } from './environment.js';
import { configurationError } from './exit-codes.js';
import { hasControlCharacters } from '../system/text.js';

const trueWords = new Set(['1', 'yes', 'y', 'true', 'on']);
const falseWords = new Set(['0', 'no', 'n', 'false', 'off']);

/** Pacemaker's time notation into seconds: "30", "30s", "2min", "1h", "500ms". */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor =
    unit === 'ms' || unit === 'msec'
      ? 0.001
      : unit === 'm' || unit === 'min'
        ? 60
        : unit.startsWith('h')
          ? 3600
          : 1;
  return value * factor;
}

const quote = (value: string): string =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);

/** Coerces one raw value; throws rc 6 with the parameter's name and the bad value quoted. */
export function coerce(name: string, spec: ParameterSpec, raw: string): unknown {
  const bad = (why: string) => configurationError(`parameter ${name}=${quote(raw)}: ${why}`);
  switch (spec.type) {
    case 'string': {
      if (hasControlCharacters(raw)) throw bad('contains control characters');
      const problem = spec.check?.(raw);
      if (problem !== undefined) throw bad(problem);
      if (spec.parse === undefined) return raw;
      const parsed = spec.parse(raw);
      if ('problem' in parsed) throw bad(parsed.problem);
      return parsed.value;
    }
    case 'integer': {
      if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw bad('not an integer');
      const n = Number.parseInt(raw, 10);
      if (!Number.isSafeInteger(n)) throw bad('out of range');
      if (spec.min !== undefined && n < spec.min) throw bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw bad(`must be at most ${spec.max}`);
      return n;
    }
    case 'boolean': {
      const w = raw.trim().toLowerCase();
      if (trueWords.has(w)) return true;
      if (falseWords.has(w)) return false;
      throw bad('not a boolean (use true or false)');
    }
    case 'seconds': {
      const s = parseDuration(raw);
      if (s === undefined) throw bad('not a duration (seconds, or a number with ms, s, min or h)');
      if (spec.min !== undefined && s < spec.min) throw bad(`must be at least ${spec.min}s`);
      if (spec.max !== undefined && s > spec.max) throw bad(`must be at most ${spec.max}s`);
      return s;
    }
    case 'select': {
      if (!spec.options.includes(raw)) throw bad(`must be one of ${spec.options.join(', ')}`);
      return raw;
    }
  }
}

export interface ParseOptions {
  /**
   * Parse only identity parameters strictly; a bad value of any other parameter is reported to `lenient`
   * and replaced by its default (stop and probes must not fail for them).
   */
  readonly lenient?: (problem: string) => void;
}

/** A parameter's default as the action receives it: a parsed string parameter's default is parsed too. */
function defaultOf(spec: ParameterSpec): unknown {
  if (spec.type !== 'string' || spec.parse === undefined || spec.default === undefined) return spec.default;
  const parsed = spec.parse(spec.default);
  return 'problem' in parsed ? undefined : parsed.value;
}

/** Typed parameters from OCF_RESKEY_*; an empty value counts as unset, as in the shell agents. */
export function parseParameters<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  env: Env,
  options: ParseOptions = {},
): ParameterValues<P> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.parameters)) {
    const raw = env[`OCF_RESKEY_${name}`];
    const strict = options.lenient === undefined || spec.identity === true;
    try {
      if (raw === undefined || raw === '') {
        if (spec.required === true) throw configurationError(`required parameter ${name} is not set`);
        values[name] = defaultOf(spec);
      } else {
        values[name] = coerce(name, spec, raw);
      }
    } catch (error) {
      if (strict) throw error;
      options.lenient?.((error as Error).message);
      values[name] = defaultOf(spec);
    }
  }
  return values as ParameterValues<P>;
}

/**
 * OCF_RESKEY_* names the definition does not know (meta attributes excluded): likely typos. Pacemaker
 * passes crm_feature_set to every agent (crm_resource --validate, pcs --agent-validation too).
 */
export function unknownParameters(definition: AgentDefinition, env: Env): string[] {
  return Object.keys(env)
    .filter(
      (k) =>
        k.startsWith('OCF_RESKEY_') &&
        !k.startsWith('OCF_RESKEY_CRM_meta_') &&
        k !== 'OCF_RESKEY_crm_feature_set',
    )
    .map((k) => k.slice('OCF_RESKEY_'.length))
    .filter((name) => !(name in definition.parameters))
    .sort();
}
