import { describe, expect, it, vi } from 'vitest';
import { defineAgent } from '../../../lib/ocf/agent.js';
import { readEnvironment, speaksOcf11 } from '../../../lib/ocf/environment.js';
import { configurationError, exitCodeName, OcfExit } from '../../../lib/ocf/exit-codes.js';
import { formatExitReason } from '../../../lib/ocf/exit-reason.js';
import { runAction } from '../../../lib/ocf/action.js';

const agent = defineAgent({
  name: 'demo',
  version: '1',
  shortdesc: 's',
  longdesc: 'l',
  parameters: {
    name: { type: 'string', required: true, identity: true, shortdesc: 's', longdesc: 'l' },
    size: { type: 'integer', min: 1, shortdesc: 's', longdesc: 'l' },
  },
  actions: [
    { name: 'start', timeout: 7 },
    { name: 'stop', timeout: 1 },
    { name: 'monitor', timeout: 1 },
    { name: 'validate-all', timeout: 1 },
    { name: 'meta-data', timeout: 1 },
  ],
});

describe('the process boundary', () => {
  it('answers 3 with an exit reason for an action it does not implement', async () => {
    const lines: string[] = [];
    const rc = await runAction(agent, {}, 'migrate_to', {
      env: { OCF_RESKEY_name: 'a' },
      writeErr: (t) => lines.push(t),
    });
    expect(rc).toBe(OcfExit.ERR_UNIMPLEMENTED);
    expect(lines.join('')).toMatch(/^ocf-exit-reason:action 'migrate_to' is not implemented/m);
  });

  it('maps a thrown OcfError onto its code, and a bad parameter onto 6 before the handler runs', async () => {
    const handler = vi.fn(() => Promise.reject(configurationError('boom')));
    const env = { OCF_RESKEY_name: 'a', OCF_EXIT_REASON_PREFIX: 'R:' };
    const lines: string[] = [];
    expect(
      await runAction(agent, { start: () => Promise.resolve({ default: handler }) }, 'start', {
        env,
        writeErr: (t) => lines.push(t),
      }),
    ).toBe(6);
    expect(lines).toEqual(['R:boom\n']);
    const untouched = vi.fn(() => Promise.resolve(OcfExit.SUCCESS));
    expect(
      await runAction(agent, { start: () => Promise.resolve({ default: untouched }) }, 'start', {
        env: { ...env, OCF_RESKEY_size: '0' },
        writeErr: () => undefined,
      }),
    ).toBe(6);
    expect(untouched).not.toHaveBeenCalled();
  });

  it('stop ignores errors of non-identity parameters, and gets the declared timeout when CRM_meta_timeout is unset', async () => {
    let seen: { size: number | undefined; budget: number } | undefined;
    const rc = await runAction(
      agent,
      {
        stop: () =>
          Promise.resolve({
            default: (ctx) => {
              seen = { size: ctx.params.size, budget: ctx.deadline.totalMs };
              return Promise.resolve(OcfExit.SUCCESS);
            },
          }),
      },
      'stop',
      { env: { OCF_RESKEY_name: 'a', OCF_RESKEY_size: 'huge', HA_LOGFACILITY: 'none' } },
    );
    expect(rc).toBe(0);
    expect(seen).toEqual({ size: undefined, budget: 1000 });
  });

  it('meta-data follows the OCF version the manager announces', async () => {
    let out = '';
    await runAction(agent, {}, 'meta-data', { env: {}, write: (t) => (out = t) });
    expect(out).toContain('<version>1.0</version>');
    await runAction(agent, {}, 'meta-data', {
      env: { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' },
      write: (t) => (out = t),
    });
    expect(out).toContain('<version>1.1</version>');
  });
});

describe('the OCF environment', () => {
  it('a monitor without interval, or with interval 0, is a probe', () => {
    expect(readEnvironment('monitor', 'a', {}).isProbe).toBe(true);
    expect(readEnvironment('monitor', 'a', { OCF_RESKEY_CRM_meta_interval: '0' }).isProbe).toBe(true);
    expect(readEnvironment('monitor', 'a', { OCF_RESKEY_CRM_meta_interval: '30000' }).isProbe).toBe(false);
    expect(readEnvironment('start', 'a', {}).isProbe).toBe(false);
  });
  it('reads timeout in ms, depth and the manager OCF version', () => {
    const e = readEnvironment('monitor', 'a', {
      OCF_RESKEY_CRM_meta_timeout: '20000',
      OCF_CHECK_LEVEL: '10',
      OCF_RA_VERSION_MAJOR: '1',
      OCF_RA_VERSION_MINOR: '1',
    });
    expect(e.timeoutMs).toBe(20000);
    expect(e.checkLevel).toBe(10);
    expect(speaksOcf11(e.managerVersion)).toBe(true);
    expect(
      speaksOcf11(
        readEnvironment('x', 'a', { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '0' }).managerVersion,
      ),
    ).toBe(false);
    expect(speaksOcf11(undefined)).toBe(false);
  });
  it('names exit codes and prints one exit reason line', () => {
    expect(exitCodeName(191)).toBe('DEGRADED_PROMOTED');
    expect(formatExitReason('ocf-exit-reason:', 'two\nlines')).toBe('ocf-exit-reason:two lines\n');
  });
});
