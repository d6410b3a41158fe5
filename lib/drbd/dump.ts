// Parser for `drbdadm dump RES`: drbdadm's normalised copy of the resource's configuration (recorded:
// test/fixtures/drbd-host/dump), read for the nodes it names, DRBD 8.4 and 9 alike.

/**
 * The nodes of `resource`: its `on HOST {` sections (and `floating ADDRESS {`), directly inside
 * `resource NAME {`. This host is one of them; `connection` and `connection-mesh` sections name no new node.
 */
export function parseDumpNodes(stdout: string, resource: string): string[] {
  const nodes: string[] = [];
  let depth = 0;
  let inResource = false;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (depth === 0) inResource = new RegExp(`^resource\\s+${escape(resource)}\\s*\\{`).test(line);
    else if (depth === 1 && inResource) {
      const m = /^(on|floating)\s+(.+?)\s*\{/.exec(line);
      if (m !== null) nodes.push(m[1] === 'on' ? (m[2] ?? '') : `floating ${m[2] ?? ''}`);
    }
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth <= 0) {
      depth = 0;
      inResource = false;
    }
  }
  return nodes;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** DRBD's `fencing` policies, weakest first. */
export const FENCING_POLICIES = ['dont-care', 'resource-only', 'resource-and-stonith'] as const;
export type FencingPolicy = (typeof FENCING_POLICIES)[number];

/**
 * The resource's `fencing` policy in a dump: in `disk {}` for DRBD 8.4, in `net {}` (of the resource or of
 * a connection) for DRBD 9. Where several sections set it, the strictest; undefined where none does
 * (DRBD's default, dont-care). An unknown word is reported, not guessed.
 */
export function parseDumpFencing(
  stdout: string,
  resource: string,
): { policy: FencingPolicy | undefined } | { unknown: string } {
  let depth = 0;
  let inResource = false;
  let strictest = -1;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (depth === 0) inResource = new RegExp(`^resource\\s+${escape(resource)}\\s*\\{`).test(line);
    else if (inResource)
      for (const m of line.matchAll(/(?:^|[{;\s])fencing\s+([^;\s]+)\s*;/g)) {
        const rank = FENCING_POLICIES.indexOf(m[1] as FencingPolicy);
        if (rank < 0) return { unknown: m[1] ?? '' };
        strictest = Math.max(strictest, rank);
      }
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth <= 0) {
      depth = 0;
      inResource = false;
    }
  }
  return { policy: strictest < 0 ? undefined : FENCING_POLICIES[strictest] };
}
