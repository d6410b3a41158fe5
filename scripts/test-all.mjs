#!/usr/bin/env node
// `npm test`: build, type-check, lint, unit tests, then the tests that need root, LXC and Pacemaker one
// at a time, then the emulated two-node cluster. Installs missing Debian packages first (as root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.test-logs');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const isRoot = process.getuid?.() === 0;
let passed = 0;
let failed = 0;
const failures = [];

function run(title, command, args, options = {}) {
  console.log(`\n=== ${title}: ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...options.env },
  });
  if (r.status !== 0) failures.push(`${title} (exit ${r.status ?? r.signal})`);
  return r.status === 0;
}

/** Runs vitest with a JSON report and adds its test counts to the totals. */
function vitest(title, config) {
  const report = path.join(reports, `${title}.json`);
  const ok = run(title, 'npx', [
    'vitest',
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numTotalTests === 0) failures.push(`${title}: no tests ran`);
  } else if (!ok) failed += 1;
}

function step(title, command, args, options) {
  if (run(title, command, args, options)) passed += 1;
  else failed += 1;
}

if (isRoot) step('debian packages', 'node', ['scripts/run-ts.mjs', 'tools/prepare.ts', 'local']);
step('build', 'npm', ['run', 'build']);
step('typecheck', 'npm', ['run', 'typecheck']);
step('lint', 'npm', ['run', 'lint']);
vitest('unit', 'vitest.unit.config.ts');
if (!isRoot) {
  console.error(
    '\nThe integration tests need root (real LXC containers, Pacemaker, emulated VMs): run npm test as root.',
  );
  failures.push('integration tests: not root');
  failed += 1;
} else {
  vitest('integration', 'vitest.integration.config.ts');
}

console.log('\n=== summary');
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && failures.length === 0 ? 0 : 1;
