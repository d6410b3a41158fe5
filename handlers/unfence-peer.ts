// DRBD's unfence-peer (DRBD 9) and after-resync-target (DRBD 8.4) handler: lifts the constraint that
// fence-peer placed. The same code as handlers/fence-peer.ts, which explains the roles; this name selects
// the unfence role when DRBD gives no argument.
import { snapshotEntry } from '../lib/snapshot/entry.js';
import { main, selfCheck } from './drbd-fence-peer/fence.js';

// Its launcher (scripts/launcher.mjs) passes its own path first to a run from the startup snapshot.
snapshotEntry({
  main: async () => {
    process.exitCode = await main(process.argv, process.env);
  },
  check: selfCheck,
  argv: 'given',
});
