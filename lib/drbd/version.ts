// Which DRBD the kernel runs, from `drbdadm --version` (KEY=VALUE lines): 8.4 and 9 are queried differently.

export interface DrbdVersions {
  /** The loaded kernel module, undefined when no module is loaded (DRBD_KERNEL_VERSION_CODE=0x000000). */
  readonly kernel: { readonly major: number; readonly minor: number; readonly patch: number } | undefined;
  /** drbd-utils' own version (DRBDADM_VERSION), e.g. 9.22.0. */
  readonly utils: string | undefined;
}

export function parseVersion(stdout: string): DrbdVersions {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) values.set(m[1], m[2]);
  }
  const code = Number.parseInt(values.get('DRBD_KERNEL_VERSION_CODE') ?? '0', 16);
  const kernel =
    Number.isNaN(code) || code === 0
      ? undefined
      : { major: (code >> 16) & 0xff, minor: (code >> 8) & 0xff, patch: code & 0xff };
  return { kernel, utils: values.get('DRBDADM_VERSION') };
}
