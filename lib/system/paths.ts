// What a usable absolute path looks like for the agents' file parameters (config, logs, drbd.conf).
import { hasControlCharacters } from './text.js';

/** Why `path` is not a usable absolute path, or undefined: "not an absolute path" or "contains …". */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'not an absolute path';
  if (path.split('/').includes('..')) return 'contains ".." components';
  if (hasControlCharacters(path)) return 'contains control characters';
  return undefined;
}
