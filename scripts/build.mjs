#!/usr/bin/env node
// Builds the OCF tree under dist/ocf, as it is installed under $OCF_ROOT (/usr/lib/ocf):
//   resource.d/lxcha/<agent>     the launcher Pacemaker runs (scripts/launcher.mjs)
//   lib/lxcha/agents/<agent>.js  the agent's bundle (agents/<agent>.ts), for Debian 12's node 18
//   lib/lxcha/agents/<agent>.meta-data*.xml  the bundle's own meta-data answers (OCF 1.0 and 1.1), which
//                                the launcher prints without starting node
//   lib/lxcha/<handler>          each DRBD handler's launcher (scripts/launcher.mjs: handlerLauncher)
//   lib/lxcha/handlers/<handler>.js  its bundle (handlers/<handler>.ts), run from a startup snapshot as an agent is
// and the host-side cluster harness, dist/test/cluster.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { handlerLauncher, launcher, metadataFiles } from './launcher.mjs';
import { buildIdOf } from '../lib/snapshot/blob-name.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = [
  { dir: 'agents', out: 'dist/ocf/lib/lxcha/agents', ext: '.js', kind: 'agent' },
  { dir: 'handlers', out: 'dist/ocf/lib/lxcha/handlers', ext: '.js', kind: 'handler' },
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

// An agent's or handler's bundle must load into a startup snapshot, where node:child_process and node:net are
// refused: each gets a stand-in whose members load the real module on first use (the first spawn, or the
// first line to journald's socket, after deserialization).
const onFirstUse = ['child_process', 'net'];
const require_ = createRequire(import.meta.url);
const modulesOnFirstUse = {
  name: 'modules-on-first-use',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${onFirstUse.join('|')})$`) }, (args) => {
      const name = args.path.replace(/^node:/, '');
      return args.namespace === 'modules-on-first-use'
        ? { path: name, external: true }
        : { path: name, namespace: 'modules-on-first-use' };
    });
    b.onLoad({ filter: /.*/, namespace: 'modules-on-first-use' }, (args) => ({
      loader: 'js',
      contents:
        'let real;\n' +
        `const load = () => (real ??= require(${JSON.stringify(args.path)}));\n` +
        `for (const name of ${JSON.stringify(Object.keys(require_(`node:${args.path}`)))})\n` +
        '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });\n',
    }));
  },
};

for (const { dir, out, only, rename, ext, kind } of targets) {
  const snapshot = kind !== undefined;
  for (const entry of await entries(dir)) {
    if (only !== undefined && path.basename(entry) !== only) continue;
    const outfile = path.join(root, out, (rename ?? path.basename(entry, '.ts')) + (ext ?? ''));
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
      // A bundle with a launcher is run as `node bundle`; the other executables run directly.
      ...(snapshot ? {} : { banner: { js: '#!/usr/bin/env node' } }),
      logLevel: 'warning',
      // import.meta.url is used by some dependencies for paths we never take in a bundled agent;
      // import.meta.dirname only by the tools' own command-line entry blocks (run through run-ts.mjs, which
      // defines it), never taken in the cluster harness that bundles those tools' functions.
      define: { 'import.meta.url': 'undefined', 'import.meta.dirname': 'undefined' },
      plugins: snapshot ? [modulesOnFirstUse] : [],
    });
    await chmod(outfile, snapshot ? 0o644 : 0o755);
    console.log(`built ${path.relative(root, outfile)}`);
    if (!snapshot) continue;
    const name = path.basename(entry, '.ts');
    // The build id names the blob (lib/snapshot/blob-name.mjs, which the builder uses for a companion's).
    const buildId = buildIdOf(await readFile(outfile));
    if (kind === 'handler') {
      const run = path.join(root, 'dist/ocf/lib/lxcha', name);
      await writeFile(run, handlerLauncher(name, buildId), { mode: 0o755 });
      await chmod(run, 0o755);
      console.log(`built ${path.relative(root, run)} (launcher, build ${buildId})`);
      continue;
    }
    // The launcher answers meta-data with the bundle's own answer, so it is taken from the bundle itself.
    for (const [version, file] of Object.entries(metadataFiles(name))) {
      const [major, minor] = version.split('.');
      const answer = execFileSync(process.execPath, [outfile, 'meta-data'], {
        encoding: 'utf8',
        env: { OCF_RA_VERSION_MAJOR: major, OCF_RA_VERSION_MINOR: minor },
      });
      await writeFile(path.join(path.dirname(outfile), file), answer, { mode: 0o644 });
    }
    const run = path.join(root, 'dist/ocf/resource.d/lxcha', name);
    await mkdir(path.dirname(run), { recursive: true });
    await writeFile(run, launcher(name, buildId), { mode: 0o755 });
    await chmod(run, 0o755);
    console.log(`built ${path.relative(root, run)} (launcher, build ${buildId})`);
  }
}
