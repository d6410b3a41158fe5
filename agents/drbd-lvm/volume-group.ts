// The VG half of promote, demote and monitor: exclusive activation by system ID or tag (taking over from
// a dead owner only once DRBD made us Primary), deactivation that names an open LV's holder first.
import { access } from 'node:fs/promises';
import { describeFailure } from '../../lib/exec/command.js';
import { ToolError } from '../../lib/exec/tool-error.js';
import type { MappedDevice } from '../../lib/lvm/device-mapper.js';
import { describeHolder, findHolders } from '../../lib/lvm/holders.js';
import { activationRefusal, type LogicalVolume, type VolumeGroup } from '../../lib/lvm/report.js';
import { pollUntil } from '../../lib/system/deadline.js';
import { genericError, notInstalledError } from '../../lib/ocf/exit-codes.js';
import { ownTag, type Clients, type DrbdLvmContext } from './context.js';

export interface VgState {
  /** LVM sees the VG on this node (vgs found it, or lvs listed its LVs). */
  readonly visible: boolean;
  /** The VG's own report (vgs), when it was read: always with `vgReport`, else only when lvs listed no LV. */
  readonly vg: VolumeGroup | undefined;
  /** The LVs this resource manages (those of the lvs parameter, or all). */
  readonly lvs: readonly LogicalVolume[];
  /** Names listed in `lvs` that the VG lacks. */
  readonly missingLvs: readonly string[];
}

const absent: VgState = { visible: false, vg: undefined, lvs: [], missingLvs: [] };

function managed(context: DrbdLvmContext, vg: VolumeGroup | undefined, all: LogicalVolume[]): VgState {
  const wanted = context.params.lvs;
  if (wanted === undefined) return { visible: true, vg, lvs: all, missingLvs: [] };
  return {
    visible: true,
    vg,
    lvs: all.filter((lv) => wanted.includes(lv.name)),
    missingLvs: wanted.filter((n) => !all.some((lv) => lv.name === n)),
  };
}

/**
 * The VG and its LVs. An lvs that lists LVs of the VG answers alone (each row names the VG: it is visible),
 * saving a vgs per read; vgs runs first when its report is needed (`vgReport`: the tags), and after an lvs
 * that listed none or failed, so that an absent VG, an empty one and a failing lvs are told apart as before.
 */
export async function readVg(
  context: DrbdLvmContext,
  { lvm }: Clients,
  { vgReport = false }: { vgReport?: boolean } = {},
): Promise<VgState> {
  const vgname = context.params.vgname;
  if (vgReport) {
    const vg = await lvm.volumeGroup(vgname);
    return vg === undefined ? absent : managed(context, vg, await lvm.logicalVolumes(vgname));
  }
  let all: LogicalVolume[] = [];
  let failure: ToolError | undefined;
  try {
    all = await lvm.logicalVolumes(vgname);
  } catch (error) {
    // A timed-out lvs leaves no time to ask vgs; any other failure counts only if vgs sees the VG.
    if (!(error instanceof ToolError) || error.result.timedOut) throw error;
    failure = error;
  }
  if (failure === undefined && all.length > 0) return managed(context, undefined, all);
  const vg = await lvm.volumeGroup(vgname);
  if (vg === undefined) return absent;
  if (failure !== undefined) throw failure;
  return managed(context, vg, all);
}

export const isActive = (state: VgState): boolean =>
  state.visible &&
  state.lvs.length > 0 &&
  state.missingLvs.length === 0 &&
  state.lvs.every((lv) => lv.active);
export const anyActive = (state: VgState): boolean => state.lvs.some((lv) => lv.active);

/** Makes the VG this node's (system ID or tag), then activates it and waits for its device nodes. */
export async function activateExclusively(context: DrbdLvmContext, clients: Clients): Promise<void> {
  const { params, log, deadline } = context;
  const { lvm } = clients;
  const vgname = params.vgname;
  // The PV is the DRBD device: LVM sees the VG once DRBD is Primary and udev made the node.
  const waitBudget = deadline.sub({ marginMs: 2000, capMs: params.device_timeout * 1000 });
  const vg = await pollUntil(waitBudget, () => lvm.volumeGroup(vgname), { firstMs: 100, maxMs: 1000 });
  if (vg === undefined)
    throw notInstalledError(
      `volume group ${vgname} is not visible on this node after DRBD became Primary (is the DRBD device accepted by the lvm.conf filter?)`,
    );

  if (params.exclusivity === 'system_id') {
    const local = await lvm.localSystemId();
    if (local === '')
      throw notInstalledError(
        'this node has no LVM system ID: set global/system_id_source in lvm.conf (lvmsystemid(7))',
      );
    if (vg.systemId !== local) {
      if (vg.systemId !== '')
        log.warn(
          `taking volume group ${vgname} over from system ID ${vg.systemId} (this node is DRBD Primary now)`,
        );
      const r = await lvm.setSystemId(vgname, local, vg.systemId);
      if (!r.ok) throw genericError(`cannot set system ID ${local} on ${vgname}: ${describeFailure(r)}`);
    }
  } else {
    const tag = ownTag(params);
    for (const stale of vg.tags.filter((t) => t !== tag)) {
      log.warn(
        `removing stale owner tag ${stale} from volume group ${vgname} (this node is DRBD Primary now)`,
      );
      const r = await lvm.deleteTag(vgname, stale);
      if (!r.ok) throw genericError(`cannot remove tag ${stale} from ${vgname}: ${describeFailure(r)}`);
    }
    if (!vg.tags.includes(tag)) {
      const r = await lvm.addTag(vgname, tag);
      if (!r.ok) throw genericError(`cannot tag ${vgname} with ${tag}: ${describeFailure(r)}`);
    }
  }

  const lvs = params.lvs;
  const r = await lvm.activate(vgname, lvs === undefined ? {} : { lvs });
  if (!r.ok) throw genericError(`cannot activate ${vgname}: ${describeFailure(r)}`);
  const ready = await pollUntil(
    waitBudget,
    async () => {
      const state = await readVg(context, clients);
      if (state.missingLvs.length > 0)
        throw notInstalledError(`volume group ${vgname} has no LV ${state.missingLvs.join(', ')}`);
      if (!isActive(state) && state.lvs.length > 0) return undefined;
      for (const lv of state.lvs) {
        try {
          await access(lv.path);
        } catch {
          return undefined;
        }
      }
      return state;
    },
    { firstMs: 50, maxMs: 500 },
  );
  if (ready === undefined) {
    const why = activationRefusal(r.stderr);
    throw genericError(
      `logical volumes of ${vgname} did not become active with device nodes${why === undefined ? '' : `: ${why}`}`,
    );
  }
}

