#!/usr/bin/env node
// Bundles each agent (agents/*.ts) into one executable file dist/lxcha/<agent> for Debian 12's node 18,
// and each helper executable (handlers/*.ts) into dist/handlers/<name>.
import { build } from 'esbuild';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const targets = [
  { dir: 'agents', out: 'dist/lxcha' },
  { dir: 'handlers', out: 'dist/handlers' },
];

async function entries(dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return (await readdir(full)).filter((f) => f.endsWith('.ts')).map((f) => path.join(full, f));
}

await rm(path.join(root, 'dist'), { recursive: true, force: true });
for (const { dir, out } of targets) {
  for (const entry of await entries(dir)) {
    const outfile = path.join(root, out, path.basename(entry, '.ts'));
    await mkdir(path.dirname(outfile), { recursive: true });
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'warning',
      // import.meta.url is used by some dependencies for paths we never take in a bundled agent.
      define: { 'import.meta.url': 'undefined' },
    });
    await chmod(outfile, 0o755);
    console.log(`built ${path.relative(root, outfile)}`);
  }
}
