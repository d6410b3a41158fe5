// ocf-tester (resource-agents) on the built drbd-lvm agent, with the fake DRBD/LVM/Pacemaker tools of
// test/fakes/drbd-lvm on PATH: the OCF conformance sequence (meta-data also as nobody, validate-all,
// probe, start, promote/demote, stop, idempotence), with no cluster to take the promotion score. Real DRBD runs in test/drbd-lvm-vm and the cluster.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { worldReadableAgent } from '../helpers/paths.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAgent, fakesDir, World } from '../unit/agents/drbd-lvm-world.js';

const dirs: string[] = [];
beforeAll(() => {
  // Not a skip: what is missing fails the test with its name (npm test runs as root, builds and installs).
  if (process.getuid?.() !== 0) throw new Error('ocf-tester runs as root');
  for (const file of ['/usr/sbin/ocf-tester', builtAgent])
    if (!existsSync(file))
      throw new Error(`${file} is missing (npm test installs resource-agents and builds)`);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('ocf-tester on ocf:lxcha:drbd-lvm (fake DRBD and LVM)', () => {
  it('passes all tests', async () => {
    // ocf-tester runs meta-data as user nobody: a world-readable copy of the agent.
    const { dir, agent } = worldReadableAgent('drbd-lvm');
    dirs.push(dir);
    const world = new World();
    // As on a real node before the cluster starts: crm_attribute answers "Could not connect to the CIB".
    // ocf-tester exports CRM_meta_interval (20000) for its monitors; the cluster run's ocf-tester failed on
    // its third monitor when that error was counted as a recurring monitor's score failure.
    world.edit((s) => {
      s.pacemaker.attrdDown = true;
    });
    chmodSync(world.dir, 0o755);
    try {
      const output = await new Promise<{ code: number; text: string }>((resolve) => {
        execFile(
          'ocf-tester',
          ['-n', 'drbdlvm', '-o', 'drbd_resource=r0', '-o', 'vgname=vg1', '-o', 'connect_timeout=2', agent],
          {
            env: {
              ...process.env,
              PATH: `${fakesDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
              LXCHA_FAKE_STATE: world.statePath,
              OCF_RESOURCE_INSTANCE: 'drbdlvm',
            },
            encoding: 'utf8',
            timeout: 170_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : Number(error.code ?? 1), text: `${stdout}${stderr}` }),
        );
      });
      expect(output.text).toContain('passed all tests');
      expect(output.code).toBe(0);
      expect(world.state().drbd.resources.r0.up).toBe(false);
    } finally {
      world.dispose();
    }
  }, 180_000);
});
