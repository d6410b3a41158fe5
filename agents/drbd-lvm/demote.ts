// demote: the VG deactivated (refused while an LV is open, naming its holder), then DRBD Secondary.
import { describeFailure } from '../../lib/exec/command.js';
import { genericError, OcfExit, type OcfExitCode } from '../../lib/ocf/exit-codes.js';
import { clients, type Clients, type DrbdLvmContext } from './context.js';
import { applyScore } from './score.js';
import { deactivate } from './volume-group.js';

/** Pause between two tries of `drbdadm secondary` that DRBD refused with "held open". */
const HELD_OPEN_PAUSE_MS = 500;
/** What a try needs left of the operation after its pause. */
const HELD_OPEN_ROOM_MS = 3000;

/**
 * `drbdadm secondary`, tried again while DRBD answers "Device is held open by someone" and the operation has
 * room. The VG is inactive by now, so no LV of ours holds the device: a scan does, for a moment (LVM's label
 * scan in a promote of the other resource on this node, udev's blkid). Seen in the cluster's switchover,
 * where that one refusal failed the demote and made Pacemaker recover the whole stack.
 */
async function secondary(context: DrbdLvmContext, c: Clients, resource: string): Promise<void> {
  const { deadline, log } = context;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const r = await c.drbd.secondary(resource);
    if (r.ok) {
      if (attempt > 1) log.info(`DRBD resource ${resource} Secondary at try ${attempt}`);
      return;
    }
    const heldOpen = /held open/i.test(`${r.stderr}\n${r.stdout}`);
    if (!heldOpen || deadline.remainingMs() < HELD_OPEN_PAUSE_MS + HELD_OPEN_ROOM_MS) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const tries = attempt > 1 ? ` (${attempt} tries in ${seconds} s, its device held open each time)` : '';
      throw genericError(`drbdadm secondary ${resource} failed${tries}: ${describeFailure(r)}`);
    }
    if (attempt === 1)
      log.warn(
        `DRBD refused Secondary for ${resource}: its device is held open with the volume group inactive (a scan, for a moment); trying again every ${HELD_OPEN_PAUSE_MS} ms`,
      );
    await deadline.sleep(HELD_OPEN_PAUSE_MS);
  }
}

export default async function demote(context: DrbdLvmContext): Promise<OcfExitCode> {
  const { params, log } = context;
  const c = clients(context);
  const resource = params.drbd_resource;
  const status = await c.drbd.status(resource);
  if (!status.up) {
    log.warn(`demote: DRBD resource ${resource} is not up; nothing is promoted here`);
    return OcfExit.SUCCESS;
  }
  let after = status;
  if (status.role === 'Primary') {
    await deactivate(context, c);
    await secondary(context, c, resource);
    log.info(`demoted: volume group ${params.vgname} inactive, DRBD resource ${resource} Secondary`);
    // drbdadm secondary changes the role only: the disk and the link the score reads are as read above.
    after = { ...status, role: 'Secondary' };
  }
  await applyScore(context, c.score, after);
  return OcfExit.SUCCESS;
}
