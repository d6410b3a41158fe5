// DRBD Secondary for demote and for the stop of a Primary (DrbdClient.secondary: `drbdsetup secondary MINOR`
// on 8.4, else `drbdadm secondary`), tried again while DRBD says its device is held open for a moment.
import path from 'node:path';
import { describeFailure, type CommandResult } from '../../lib/exec/command.js';
import { genericError } from '../../lib/ocf/exit-codes.js';
import type { Clients, DrbdLvmContext } from './context.js';

/** `drbdsetup secondary 0`, `drbdadm secondary r0`: the command as an administrator would type it. */
const commandLine = (r: CommandResult): string => [path.basename(r.command), ...r.args].join(' ');

/** Pause between two tries of Secondary that DRBD refused with "held open". */
const HELD_OPEN_PAUSE_MS = 500;
/** What a try needs left of the operation after its pause. */
const HELD_OPEN_ROOM_MS = 3000;

/**
 * Secondary, tried again while DRBD answers "Device is held open by someone" and the operation has
 * room. The VG is inactive by now, so no LV of ours holds the device: a scan does, for a moment (LVM's label
 * scan in a promote of the other resource on this node, udev's blkid). Seen in the cluster's switchover,
 * where that one refusal failed the demote and made Pacemaker recover the whole stack. Stop of a Primary
 * uses it too: a stop that fails gets the node fenced.
 */
export async function secondary(
  context: DrbdLvmContext,
  c: Clients,
  resource: string,
  minors: readonly number[],
): Promise<void> {
  const { deadline, log } = context;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const r = await c.drbd.secondary(resource, minors);
    if (r.ok) {
      if (attempt > 1) log.info(`DRBD resource ${resource} Secondary at try ${attempt}`);
      return;
    }
    const heldOpen = /held open/i.test(`${r.stderr}\n${r.stdout}`);
    if (!heldOpen || deadline.remainingMs() < HELD_OPEN_PAUSE_MS + HELD_OPEN_ROOM_MS) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const tries = attempt > 1 ? ` (${attempt} tries in ${seconds} s, its device held open each time)` : '';
      throw genericError(`${commandLine(r)} failed${tries}: ${describeFailure(r)}`);
    }
    if (attempt === 1)
      log.warn(
        `DRBD refused Secondary for ${resource}: its device is held open with the volume group inactive (a scan, for a moment); trying again every ${HELD_OPEN_PAUSE_MS} ms`,
      );
    await deadline.sleep(HELD_OPEN_PAUSE_MS);
  }
}
