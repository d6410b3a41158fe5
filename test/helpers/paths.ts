// Where the built artifacts and fixtures live, for tests that drive them as Pacemaker does.
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
