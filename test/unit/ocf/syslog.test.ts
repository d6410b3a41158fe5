// Syslog when Pacemaker asks for it (HA_LOGFACILITY, which pacemaker-execd passes on): the built drbd-lvm
// agent's promote against the fakes. Where journald listens, one connection to its stream socket carries
// every line (a fake journald here: the protocol as the agent writes it; the VM stage checks the real
// journal); elsewhere, or when that socket refuses, one logger per run, fed every line (a fake logger first
// on PATH that records how it was run and what it read), where there was one per line (a spawn each, ~0.5 s
// on a loaded cluster node under emulation).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeJournal } from '../../helpers/fake-journal.js';
import { fakeLogger, type FakeLogger } from '../../helpers/fake-logger.js';
import {
  defaultParams,
  fakesDir,
  worldPerTest,
  type AgentRun,
  type World,
} from '../agents/drbd-lvm-world.js';

const make = worldPerTest();

/** Start, then promote (the takeover of node2's VG logs a warning between infos): what logger read of the promote. */
async function promoteSeenByLogger(
  w: World,
  logger: FakeLogger,
  env: Record<string, string>,
): Promise<{ r: AgentRun; lines: string[] }> {
  expect((await w.run('start', defaultParams, env)).code).toBe(0);
  await logger.settled();
  writeFileSync(logger.record, '');
  const r = await w.run('promote', defaultParams, env);
  expect(r.code, r.stderr).toBe(0);
  return { r, lines: (await logger.settled()).trim().split('\n') };
}

describe('syslog (HA_LOGFACILITY set)', () => {
  it('without a journald socket, one logger per run gets every line with its severity, in order, and the facility as -p', async () => {
    const w = make({ vgSystemId: 'node2' });
    const logger = fakeLogger(w.dir);
    const env = {
      PATH: `${logger.pathDir}:${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HA_LOGFACILITY: 'local3',
      LXCHA_JOURNAL_SOCKET: path.join(w.dir, 'no-journal'),
    };
    const { r, lines } = await promoteSeenByLogger(w, logger, env);
    // The system ID takeover warns between two info lines: severities 6, 4, 6 … within one logger.
    expect(lines.filter((l) => l.startsWith('ARGS '))).toHaveLength(1);
    expect(lines[0]).toMatch(/^ARGS --prio-prefix -t drbd-lvm\(drbdlvm:0\) --id=\d+ -p local3\.info$/);
    const events = lines.slice(1, -1);
    expect(events.some((l) => /^<6>DRBD resource r0 is Primary$/.test(l))).toBe(true);
    expect(events.some((l) => /^<4>taking volume group vg1 over from system ID node2/.test(l))).toBe(true);
    expect(events.at(-1)).toMatch(/^<6>promoted: /);
    expect(events.every((l) => /^<[346]>/.test(l))).toBe(true);
    // The same lines on stderr, for pacemaker-execd.
    expect(r.stderr).toContain('INFO: DRBD resource r0 is Primary');
  });

  it('with a journald socket, one connection gets the stream header and every line, and no logger runs', async () => {
    const w = make({ vgSystemId: 'node2' });
    const logger = fakeLogger(w.dir);
    const journal = await fakeJournal(w.dir);
    try {
      const env = {
        PATH: `${logger.pathDir}:${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
        HA_LOGFACILITY: 'local3',
        LXCHA_JOURNAL_SOCKET: journal.socket,
      };
      expect((await w.run('start', defaultParams, env)).code).toBe(0);
      const r = await w.run('promote', defaultParams, env);
      expect(r.code, r.stderr).toBe(0);
      const [, promote] = await journal.settled(2);
      const lines = (promote?.text ?? '').split('\n');
      // identifier, unit (none), local3.info = 19 * 8 + 6, level prefix on, no forwarding of our own.
      expect(lines.slice(0, 7)).toEqual(['drbd-lvm(drbdlvm:0)', '', '158', '1', '0', '0', '0']);
      const events = lines.slice(7, -1);
      expect(events).toContain('<6>DRBD resource r0 is Primary');
      expect(events.some((l) => /^<4>taking volume group vg1 over from system ID node2/.test(l))).toBe(true);
      // The last line, logged right before the process ends, is there too.
      expect(events.at(-1)).toMatch(/^<6>promoted: /);
      expect(lines.at(-1)).toBe('');
      expect(existsSync(logger.record)).toBe(false);
    } finally {
      await journal.close();
    }
  });

  it('a journald socket that refuses hands every line to logger instead', async () => {
    const w = make({ vgSystemId: 'node2' });
    const logger = fakeLogger(w.dir);
    // A file where the socket should be: connect() is refused.
    const notASocket = path.join(w.dir, 'journal-stdout');
    writeFileSync(notASocket, '');
    const env = {
      PATH: `${logger.pathDir}:${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HA_LOGFACILITY: 'daemon',
      LXCHA_JOURNAL_SOCKET: notASocket,
    };
    const { lines } = await promoteSeenByLogger(w, logger, env);
    expect(lines[0]).toMatch(/^ARGS --prio-prefix -t drbd-lvm\(drbdlvm:0\) --id=\d+ -p daemon\.info$/);
    expect(lines).toContain('<6>DRBD resource r0 is Primary');
    expect(lines.at(-2)).toMatch(/^<6>promoted: /);
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
