// `prepare local`: the Debian packages the local tests need (used by npm test before anything else).
import { ensurePackages, packageSets } from './lib/packages.js';

const what = process.argv[2] ?? 'local';
if (what !== 'local') {
  console.error(`prepare: unknown set ${what}`);
  process.exitCode = 2;
} else {
  ensurePackages(packageSets.local).catch((error: unknown) => {
    console.error(`prepare: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
