#!/usr/bin/env node
// Runs a TypeScript tool of this repo (tools/*.ts): bundles it with esbuild into a temporary CommonJS file
// and runs it with the remaining arguments. Keeps tools in strict, type-checked TypeScript without a loader.
import { build } from 'esbuild';
import { mkdtemp } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: run-ts.mjs TOOL.ts [args…]');
  process.exit(2);
}
const dir = await mkdtemp(path.join(tmpdir(), 'lxcha-tool-'));
const outfile = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [path.resolve(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'import.meta.dirname': JSON.stringify(path.dirname(path.resolve(root, entry))) },
});
process.argv = [process.argv[0], outfile, ...args];
const cleanup = () => rmSync(dir, { recursive: true, force: true });
process.once('exit', cleanup);
await import(pathToFileURL(outfile).href);
