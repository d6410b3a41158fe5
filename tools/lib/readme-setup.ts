// The README's two set-up commands, read from README.md at run time so that what test:fresh and the
// set-up refusal test run cannot drift from what users are told to type.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface SetupCommands {
  /** The main job on this machine (runs the demo). */
  demo: string;
  /** Every test. */
  test: string;
}

const HEADING = /^## .*set-up commands/im;

/** The commands of the first ```sh block under the set-up heading: exactly two, one running the demo. */
export function parseSetupCommands(readme: string): SetupCommands {
  const heading = HEADING.exec(readme);
  if (heading === null) throw new Error('README.md has no "## … set-up commands" section');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(heading.index));
  if (block?.[1] === undefined) throw new Error('the set-up section of README.md has no ```sh block');
  const commands = block[1]
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const demo = commands.filter((c) => /\bnpm run demo\b/.test(c));
  const test = commands.filter((c) => /\bnpm (test|t)\b|\bnpm cit\b/.test(c));
  if (commands.length !== 2 || demo.length !== 1 || test.length !== 1)
    throw new Error(
      `the set-up block of README.md must hold exactly two commands, one running the demo and one the tests; it holds: ${commands.join(' | ')}`,
    );
  return { demo: demo[0] as string, test: test[0] as string };
}

export function readSetupCommands(repo: string): SetupCommands {
  return parseSetupCommands(readFileSync(path.join(repo, 'README.md'), 'utf8'));
}
