// Where the built artifacts and fixtures live, for tests that drive them as Pacemaker does.
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const builtAgent = (name: string): string => path.join(repoRoot, 'dist/lxcha', name);
export const fixture = (...parts: string[]): string => path.join(repoRoot, 'test/fixtures', ...parts);
