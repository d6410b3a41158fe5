import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../lib/ocf/agent.js';
import { OcfError, OcfExit } from '../../../lib/ocf/exit-codes.js';
import { parseDuration, parseParameters, unknownParameters } from '../../../lib/ocf/parameters.js';

const agent = defineAgent({
  name: 't',
  version: '1',
  shortdesc: 's',
  longdesc: 'l',
  parameters: {
    id: {
      type: 'string',
      required: true,
      identity: true,
      shortdesc: 's',
      longdesc: 'l',
      check: (v) => (/^[a-z]+$/.test(v) ? undefined : 'lowercase only'),
    },
    count: { type: 'integer', min: 1, max: 10, default: 3, shortdesc: 's', longdesc: 'l' },
    flag: { type: 'boolean', default: false, shortdesc: 's', longdesc: 'l' },
    wait: { type: 'seconds', min: 1, shortdesc: 's', longdesc: 'l' },
    mode: { type: 'select', options: ['a', 'b'], default: 'a', shortdesc: 's', longdesc: 'l' },
  },
  actions: [
    { name: 'start', timeout: 1 },
    { name: 'stop', timeout: 1 },
    { name: 'monitor', timeout: 1 },
    { name: 'validate-all', timeout: 1 },
    { name: 'meta-data', timeout: 1 },
  ],
});

function rejection(env: Record<string, string>): OcfError {
  try {
    parseParameters(agent, env);
  } catch (error) {
    if (error instanceof OcfError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('parameter parsing and coercion', () => {
  it('types values and fills defaults', () => {
    const p = parseParameters(agent, {
      OCF_RESKEY_id: 'abc',
      OCF_RESKEY_flag: 'yes',
      OCF_RESKEY_wait: '2min',
      OCF_RESKEY_mode: 'b',
    });
    expect(p).toEqual({ id: 'abc', count: 3, flag: true, wait: 120, mode: 'b' });
  });
  it('treats an empty value as unset, as the shell agents do', () => {
    expect(parseParameters(agent, { OCF_RESKEY_id: 'x', OCF_RESKEY_count: '' }).count).toBe(3);
  });
  it.each([
    [{}, /required parameter id is not set/],
    [{ OCF_RESKEY_id: 'A;rm' }, /parameter id="A;rm": lowercase only/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_count: '11' }, /count="11": must be at most 10/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_count: 'three' }, /not an integer/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_flag: 'maybe' }, /not a boolean/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_wait: '0.5' }, /at least 1s/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_wait: 'soon' }, /not a duration/],
    [{ OCF_RESKEY_id: 'a', OCF_RESKEY_mode: 'c' }, /must be one of a, b/],
    [{ OCF_RESKEY_id: 'a\nb' }, /control characters/],
  ])('rejects %j with rc 6 (ERR_CONFIGURED) quoting the value', (env, message) => {
    const error = rejection(env);
    expect(error.code).toBe(OcfExit.ERR_CONFIGURED);
    expect(error.reason).toMatch(message);
  });
  it('lenient parsing (stop, probes) keeps identity strict and reports the rest', () => {
    const problems: string[] = [];
    const p = parseParameters(
      agent,
      { OCF_RESKEY_id: 'ok', OCF_RESKEY_count: '99' },
      { lenient: (m) => problems.push(m) },
    );
    expect(p.count).toBe(3);
    expect(problems).toEqual([expect.stringMatching(/count="99"/)]);
    expect(() => parseParameters(agent, { OCF_RESKEY_id: 'BAD' }, { lenient: () => undefined })).toThrow(
      OcfError,
    );
  });
  it('names parameters it does not know, ignoring meta attributes and the crm_feature_set Pacemaker passes', () => {
    expect(
      unknownParameters(agent, {
        OCF_RESKEY_id: 'a',
        OCF_RESKEY_cont: 'x',
        OCF_RESKEY_CRM_meta_timeout: '1',
        OCF_RESKEY_crm_feature_set: '3.16.1',
      }),
    ).toEqual(['cont']);
  });
  it.each([
    ['30', 30],
    ['30s', 30],
    ['500ms', 0.5],
    ['2min', 120],
    ['1h', 3600],
    ['x', undefined],
  ])('duration %s is %s seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});
