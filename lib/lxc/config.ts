// Reads an LXC container configuration as LXC does: `key = value` lines, lxc.include of files and
// directories (*.conf), later lines winning. Read-only: the agent never edits a container's config.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

export interface LxcConfig {
  readonly file: string;
  readonly entries: readonly ConfigEntry[];
  /** Includes that could not be read, with the reason. */
  readonly problems: readonly string[];
  /** The last value of a key (LXC's "later wins"), unquoted. */
  get(key: string): string | undefined;
  /** Every value of a list key (lxc.cap.drop, lxc.mount.entry …) after LXC's "empty value clears" rule. */
  all(key: string): string[];
  /** Keys matching a prefix, e.g. all lxc.mount.entry or lxc.idmap. */
  has(key: string): boolean;
}

export type ReadFile = (file: string) => string;

const MAX_INCLUDE_DEPTH = 10;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
    return v.slice(1, -1);
  return v;
}

/** Parses config text; `include` resolves lxc.include targets (files, or directories of *.conf). */
export function parseConfigText(
  text: string,
  file: string,
  include: (target: string, depth: number) => ConfigEntry[],
  depth = 0,
): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq).trim();
    const value = unquote(line.slice(eq + 1));
    if (key === 'lxc.include') entries.push(...include(value, depth + 1));
    else entries.push({ key, value, file, line: index + 1 });
  });
  return entries;
}

export function readConfig(file: string, read: ReadFile = (f) => readFileSync(f, 'utf8')): LxcConfig {
  const problems: string[] = [];
  const include = (target: string, depth: number): ConfigEntry[] => {
    if (depth > MAX_INCLUDE_DEPTH) {
      problems.push(`lxc.include nested deeper than ${MAX_INCLUDE_DEPTH} at ${target}`);
      return [];
    }
    try {
      if (statSync(target).isDirectory()) {
        return readdirSync(target)
          .filter((f) => f.endsWith('.conf'))
          .sort()
          .flatMap((f) => {
            const p = path.join(target, f);
            return parseConfigText(read(p), p, include, depth);
          });
      }
      return parseConfigText(read(target), target, include, depth);
    } catch (error) {
      problems.push(
        `lxc.include ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
      return [];
    }
  };
  const entries = parseConfigText(read(file), file, include);
  return configFromEntries(file, entries, problems);
}

export function configFromEntries(
  file: string,
  entries: readonly ConfigEntry[],
  problems: readonly string[] = [],
): LxcConfig {
  return {
    file,
    entries,
    problems,
    get: (key) => entries.filter((e) => e.key === key).at(-1)?.value,
    all: (key) => {
      let values: string[] = [];
      for (const e of entries) {
        if (e.key !== key) continue;
        if (e.value === '') values = [];
        else
          values.push(
            ...(key === 'lxc.cap.drop' || key === 'lxc.cap.keep' || key === 'lxc.mount.auto'
              ? e.value.split(/\s+/)
              : [e.value]),
          );
      }
      return values;
    },
    has: (key) => entries.some((e) => e.key === key),
  };
}

/** The rootfs location: `lxc.rootfs.path` (or LXC 2's lxc.rootfs) without a storage-type prefix. */
export function rootfsLocation(config: LxcConfig): { type: string; path: string } | undefined {
  const value = config.get('lxc.rootfs.path') ?? config.get('lxc.rootfs');
  if (value === undefined || value === '') return undefined;
  const m = /^(dir|lvm|btrfs|zfs|overlay|overlayfs|loop|nbd|rbd|aufs):(.*)$/.exec(value);
  if (m === null) return { type: value.startsWith('/dev/') ? 'block' : 'dir', path: value };
  const type = m[1] ?? 'dir';
  // overlay:lower:upper — the upper directory is the one that must exist here.
  const rest = m[2] ?? '';
  return { type, path: type.startsWith('overlay') ? (rest.split(':').at(-1) ?? rest) : rest };
}
