// Where the built artifacts and fixtures live, for tests that drive them as Pacemaker does.
import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The built OCF tree, laid out as under $OCF_ROOT (scripts/build.mjs). */
export const builtOcfRoot = path.join(repoRoot, 'dist/ocf');
/** An agent as Pacemaker runs it: its launcher. */
export const builtAgent = (name: string): string => path.join(builtOcfRoot, 'resource.d/lxcha', name);
/** A DRBD handler, where it is installed under $OCF_ROOT. */
export const builtHandler = (name: string): string => path.join(builtOcfRoot, 'lib/lxcha', name);
export const fixture = (...parts: string[]): string => path.join(repoRoot, 'test/fixtures', ...parts);

/**
 * A world-readable copy of the built OCF tree in a new directory (ocf-tester runs meta-data as user
 * nobody, who may not reach the repository): the path of `agent`'s launcher in it. The launcher finds
 * its bundle relative to itself, so the whole tree is copied.
 */
export function worldReadableAgent(agent: string): { dir: string; agent: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-ocf-'));
  chmodSync(dir, 0o755);
  cpSync(builtOcfRoot, path.join(dir, 'ocf'), { recursive: true });
  return { dir, agent: path.join(dir, 'ocf/resource.d/lxcha', agent) };
}
