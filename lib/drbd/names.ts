// What a DRBD resource name may be where lxcha passes it to drbdadm or matches it in the CIB.

/** Why `name` is not a drbd.conf resource name the suite accepts (anything a tool could misread), or undefined. */
export function drbdResourceProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_.+-]+$/.test(name)) return 'may contain only A-Z a-z 0-9 _ . + -';
  if (name.startsWith('-')) return "must not start with '-'";
  return name.length > 64 ? 'is longer than 64 characters' : undefined;
}
