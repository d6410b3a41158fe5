// The README's two set-up commands as test:fresh reads them, and the one sentence each prints where it
// cannot run (the end-to-end refusals run in test/integration/55-set-up-refusals.test.ts).
import { describe, expect, it } from 'vitest';
import { setupProblem } from '../../../scripts/preflight.mjs';
import { parseSetupCommands, readSetupCommands } from '../../../tools/lib/readme-setup.js';
import { repoRoot } from '../../helpers/paths.js';

const debian = { env: { PATH: '/usr/bin:/bin' }, uid: 0, platform: 'linux', nodeVersion: '18.20.4' };

describe('the set-up commands in README.md', () => {
  it('are two: npm ci then the demo, npm ci then the tests', () => {
    expect(readSetupCommands(repoRoot)).toEqual({
      demo: 'npm ci && npm run demo',
      test: 'npm ci && npm test',
    });
  });

  it('refuses a set-up block with a third command or without the demo', () => {
    const readme = (body: string) => `# x\n\n## The two set-up commands\n\n\`\`\`sh\n${body}\`\`\`\n`;
    expect(() => parseSetupCommands(readme('npm ci\nnpm run demo\nnpm test\n'))).toThrow(/exactly two/);
    expect(() => parseSetupCommands(readme('npm ci && npm run build\nnpm test\n'))).toThrow(/exactly two/);
    expect(parseSetupCommands(readme('npm ci && npm run demo  # main\nnpm cit # tests\n'))).toEqual({
      demo: 'npm ci && npm run demo',
      test: 'npm cit',
    });
  });
});

describe('where the set-up commands cannot run', () => {
  it('says nothing on Debian as root with node 18.20', () => {
    expect(setupProblem('npm test', debian)).toBeUndefined();
  });

  it('names the node version it needs', () => {
    expect(setupProblem('npm test', { ...debian, nodeVersion: '18.19.1' })).toBe(
      'npm test needs nodejs 18.20 or newer; this is node 18.19.1.',
    );
  });

  it('names the system it needs off Linux and without apt-get', () => {
    expect(setupProblem('npm run demo', { ...debian, platform: 'darwin' })).toMatch(
      /^npm run demo needs Debian 12 or newer .*; this is darwin\.$/,
    );
    expect(setupProblem('npm test', { ...debian, env: { PATH: '/nonexistent' } })).toMatch(
      /dpkg and apt-get are not on PATH\.$/,
    );
  });

  it('asks for root', () => {
    expect(setupProblem('npm test', { ...debian, uid: 1000 })).toMatch(/^npm test needs root: /);
  });
});
