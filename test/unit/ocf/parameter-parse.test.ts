// A declaration's parse hands the action a typed value (bytes, word lists, LV lists), not a string to re-read.
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../lib/ocf/agent.js';
import { parseParameters } from '../../../lib/ocf/parameters.js';
import { drbdLvmAgent } from '../../../agents/drbd-lvm/definition.js';
import { lxcAgent } from '../../../agents/lxc/definition.js';

describe('parameters parsed into typed values', () => {
  it('lxc: memory_limit in bytes, health_command as its text and words', () => {
    const p = parseParameters(lxcAgent, {
      OCF_RESKEY_container: 'ct0',
      OCF_RESKEY_memory_limit: '512M',
      OCF_RESKEY_health_command: "sh -c 'test -e /run/ok'",
    });
    expect(p.memory_limit).toBe(512 * 1024 * 1024);
    expect(p.health_command).toEqual({
      text: "sh -c 'test -e /run/ok'",
      words: ['sh', '-c', 'test -e /run/ok'],
    });
    expect(p.lxcpath).toBe('/var/lib/lxc');
  });

  it('drbd-lvm: lvs as a list of LV names; unset means the whole VG', () => {
    const env = { OCF_RESKEY_drbd_resource: 'r0', OCF_RESKEY_vgname: 'vg0' };
    expect(parseParameters(drbdLvmAgent, { ...env, OCF_RESKEY_lvs: 'lv0, lv1 lv2' }).lvs).toEqual([
      'lv0',
      'lv1',
      'lv2',
    ]);
    expect(parseParameters(drbdLvmAgent, env).lvs).toBeUndefined();
    expect(() => parseParameters(drbdLvmAgent, { ...env, OCF_RESKEY_lvs: ' , ' })).toThrow(
      /lvs=" , ": names no logical volume/,
    );
  });

  it('a parsed default is parsed too, and a declaration refuses a default its parse rejects, or check with parse', () => {
    const base = {
      name: 'demo',
      version: '1',
      shortdesc: 's',
      longdesc: 'l',
      actions: ['start', 'stop', 'monitor', 'validate-all', 'meta-data'].map((name) => ({
        name,
        timeout: 1,
      })),
    };
    const words = (v: string) => ({ value: v.split(' ') });
    const agent = defineAgent({
      ...base,
      parameters: { list: { type: 'string', default: 'a b', parse: words, shortdesc: 's', longdesc: 'l' } },
    });
    expect(parseParameters(agent, {}).list).toEqual(['a', 'b']);
    expect(() =>
      defineAgent({
        ...base,
        parameters: {
          n: {
            type: 'string',
            default: 'x',
            parse: () => ({ problem: 'is bad' }),
            shortdesc: 's',
            longdesc: 'l',
          },
        },
      }),
    ).toThrow(/parameter 'n' default 'x' is bad/);
    expect(() =>
      defineAgent({
        ...base,
        parameters: {
          n: { type: 'string', check: () => undefined, parse: words, shortdesc: 's', longdesc: 'l' },
        },
      }),
    ).toThrow(/both check and parse/);
  });
});
