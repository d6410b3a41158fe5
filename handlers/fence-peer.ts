// DRBD's resource-level fencing for clusters managed by lxcha (what crm-fence-peer.sh does for
// ocf:linbit:drbd, and dopd did before it). Built as dist/ocf/lib/lxcha/handlers/fence-peer.js and
// unfence-peer.js (the same code, handlers/unfence-peer.ts), each run by its launcher lib/lxcha/fence-peer
// or unfence-peer (scripts/launcher.mjs), from a startup snapshot when there is one; the role comes from
// the first argument that is not an option, else from the name the executable is called under:
//   fence-peer           DRBD lost the peer: forbid the Promoted role on every other node for the
//                        promotable clone that manages DRBD_RESOURCE (a -INFINITY location rule).
//   after-resync-target  (DRBD 8.4) this node's resync finished: lift that constraint.
//   unfence-peer         (DRBD 9) the same, called by DRBD 9 when the peer is UpToDate again.
// Answers with DRBD's handler exit codes: 4 constraint placed (peer fenced), 5 constraint placed and the
// peer is not a cluster member (unreachable), 6 the peer is the promoted one here (outdate yourself),
// 7 the peer was fenced by the cluster (stonithed), 1 error; 0 for the unfence roles.
// The policy comes from drbd.conf (`drbdadm dump DRBD_RESOURCE`): under resource-only (or dont-care) the
// answer comes at once from the CIB, while DRBD goes on writing. Under resource-and-stonith, DRBD holds
// this node's I/O until the answer, so the handler waits, looking at the CIB every 2 s: the peer not a
// member, its controller offline and expected down (fenced, or left cleanly) → 7; its controller answering
// `crmadmin --status` → as under resource-only. After `--timeout=SECONDS` (default 120) it places the
// constraint and answers 1, which leaves I/O frozen until an administrator runs `drbdadm resume-io`.
// A policy it cannot read is taken as resource-and-stonith. 3 (peer inconsistent) is never answered:
// the handler cannot see the peer's disk.
import { handlerEntry } from './drbd-fence-peer/entry.js';

handlerEntry();
