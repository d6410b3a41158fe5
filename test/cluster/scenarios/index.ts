// The scenarios each stack runs, in this order, one file each: adding a scenario is adding its file, its
// line here and its row in docs/cluster.md (test/unit/cluster/scenarios.test.ts checks that they agree).
// Each line is an import, so that one line both names a file and gives its place.
import type { Scenario } from '../context.js';

const FILES: readonly (() => Promise<{ scenario: Scenario }>)[] = [
  () => import('./start.js'),
  () => import('./data-on-lv.js'),
  () => import('./switchover.js'),
  () => import('./container-crash.js'),
  () => import('./link-cut.js'),
  () => import('./node-crash.js'),
  () => import('./partition.js'),
  // After every scenario that checks data.
  () => import('./data.js'),
  () => import('./remove.js'),
];

/** The scenarios, in the order they run. */
export async function loadScenarios(): Promise<Scenario[]> {
  return (await Promise.all(FILES.map((load) => load()))).map((file) => file.scenario);
}
