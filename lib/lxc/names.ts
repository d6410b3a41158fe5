// What a safe container name looks like: LXC's rules, minus anything a shell or LXC would misread.

const containerName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Why `name` is not a usable container name, or undefined. */
export function containerNameProblem(name: string): string | undefined {
  if (!containerName.test(name))
    return 'not a valid container name (letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters)';
  if (name === '.' || name === '..' || name.includes('..')) return 'not a valid container name ("..")';
  return undefined;
}
