import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, formatLine } from '../../../lib/ocf/log.js';

const capture = (env: Record<string, string>, stderrLevel?: 'warn') => {
  const lines: string[] = [];
  const log = createLogger({
    agent: 'lxc',
    instance: 'ct0',
    env,
    write: (l) => lines.push(l),
    ...(stderrLevel ? { stderrLevel } : {}),
  });
  return { log, lines };
};

describe('agent logging', () => {
  it('writes one readable line per event, in the shape of ocf_log', () => {
    const { log, lines } = capture({});
    log.info('container is running');
    log.warn('careful');
    log.debug('hidden');
    expect(lines).toEqual([
      `lxc(ct0)[${process.pid}]: INFO: container is running\n`,
      `lxc(ct0)[${process.pid}]: WARNING: careful\n`,
    ]);
    expect(formatLine('drbd-lvm(r0)[1]', 'error', 'x')).toBe('drbd-lvm(r0)[1]: ERROR: x');
  });
  it('HA_debug=1 adds debug lines', () => {
    const { log, lines } = capture({ HA_debug: '1' });
    log.debug('details');
    expect(lines).toEqual([`lxc(ct0)[${process.pid}]: DEBUG: details\n`]);
  });
  it('validate-all keeps stderr to warnings (pcs shows all of it)', () => {
    const { log, lines } = capture({}, 'warn');
    log.info('checking');
    log.warn('lxc.cap.drop: sys_admin');
    expect(lines).toEqual([`lxc(ct0)[${process.pid}]: WARNING: lxc.cap.drop: sys_admin\n`]);
  });
  it('appends to HA_LOGFILE with a timestamp when the cluster asks for it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lxcha-log-')), 'ha.log');
    const { log } = capture({ HA_LOGFILE: file });
    log.info('to the file');
    expect(readFileSync(file, 'utf8')).toMatch(
      /^\d{4}-\d\d-\d\dT\S+ lxc\(ct0\)\[\d+\]: INFO: to the file\n$/,
    );
  });
});
