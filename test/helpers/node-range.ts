// Whether a Node version satisfies a package's `engines.node` range (npm's semver range grammar:
// `||`, hyphen ranges, ^ ~ >= > <= < =, x-ranges), for the lockfile check. Prereleases are not handled.

type Version = [number, number, number];
type Partial = [number | undefined, number | undefined, number | undefined];
interface Bound {
  op: '>=' | '>' | '<' | '<=';
  v: Version;
}

function parseVersion(text: string): Version {
  const p = parsePartial(text);
  if (p.some((n) => n === undefined)) throw new Error(`not a full version: ${text}`);
  return p as Version;
}

function parsePartial(text: string): Partial {
  const t = text.trim().replace(/^[v=]+/, '');
  if (t === '' || t === '*' || /^x$/i.test(t)) return [undefined, undefined, undefined];
  const m = /^(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(t);
  if (m === null) throw new Error(`not a version: "${text}"`);
  const num = (s: string | undefined): number | undefined =>
    s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s);
  const major = num(m[1]);
  const minor = major === undefined ? undefined : num(m[2]);
  const patch = minor === undefined ? undefined : num(m[3]);
  return [major, minor, patch];
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

const low = (p: Partial): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];

/** The first version above a partial one: 18 → 19.0.0, 18.2 → 18.3.0. */
function above(p: Partial): Version | undefined {
  if (p[0] === undefined) return undefined;
  if (p[1] === undefined) return [p[0] + 1, 0, 0];
  if (p[2] === undefined) return [p[0], p[1] + 1, 0];
  return undefined;
}

function comparator(op: string, text: string): Bound[] {
  const p = parsePartial(text);
  const full = p[2] !== undefined;
  const next = above(p);
  switch (op) {
    case '^': {
      if (p[0] === undefined) return [];
      const [M, m, pt] = low(p);
      const top: Version =
        M > 0 || p[1] === undefined
          ? [M + 1, 0, 0]
          : m > 0 || p[2] === undefined
            ? [0, m + 1, 0]
            : [0, 0, pt + 1];
      return [
        { op: '>=', v: low(p) },
        { op: '<', v: top },
      ];
    }
    case '~':
    case '~>': {
      if (p[0] === undefined) return [];
      const top: Version = p[1] === undefined ? [p[0] + 1, 0, 0] : [p[0], p[1] + 1, 0];
      return [
        { op: '>=', v: low(p) },
        { op: '<', v: top },
      ];
    }
    case '>=':
      return [{ op: '>=', v: low(p) }];
    case '>':
      if (p[0] === undefined) return [{ op: '<', v: [0, 0, 0] }];
      return full || next === undefined ? [{ op: '>', v: low(p) }] : [{ op: '>=', v: next }];
    case '<':
      return [{ op: '<', v: low(p) }];
    case '<=':
      if (p[0] === undefined) return [];
      return full || next === undefined ? [{ op: '<=', v: low(p) }] : [{ op: '<', v: next }];
    default:
      if (p[0] === undefined) return [];
      return full || next === undefined
        ? [
            { op: '>=', v: low(p) },
            { op: '<=', v: low(p) },
          ]
        : [
            { op: '>=', v: low(p) },
            { op: '<', v: next },
          ];
  }
}

function holds(v: Version, b: Bound): boolean {
  const c = cmp(v, b.v);
  return b.op === '>=' ? c >= 0 : b.op === '>' ? c > 0 : b.op === '<' ? c < 0 : c <= 0;
}

function parseSet(text: string): Bound[] {
  const t = text.trim();
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(t);
  if (hyphen?.[1] !== undefined && hyphen[2] !== undefined) {
    return [...comparator('>=', hyphen[1]), ...comparator('<=', hyphen[2])];
  }
  const bounds: Bound[] = [];
  // An operator may be separated from its version by spaces (">= 18").
  const re = /(\^|~>|~|>=|<=|>|<|=)?\s*([^\s^~<>=]+)/g;
  for (const m of t.matchAll(re)) bounds.push(...comparator(m[1] ?? '', m[2] ?? ''));
  return bounds;
}

/** Whether `version` (e.g. 18.20.4) satisfies `range` (e.g. "^18.18.0 || ^20.9.0 || >=21.1.0"). */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split('||').some((set) => parseSet(set).every((b) => holds(v, b)));
}
