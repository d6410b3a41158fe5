// What a usable absolute path looks like for the agents' file parameters (config, logs, drbd.conf).
import { hasControlCharacters } from './text.js';

/**
 * Why `path` is not a usable absolute path, or undefined. Each answer reads after "is" too, so every
 * agent can word it as its other parameter messages.
 */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'not an absolute path';
  if (path.split('/').includes('..')) return 'not allowed to contain ".." components';
  if (hasControlCharacters(path)) return 'not allowed to contain control characters';
  return undefined;
}
