// Every package the lockfile installs, transitive ones included, accepts Debian 12's nodejs 18.20.4:
// the development commands must run on the node an administrator gets from apt-get install nodejs npm.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { satisfies } from '../../helpers/node-range.js';
import { repoRoot } from '../../helpers/paths.js';

const DEBIAN_12_NODE = '18.20.4';

interface LockEntry {
  version?: string;
  engines?: { node?: unknown } | string[];
  optional?: boolean;
}

describe('the lockfile', () => {
  it(`holds no package whose engines.node excludes Debian 12's node ${DEBIAN_12_NODE}`, () => {
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const excluding: string[] = [];
    let checked = 0;
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined) continue;
      if (typeof range !== 'string') throw new Error(`${where}: engines.node is not a string`);
      checked += 1;
      if (!satisfies(DEBIAN_12_NODE, range))
        excluding.push(`${where}@${entry.version ?? '?'} (node ${range})`);
    }
    expect(checked).toBeGreaterThan(20);
    expect(excluding).toEqual([]);
  });

  it("declares the same minimum in package.json's engines", () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(satisfies(DEBIAN_12_NODE, pkg.engines.node)).toBe(true);
    expect(satisfies('18.19.1', pkg.engines.node)).toBe(false);
  });
});

describe('the engines range check', () => {
  it.each([
    ['^18.18.0 || ^20.9.0 || >=21.1.0', true],
    ['^20.19.0 || >=22.12.0', false],
    ['20 || >=22', false],
    ['18 || 20 || >=22', true],
    ['>= 18', true],
    ['>=18.20.5', false],
    ['>18', false],
    ['>18.20', false],
    ['>18.19', true],
    ['<=18', true],
    ['<18.20.4', false],
    ['14 - 18', true],
    ['14 - 17', false],
    ['~18.20.0', true],
    ['~18.19', false],
    ['^0.10.0', false],
    ['*', true],
    ['18.x', true],
    ['>=14.17 <19', true],
    ['>=12 <18', false],
    ['^14.17.0 || >=16.0.0', true],
  ])('18.20.4 against %s is %s', (range, expected) => {
    expect(satisfies('18.20.4', range)).toBe(expected);
  });
});
