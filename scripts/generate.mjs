#!/usr/bin/env node
// Runs tools/generate.ts (bundled on the fly) to regenerate metadata/ and docs/agents/.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dir = await mkdtemp(path.join(tmpdir(), 'lxcha-generate-'));
try {
  const outfile = path.join(dir, 'generate.cjs');
  await build({ entryPoints: [path.join(root, 'tools/generate.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', absWorkingDir: root });
  process.argv[2] = root;
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(dir, { recursive: true, force: true });
}
