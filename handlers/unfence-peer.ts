// DRBD's unfence-peer (DRBD 9) and after-resync-target (DRBD 8.4) handler: lifts the constraint that
// fence-peer placed. The same code as handlers/fence-peer.ts, which explains the roles; this name selects
// the unfence role when DRBD gives no argument.
import { handlerEntry } from './drbd-fence-peer/entry.js';

handlerEntry();
