// `npm run demo` and its clean-up, checking the states the demo reports.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { runToEnd } from '../helpers/run.js';

it('the demo starts, recovers, reloads and stops the container through the cluster; --clean removes it', async () => {
  const demo = await runToEnd('npm', ['run', 'demo'], { cwd: repoRoot, timeout: 600_000 });
  const out = demo.stdout + demo.stderr;
  expect(demo.status, out).toBe(0);
  expect(out).toMatch(/demo: container lxcha-demo-ct RUNNING \(init pid \d+\), memory limit 67108864/);
  expect(out).toMatch(/lxcha-demo-ct\s+\(ocf:lxcha:lxc\):\s+Started node1/);
  expect(out).toMatch(/demo: recovered: RUNNING with new init pid \d+/);
  expect(out).toMatch(/fail-count=1/);
  expect(out).toMatch(/demo: memory limit 67108864 -> 134217728, init pid unchanged/);
  expect(out).toMatch(/demo: container STOPPED; orderly shutdown confirmed/);
  const clean = await runToEnd('npm', ['run', 'demo', '--', '--clean'], { cwd: repoRoot, timeout: 300_000 });
  expect(clean.status, clean.stdout + clean.stderr).toBe(0);
  expect(clean.stdout).toMatch(/demo: clean/);
  expect(existsSync('/var/lib/lxcha-demo')).toBe(false);
  expect(spawnSync('crm_resource', ['--resource', 'lxcha-demo-ct', '--locate']).status).not.toBe(0);
});
