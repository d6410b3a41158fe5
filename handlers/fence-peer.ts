// DRBD's resource-level fencing for clusters managed by lxcha (what crm-fence-peer.sh does for
// ocf:linbit:drbd, and dopd did before it). Built as dist/ocf/lib/lxcha/fence-peer and unfence-peer
// (the same code, handlers/unfence-peer.ts); the role comes from argv[2] when given, else from the name
// the executable is called under:
//   fence-peer           DRBD lost the peer: forbid the Promoted role on every other node for the
//                        promotable clone that manages DRBD_RESOURCE (a -INFINITY location rule).
//   after-resync-target  (DRBD 8.4) this node's resync finished: lift that constraint.
//   unfence-peer         (DRBD 9) the same, called by DRBD 9 when the peer is UpToDate again.
// Answers with DRBD's handler exit codes: 4 constraint placed (peer fenced), 5 constraint placed and the
// peer is not a cluster member (unreachable), 6 the peer is the promoted one here (outdate yourself),
// 1 error; 0 for the unfence roles. 3 (peer inconsistent) and 7 (peer stonithed) are not answered: the
// handler cannot see the peer's disk, and it does not wait for fencing (Pacemaker fences a lost node).
import { main } from './drbd-fence-peer/fence.js';

void main(process.argv, process.env).then((code) => {
  process.exitCode = code;
});
