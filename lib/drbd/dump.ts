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
