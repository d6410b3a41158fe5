// The README's two set-up commands, run as written where they cannot work: without dpkg and apt-get on
// PATH (not Debian), and as an ordinary user. Each must stop with one sentence saying what it needs —
// exit non-zero, no stack trace, no raw ENOENT — after npm ci, which works anywhere.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSetupCommands } from '../../tools/lib/readme-setup.js';
import { repoRoot } from '../helpers/paths.js';

const commands = readSetupCommands(repoRoot);
let dir = '';

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('this test runs the commands as another user: it needs root');
  dir = mkdtempSync(path.join(tmpdir(), 'lxcha-setup-'));
  chmodSync(dir, 0o755);
  // A PATH with node, npm and the shell, but neither dpkg nor apt-get.
  mkdirSync(path.join(dir, 'bin'));
  for (const tool of ['node', 'npm', 'sh', 'env']) {
    const where = spawnSync('sh', ['-c', 'command -v "$0"', tool], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(where, path.join(dir, 'bin', tool));
  }
  // npm's cache, readable by the ordinary user, so that npm ci needs no download.
  cpSync(path.join(homedir(), '.npm/_cacache'), path.join(dir, 'cache/_cacache'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A checkout of what the commands run before they refuse: package.json, the lockfile, scripts/. */
function checkout(name: string, owner?: number): string {
  const work = path.join(dir, name);
  mkdirSync(work);
  for (const part of ['package.json', 'package-lock.json', 'scripts'])
    cpSync(path.join(repoRoot, part), path.join(work, part), { recursive: true });
  mkdirSync(path.join(work, 'home'));
  if (owner !== undefined) spawnSync('chown', ['-R', `${owner}:${owner}`, work, path.join(dir, 'cache')]);
  return work;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line as a user types it, asynchronously (a long spawnSync would stall vitest's worker). */
function runAs(command: string, work: string, env: NodeJS.ProcessEnv, uid?: number): Promise<Outcome> {
  const argv =
    uid === undefined
      ? ['/bin/sh', '-c', command]
      : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '/bin/sh', '-c', command];
  return new Promise((resolve) => {
    execFile(
      argv[0] as string,
      argv.slice(1),
      {
        cwd: work,
        encoding: 'utf8',
        timeout: 300_000,
        env: {
          HOME: path.join(work, 'home'),
          npm_config_cache: path.join(dir, 'cache'),
          npm_config_update_notifier: 'false',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function expectOneSentence(r: Outcome, says: RegExp): void {
  const text = `${r.stdout}\n${r.stderr}`;
  expect(r.code, text).not.toBe(0);
  const ours = r.stderr.split('\n').filter((l) => l.startsWith('lxcha: '));
  expect(ours, text).toHaveLength(1);
  expect(ours[0], text).toMatch(says);
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/ENOENT|Error:/);
}

describe('the README set-up commands where they cannot run', () => {
  it.each([
    ['main job', 'demo'],
    ['tests', 'test'],
  ] as const)('the %s command without dpkg and apt-get on PATH says it needs Debian', async (_, which) => {
    const work = checkout(`no-apt-${which}`);
    const r = await runAs(commands[which], work, { PATH: path.join(dir, 'bin') });
    expectOneSentence(r, /needs Debian 12 or newer .* dpkg and apt-get are not on PATH\.$/);
  });

  it.each([
    ['main job', 'demo'],
    ['tests', 'test'],
  ] as const)('the %s command as an ordinary user says it needs root', async (_, which) => {
    const work = checkout(`user-${which}`, 65534);
    const r = await runAs(commands[which], work, { PATH: process.env.PATH ?? '/usr/bin:/bin' }, 65534);
    expectOneSentence(r, /needs root: .*\(run it as root, for example with sudo\)\.$/);
  });
});
