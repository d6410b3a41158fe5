// validate-all's guard for what has not run: drbd-lvm is tested on two-node resources (DRBD 8.4); its reading of
// DRBD 9 follows LINBIT's documentation, so a DRBD 9 resource with more than one peer is refused until proven.
import { configurationError } from '../../lib/ocf/exit-codes.js';
import type { Clients, DrbdLvmContext } from './context.js';

/**
 * Counts the resource's nodes in drbd.conf (`drbdadm dump`: it answers for a resource that is down too, and
 * costs validate-all one call; monitor and notify never run it). Same drbd.conf everywhere: rc 6.
 */
export async function checkTwoNodes(c: Clients, { params, log }: DrbdLvmContext): Promise<void> {
  const resource = params.drbd_resource;
  let nodes: string[];
  try {
    nodes = await c.drbd.configuredNodes(resource);
  } catch (error) {
    log.warn(`could not count the nodes of DRBD resource ${resource}: ${(error as Error).message}`);
    return;
  }
  if (nodes.length === 0) log.warn(`drbdadm dump ${resource} names no node: its peers were not counted`);
  if (nodes.length > 2)
    throw configurationError(
      `DRBD resource ${resource} has ${nodes.length - 1} peers (nodes ${nodes.join(', ')}): drbd-lvm is tested on ` +
        "two-node resources only (DRBD 8.4; its DRBD 9 status formats follow LINBIT's documentation), so a DRBD 9 " +
        'resource with more than one peer is refused until that is proven',
    );
}
