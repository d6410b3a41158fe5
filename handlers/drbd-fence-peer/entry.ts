// The one entry of both handler executables (handlers/fence-peer.ts, handlers/unfence-peer.ts): a
// startup-snapshot entry whose launcher (scripts/launcher.mjs) passes its own path first to a snapshot run.
import { snapshotEntry } from '../../lib/snapshot/entry.js';
import { main, selfCheck } from './fence.js';

export function handlerEntry(): void {
  snapshotEntry({
    main: async () => {
      process.exitCode = await main(process.argv, process.env);
    },
    check: selfCheck,
    argv: 'given',
  });
}
