// Syslog when Pacemaker asks for it (HA_LOGFACILITY, which pacemaker-execd passes on): the built drbd-lvm
// agent's promote against the fakes, with a fake logger first on PATH that records how it was run and what
// it read. One logger per run, fed every line, where there was one per line (a spawn each, ~0.5 s on a
// loaded cluster node under emulation).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeLogger } from '../../helpers/fake-logger.js';
import { defaultParams, fakesDir, worldPerTest } from '../agents/drbd-lvm-world.js';

const make = worldPerTest();

describe('syslog (HA_LOGFACILITY set)', () => {
  it('one logger per run gets every line with its severity, in order, and the facility as -p', async () => {
    const w = make({ vgSystemId: 'node2' });
    const logger = fakeLogger(w.dir);
    const env = {
      PATH: `${logger.pathDir}:${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HA_LOGFACILITY: 'local3',
    };
    expect((await w.run('start', defaultParams, env)).code).toBe(0);
    await logger.settled();
    writeFileSync(logger.record, '');
    const r = await w.run('promote', defaultParams, env);
    expect(r.code, r.stderr).toBe(0);
    const lines = (await logger.settled()).trim().split('\n');
    // The system ID takeover warns between two info lines: severities 6, 4, 6 … within one logger.
    expect(lines.filter((l) => l.startsWith('ARGS '))).toHaveLength(1);
    expect(lines[0]).toMatch(/^ARGS --prio-prefix -t drbd-lvm\(drbdlvm:0\)\[\d+\] -p local3\.info$/);
    const events = lines.slice(1, -1);
    expect(events.some((l) => /^<6>DRBD resource r0 is Primary$/.test(l))).toBe(true);
    expect(events.some((l) => /^<4>taking volume group vg1 over from system ID node2/.test(l))).toBe(true);
    expect(events.at(-1)).toMatch(/^<6>promoted: /);
    expect(events.every((l) => /^<[346]>/.test(l))).toBe(true);
    // The same lines on stderr, for pacemaker-execd.
    expect(r.stderr).toContain('INFO: DRBD resource r0 is Primary');
  });

  it('no logger at all without HA_LOGFACILITY, or with none', async () => {
    const w = make({ vgSystemId: 'node2' });
    const logger = fakeLogger(w.dir);
    const PATH = `${logger.pathDir}:${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`;
    expect((await w.run('start', defaultParams, { PATH })).code).toBe(0);
    expect((await w.run('promote', defaultParams, { PATH, HA_LOGFACILITY: 'none' })).code).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(logger.record)).toBe(false);
  });
});
