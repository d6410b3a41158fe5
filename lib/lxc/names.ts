// What a safe container name and path look like: LXC's rules, minus anything a shell or LXC would misread.
import { hasControlCharacters } from '../system/text.js';

const containerName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Why `name` is not a usable container name, or undefined. */
export function containerNameProblem(name: string): string | undefined {
  if (!containerName.test(name))
    return 'not a valid container name (letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters)';
  if (name === '.' || name === '..' || name.includes('..')) return 'not a valid container name ("..")';
  return undefined;
}

/** Why `path` is not a usable absolute path, or undefined. */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'not an absolute path';
  if (path.split('/').includes('..')) return 'contains ".." components';
  if (hasControlCharacters(path)) return 'contains control characters';
  return undefined;
}
