// `prepare local [vm]`: the Debian packages the tests need (used by npm test before anything else).
import { ensurePackages, packageSets } from './lib/packages.js';

const sets = process.argv.slice(2);
const unknown = sets.filter((s) => !(s in packageSets));
if (unknown.length > 0 || sets.length === 0) {
  console.error(`prepare: name package sets among ${Object.keys(packageSets).join(', ')}`);
  process.exitCode = 2;
} else {
  ensurePackages(sets.flatMap((s) => packageSets[s as keyof typeof packageSets])).catch((error: unknown) => {
    console.error(`prepare: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
