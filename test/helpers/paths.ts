// Where the built artifacts and fixtures live, for tests that drive them as Pacemaker does.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const builtAgent = (name: string): string => path.join(repoRoot, 'dist/lxcha', name);
export const fixture = (...parts: string[]): string => path.join(repoRoot, 'test/fixtures', ...parts);
