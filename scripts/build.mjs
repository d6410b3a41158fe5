#!/usr/bin/env node
// Bundles each agent (agents/*.ts) into one executable file dist/lxcha/<agent> for Debian 12's node 18,
// and each helper executable (handlers/*.ts) into dist/handlers/<name>.
import { build } from 'esbuild';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = [
  { dir: 'agents', out: 'dist/lxcha' },
  { dir: 'handlers', out: 'dist/handlers' },
  // The host-side cluster harness: test/cluster/main.ts becomes dist/test/cluster (the drbd-lvm VM test runs through run-ts).
  ...['cluster'].map((name) => ({ dir: `test/${name}`, only: 'main.ts', out: 'dist/test', rename: name })),
];

async function entries(dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return (await readdir(full))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(full, f));
}

await rm(path.join(root, 'dist'), { recursive: true, force: true });
await mkdir(path.join(root, 'dist'), { recursive: true });
// The bundles are CommonJS; the repo's "type": "module" must not make node read them as ESM.
await writeFile(path.join(root, 'dist/package.json'), '{ "type": "commonjs" }\n');
for (const { dir, out, only, rename } of targets) {
  for (const entry of await entries(dir)) {
    if (only !== undefined && path.basename(entry) !== only) continue;
    const outfile = path.join(root, out, rename ?? path.basename(entry, '.ts'));
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