/**
 * What the kernel says of the VG's LVs before a deactivation: 'inactive' (none of the managed LVs is
 * mapped), 'closed' (mapped, and no device of the VG has an opener), or undefined when only LVM can tell
 * (something is open: a user's mount or process, or a layer its LV holds; or dmsetup could not answer).
 * One dmsetup instead of lvs: no device scan on the demote's path, where the peer's promote waits.
 */
async function mappedState(
  context: DrbdLvmContext,
  { dm }: Clients,
): Promise<{ state: 'inactive' | 'closed' | undefined; devices: readonly MappedDevice[] }> {
  let devices;
  try {
    devices = await dm.vgDevices(context.params.vgname);
  } catch (error) {
    if (!(error instanceof ToolError) || error.result.timedOut) throw error;
    context.log.debug(`${error.message}; asking LVM instead`);
    return { state: undefined, devices: [] };
  }
  const wanted = context.params.lvs;
  const managed = devices.filter((d) => d.layer === '' && (wanted === undefined || wanted.includes(d.lv)));
  if (managed.length === 0) return { state: 'inactive', devices };
  return { state: devices.every((d) => d.openCount === 0) ? 'closed' : undefined, devices };
}

/**
 * The mappings of a closed VG (mappedState found its devices, none open) whose every device is a plain LV,
 * removed with one `dmsetup remove`: what `vgchange -an` ends with, without its device scan and metadata
 * read (about 0.3 s of a demote on an emulated cluster node). A layer, a subset of LVs (lvs=), or tagging
 * (whose tag only LVM removes) is LVM's to deactivate. False when dmsetup did not remove them all; LVM then
 * tries.
 */
async function removeMappings(
  context: DrbdLvmContext,
  { dm }: Clients,
  devices: readonly MappedDevice[],
): Promise<boolean> {
  const { params, log } = context;
  if (params.lvs !== undefined || params.exclusivity === 'tagging') return false;
  if (!devices.every((d) => d.layer === '')) return false;
  const r = await dm.remove(devices.map((d) => d.name));
  if (r.ok) return true;
  log.warn(`dmsetup could not remove the mappings of ${params.vgname} (${describeFailure(r)}); asking LVM`);
  return false;
}

/** Deactivates the VG; refuses while an LV is open, naming who holds it. */
export async function deactivate(context: DrbdLvmContext, clients: Clients): Promise<void> {
  const { params, log } = context;
  const vgname = params.vgname;
  const tagging = params.exclusivity === 'tagging';
  const mapped = await mappedState(context, clients);
  if (mapped.state === 'inactive') return;
  // Tagging mode removes this node's tag afterwards: only vgs's report says whether the VG carries it.
  let vg: VolumeGroup | undefined;
  if (mapped.state === 'closed') {
    if (await removeMappings(context, clients, mapped.devices)) return;
    if (tagging) vg = await clients.lvm.volumeGroup(vgname);
  } else {
    const state = await readVg(context, clients, { vgReport: tagging });
    if (!state.visible || !anyActive(state)) return;
    await refuseOpen(vgname, state);
    vg = state.vg;
  }
  const lvs = params.lvs;
  const r = await clients.lvm.deactivate(vgname, lvs === undefined ? {} : { lvs });
  if (!r.ok) throw genericError(`cannot deactivate ${vgname}: ${describeFailure(r)}`);
  if (tagging) {
    // A clean hand-over leaves no owner tag behind; a crashed owner's tag is stripped by the next promote.
    const tag = ownTag(params);
    if (vg?.tags.includes(tag) === true) {
      const t = await clients.lvm.deleteTag(vgname, tag);
      if (!t.ok) log.warn(`could not remove tag ${tag} from ${vgname}: ${describeFailure(t)}`);
    }
  }
}

/** Refuses, changing nothing, while a managed LV is open: names each one's holders. */
async function refuseOpen(vgname: string, state: VgState): Promise<void> {
  const open = state.lvs.filter((lv) => lv.active && lv.open === true);
  if (open.length === 0) return;
  const descriptions: string[] = [];
  for (const lv of open) {
    const holders = await findHolders({ paths: [lv.path, lv.dmPath], major: lv.major, minor: lv.minor });
    descriptions.push(
      `${vgname}/${lv.name} is ${holders.length === 0 ? 'open (holder not found)' : holders.map(describeHolder).join(', ')}`,
    );
  }
  throw genericError(`cannot deactivate ${vgname}: ${descriptions.join('; ')}`);
}
