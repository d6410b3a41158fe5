// The Debian mirror that debootstrap builds test roots from: LXCHA_DEBIAN_MIRROR, else the first Debian
// archive in this host's own apt sources. The repo never names a mirror.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The variable that names a Debian mirror where the apt sources have none. */
export const MIRROR_VARIABLE = 'LXCHA_DEBIAN_MIRROR';

/** Debian's release code names and aliases: an apt source for one of them is a Debian archive. */
const DEBIAN_SUITES = new Set([
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'oldoldstable',
  'oldstable',
  'stable',
  'testing',
  'unstable',
]);

export interface AptSource {
  uri: string;
  suites: string[];
}

/** The entries of one deb822 `.sources` file (only `Types: deb` stanzas that are not disabled). */
export function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] => {
      const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(stanza);
      return m?.[1] === undefined ? [] : m[1].trim().split(/\s+/);
    };
    if (!field('Types').includes('deb')) continue;
    if (field('Enabled')[0]?.toLowerCase() === 'no') continue;
    const suites = field('Suites');
    for (const uri of field('URIs')) out.push({ uri, suites });
  }
  return out;
}

/** The `deb` lines of a one-line-style sources.list. */
export function parseSourcesList(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.push({ uri: m[1], suites: [m[2]] });
  }
  return out;
}

/** A Debian archive (not its security archive): a source whose suite is a Debian release or its update suite. */
export function isDebianArchive(source: AptSource): boolean {
  if (!/^https?:\/\//.test(source.uri) || /security/.test(source.uri)) return false;
  return source.suites.some((s) =>
    DEBIAN_SUITES.has(s.replace(/-(updates|backports|proposed-updates)$/, '')),
  );
}

/** Every apt source of this host, deb822 files first (in name order), then sources.list. */
export function hostSources(etcApt = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const dir = path.join(etcApt, 'sources.list.d');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      if (file.endsWith('.sources')) sources.push(...parseDeb822(text));
      else if (file.endsWith('.list')) sources.push(...parseSourcesList(text));
    }
  }
  const list = path.join(etcApt, 'sources.list');
  if (existsSync(list)) sources.push(...parseSourcesList(readFileSync(list, 'utf8')));
  return sources;
}

/** The mirror to debootstrap from, or an error naming the variable that sets one. */
export function debianMirror(env: NodeJS.ProcessEnv = process.env, etcApt = '/etc/apt'): string {
  const given = env[MIRROR_VARIABLE]?.trim();
  if (given !== undefined && given !== '') {
    if (!/^https?:\/\/\S+$/.test(given))
      throw new Error(`${MIRROR_VARIABLE}="${given}" is not an http:// or https:// URL of a Debian mirror`);
    return given;
  }
  const mirror = hostSources(etcApt).find(isDebianArchive);
  if (mirror === undefined)
    throw new Error(
      `the apt sources of this host (${etcApt}/sources.list*) name no Debian archive to build the Debian 12 test root from: set ${MIRROR_VARIABLE} to a Debian mirror's URL`,
    );
  return mirror.uri;
}
