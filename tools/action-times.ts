// `node scripts/run-ts.mjs tools/action-times.ts LOGDIR`: the per-action table of a finished cluster run
// (test/cluster/action-times.ts) from the nodes' logs in its log folder, as the harness prints it.
import { writeActionTimes } from '../test/cluster/action-times.js';

async function main(logDir: string | undefined): Promise<number> {
  if (logDir === undefined) {
    console.error('usage: action-times.ts LOGDIR (a folder under .test-logs/cluster/)');
    return 2;
  }
  const table = await writeActionTimes(logDir, ['node1', 'node2']);
  if (table === undefined) {
    console.error(`${logDir}: no pacemaker.log of node1 or node2`);
    return 1;
  }
  console.log(table);
  return 0;
}

void main(process.argv[2]).then((code) => {
  process.exitCode = code;
});
