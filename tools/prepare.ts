// `prepare local`: the Debian packages and the one-node cluster the local tests need (used by npm test).
import { ensurePackages, packageSets } from './lib/packages.js';

const what = process.argv[2] ?? 'local';
if (what === 'local') {
  await ensurePackages(packageSets.local);
} else {
  console.error(`prepare: unknown set ${what}`);
  process.exitCode = 2;
}
