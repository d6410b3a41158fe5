// What test:vagrant checks on the machines `vagrant up` made, in order: converged, switchover, fencing.
// Each check is a state the machines report (crm_mon, /proc/drbd, lxc-info, sbd, stonith_admin), polled
// within a bound; nothing here waits for a fixed time alone.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseCrmMon, type ClusterState } from '../cluster/cluster.js';
import {
  allSynced,
  describePlacement,
  placement,
  samePlacement,
  type Placement,
} from '../cluster/helpers.js';
import { SITES, type Stack } from '../cluster/sites.js';
import { errorText, log, timed, waitFor } from '../cluster/util.js';
import type { LibvirtNamespace } from './namespace.js';
import type { Vagrant } from './vagrant.js';

export interface Outcome {
  ok: boolean;
  name: string;
  detail: string;
}

export const NODES = ['node1', 'node2'] as const;
const SBD_DEVICE = '/dev/disk/by-id/virtio-lxcha-sbd';
const POLL_MS = 5000;
const MINORS = SITES.map((s) => s.minor);
const HOME: Placement = Object.fromEntries(SITES.map((s) => [s.res, s.home]));

/** One parser for every Pacemaker XML read here; the elements that may repeat are always arrays. */
const REPEATED = new Set(['failure', 'list', 'fence_event', 'node', 'resource_history', 'operation_history']);
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (n) => REPEATED.has(n),
});

/** crm_mon's failed actions ("Failed Resource Actions"), as `op on node: exit reason`. */
export function failedActions(crmMonXml: string): string[] {
  const doc = xml.parse(crmMonXml) as {
    'pacemaker-result'?: { failures?: { failure?: Record<string, string>[] } };
  };
  return (doc['pacemaker-result']?.failures?.failure ?? []).map(
    (f) => `${f.op_key} on ${f.node}: ${f.exitreason || f.exitstatus}`,
  );
}

export class Machines {
  constructor(
    readonly vagrant: Vagrant,
    readonly stack: Stack,
  ) {}

  async crmMon(from: string): Promise<{ xml: string; state: ClusterState } | undefined> {
    const r = await this.vagrant.ssh(
      from,
      ['crm_mon', '--one-shot', '--output-as=xml', '--inactive'],
      60_000,
    );
    return r.exitCode === 0 ? { xml: r.stdout, state: parseCrmMon(r.stdout) } : undefined;
  }

  /** Where each site's whole stack runs, seen from `from`, once both named nodes are online. */
  async placement(from: string, online: readonly string[]): Promise<Placement | undefined> {
    const mon = await this.crmMon(from);
    if (mon === undefined || !online.every((n) => mon.state.online.includes(n))) return undefined;
    return placement(mon.state, this.stack);
  }

  /** Waits until node1 sees every site's whole stack where `target` says, with `online` online. */
  async waitPlacement(
    target: Placement,
    online: readonly string[],
    what: string,
    limitMs: number,
  ): Promise<Placement> {
    return waitFor(
      `${describePlacement(target)} ${what}`,
      limitMs,
      async () => {
        const p = await this.placement('node1', online);
        return p !== undefined && samePlacement(p, target) ? p : undefined;
      },
      POLL_MS,
    );
  }

  async synced(): Promise<boolean> {
    for (const node of NODES) {
      const r = await this.vagrant.ssh(node, ['cat', '/proc/drbd'], 30_000);
      if (r.exitCode !== 0 || !allSynced(r.stdout, MINORS)) return false;
    }
    return true;
  }

  /** The containers of every site RUNNING where the placement says (lxc-info on that node). */
  async containersRunning(where: Placement): Promise<string | undefined> {
    const seen: string[] = [];
    for (const site of SITES) {
      for (const ct of site.containers) {
        const node = where[site.res] ?? '';
        // The agents start containers under LXC's default lxcpath, with the config from the site's filesystem.
        const r = await this.vagrant.ssh(node, ['lxc-info', '-n', ct, '-s', '-H'], 30_000);
        if (r.stdout.trim() !== 'RUNNING') return undefined;
        seen.push(`${ct}@${node}`);
      }
    }
    return seen.join(' ');
  }
}

/** Runs the checks in order, each reported through `record` as it ends; a failed one ends the run. */
export async function runScenarios(
  vagrant: Vagrant,
  ns: LibvirtNamespace,
  stack: Stack,
  logs: string,
  record: (outcome: Outcome) => void,
): Promise<void> {
  const m = new Machines(vagrant, stack);
  const step = async (name: string, body: () => Promise<string>): Promise<boolean> => {
    try {
      const { value, seconds } = await timed(body);
      record({ ok: true, name, detail: `${value} in ${seconds.toFixed(0)}s` });
      return true;
    } catch (error) {
      record({ ok: false, name, detail: errorText(error) });
      return false;
    }
  };
  if (!(await step('converged', () => converge(m, logs)))) return;
  if (!(await step('switchover', () => switchover(m)))) return;
  await step('fencing', () => fencing(m, ns, logs));
}

/** After `vagrant up`: every site home, DRBD in sync, containers running, SBD ready, no failed action. */
async function converge(m: Machines, logs: string): Promise<string> {
  const where = await m.waitPlacement(HOME, NODES, 'at home with node1 and node2 online', 1_500_000);
  await waitFor(
    'r0 and r1 Connected UpToDate/UpToDate on both nodes',
    600_000,
    async () => ((await m.synced()) ? true : undefined),
    POLL_MS,
  );
  const running = await waitFor(
    'every container RUNNING on its home node',
    300_000,
    () => m.containersRunning(where),
    POLL_MS,
  );
  const mon = await m.crmMon('node1');
  if (mon !== undefined) await writeFile(path.join(logs, 'crm_mon-converged.xml'), mon.xml);
  const failures = mon === undefined ? ['crm_mon did not answer'] : failedActions(mon.xml);
  if (failures.length > 0) throw new Error(`failed actions after vagrant up: ${failures.join('; ')}`);
  const stonith = mon?.state.resources.find((r) => r.id === 'st_sbd');
  if (stonith?.role !== 'Started') throw new Error(`st_sbd is ${stonith?.role ?? 'not configured'}`);
  const slots = await m.vagrant.sshOk('node1', ['sbd', '-d', SBD_DEVICE, 'list']);
  for (const node of NODES)
    if (!new RegExp(`\\b${node}\\s+clear\\b`).test(slots))
      throw new Error(`SBD slot of ${node} not clear: ${slots.trim()}`);
  return `node1+node2 online, ${describePlacement(where)}, DRBD Connected UpToDate/UpToDate, ${running} RUNNING, st_sbd Started, SBD slots clear, no failed action`;
}

/** `crm resource move` of node1's group to node2, then `clear`: r0's whole stack runs on node2. */
async function switchover(m: Machines): Promise<string> {
  const site = SITES[0];
  if (site === undefined) throw new Error('no site');
  const group = site.resources[m.stack].group;
  await m.vagrant.sshOk('node1', ['crm', 'resource', 'move', group, 'node2']);
  const target: Placement = { ...HOME, [site.res]: 'node2' };
  const where = await m.waitPlacement(target, NODES, `after crm resource move ${group} node2`, 900_000);
  const running = await waitFor(
    'the containers RUNNING where they moved',
    300_000,
    () => m.containersRunning(where),
    POLL_MS,
  );
  await m.vagrant.sshOk('node1', ['crm', 'resource', 'clear', group]);
  return `crm resource move ${group} node2: ${describePlacement(where)}, ${running} RUNNING`;
}

/** The links of a domain's cluster and replication networks (virsh domiflist: Interface Type Source Model MAC). */
async function privateLinks(ns: LibvirtNamespace, domain: string): Promise<string[]> {
  const r = await ns.run('virsh', ['domiflist', domain]);
  const macs = String(r.stdout)
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5 && (f[2] === 'lxcha-ring' || f[2] === 'lxcha-repl'))
    .map((f) => f[4] ?? '');
  if (macs.length !== 2)
    throw new Error(
      `${domain}: expected the lxcha-ring and lxcha-repl links, virsh domiflist says ${String(r.stdout).trim()}`,
    );
  return macs;
}

async function setLinks(
  ns: LibvirtNamespace,
  domain: string,
  macs: string[],
  state: 'up' | 'down',
): Promise<void> {
  for (const mac of macs) await ns.run('virsh', ['domif-setlink', domain, mac, state]);
}

/** Pacemaker's `last-rc-change` and the fence history's `completed`, as epoch ms (the guests run UTC). */
export function guestTime(text: string): number {
  const iso = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)/.exec(text);
  return iso === null ? Date.parse(`${text} UTC`) : Date.parse(`${iso[1]}T${iso[2]}Z`);
}

/** The fence history's successful reboots of `target` (`stonith_admin --history T --output-as=xml`). */
export function fenceEvents(historyXml: string, target: string): { completed: number; delegate: string }[] {
  const doc = xml.parse(historyXml) as {
    'pacemaker-result'?: { list?: { name?: string; fence_event?: Record<string, string>[] }[] };
  };
  const history = doc['pacemaker-result']?.list?.find((l) => l.name === 'fencing history');
  return (history?.fence_event ?? [])
    .filter((e) => e.target === target && e.status === 'success')
    .map((e) => ({ completed: guestTime(e.completed ?? ''), delegate: e.delegate ?? '' }));
}

/** When the last promote of `resource` on `node` completed, from crm_mon's operation history. */
export function lastPromote(crmMonXml: string, node: string, resource: string): number | undefined {
  const doc = xml.parse(crmMonXml) as {
    'pacemaker-result'?: { node_history?: { node?: Record<string, unknown>[] } };
  };
  const n = doc['pacemaker-result']?.node_history?.node?.find((x) => x.name === node);
  const history = (n?.resource_history as Record<string, unknown>[] | undefined)?.find(
    (r) => r.id === resource || String(r.id).startsWith(`${resource}:`),
  );
  const promotes = ((history?.operation_history as Record<string, string>[] | undefined) ?? [])
    .filter((o) => o.task === 'promote' && o.rc === '0')
    .map((o) => guestTime(o['last-rc-change'] ?? ''));
  return promotes.length === 0 ? undefined : Math.max(...promotes);
}

/**
 * node2 runs both stacks (after the switchover): its cluster and replication links are cut. node1 must
 * fence it through SBD (stonith_admin --history), node2 must reboot (a new boot id), and only after the
 * fencing completed may node1 promote both DRBD resources and run both stacks. Then the links come back:
 * node2 rejoins and DRBD resyncs.
 */
async function fencing(m: Machines, ns: LibvirtNamespace, logs: string): Promise<string> {
  const domain = 'lxcha_node2';
  const bootId = (await m.vagrant.sshOk('node2', ['cat', '/proc/sys/kernel/random/boot_id'])).trim();
  const macs = await privateLinks(ns, domain);
  // The fence history and Pacemaker's operation times are node1's clock, which need not be this host's.
  const cutOnNode1 = Number((await m.vagrant.sshOk('node1', ['date', '+%s'])).trim()) * 1000;
  const cut = Date.now();
  await setLinks(ns, domain, macs, 'down');
  log(`fencing: node2's cluster and replication links are down (${macs.join(' ')})`);
  const rebooted = await waitFor(
    'node2 to reboot (a new boot id)',
    900_000,
    async () => {
      const r = await m.vagrant.ssh('node2', ['cat', '/proc/sys/kernel/random/boot_id'], 30_000);
      return r.exitCode === 0 && r.stdout.trim() !== bootId ? (Date.now() - cut) / 1000 : undefined;
    },
    POLL_MS,
  );
  log(`fencing: node2 rebooted ${rebooted.toFixed(0)}s after the cut`);
  const both: Placement = Object.fromEntries(SITES.map((s) => [s.res, 'node1']));
  const where = await m.waitPlacement(both, ['node1'], '(node1 running both stacks)', 900_000);
  const tookOver = (Date.now() - cut) / 1000;
  const running = await waitFor(
    'the containers RUNNING on node1',
    300_000,
    () => m.containersRunning(where),
    POLL_MS,
  );
  const history = await m.vagrant.sshOk('node1', ['stonith_admin', '--history', 'node2', '--output-as=xml']);
  await writeFile(path.join(logs, 'fence-history.xml'), history);
  const fenced = fenceEvents(history, 'node2').filter((e) => e.completed >= cutOnNode1);
  if (fenced.length === 0)
    throw new Error(`no successful fencing of node2 in stonith_admin --history: ${history.trim()}`);
  const fence = fenced[fenced.length - 1]!;
  const log1 = await m.vagrant.sshOk('node1', [
    'grep',
    '-E',
    'targeting node2 using',
    '/var/log/pacemaker/pacemaker.log',
  ]);
  // pacemaker-fenced names the device it fenced with ("… targeting node2 using st_sbd …"); the fence
  // history does not.
  const lines = log1.trim().split('\n');
  const devices = new Set(
    lines.map((l) => /targeting node2 using (\S+)/.exec(l)?.[1]).filter((d) => d !== undefined),
  );
  if (devices.size !== 1 || !devices.has('st_sbd'))
    throw new Error(
      `fencing of node2 not done by st_sbd alone (pacemaker.log: ${lines.slice(-3).join(' | ')})`,
    );
  await writeFile(path.join(logs, 'fenced-node2.log'), log1);
  const mon = await m.vagrant.sshOk('node1', [
    'crm_mon',
    '--one-shot',
    '--output-as=xml',
    '--operations',
    '--timing-details',
  ]);
  await writeFile(path.join(logs, 'crm_mon-operations.xml'), mon);
  for (const site of SITES) {
    const promoted = lastPromote(mon, 'node1', site.resources[m.stack].promotable);
    if (promoted === undefined)
      throw new Error(`no promote of ${site.resources[m.stack].promotable} on node1 in crm_mon's history`);
    if (promoted < fence.completed)
      throw new Error(
        `${site.resources[m.stack].promotable} promoted on node1 ${((fence.completed - promoted) / 1000).toFixed(0)}s before node2's fencing completed`,
      );
  }
  await setLinks(ns, domain, macs, 'up');
  const back = await timed(() =>
    waitFor(
      'node2 back online and r0, r1 Connected UpToDate/UpToDate',
      1_200_000,
      async () => {
        const mon2 = await m.crmMon('node1');
        if (mon2 === undefined || !NODES.every((n) => mon2.state.online.includes(n))) return undefined;
        return (await m.synced()) ? true : undefined;
      },
      POLL_MS,
    ),
  );
  return (
    `links of node2 cut: node1 fenced it with st_sbd (delegate ${fence.delegate || '?'}, completed ${((fence.completed - cutOnNode1) / 1000).toFixed(0)}s after the cut), ` +
    `node2 rebooted (new boot id, seen ${rebooted.toFixed(0)}s after the cut), node1 promoted r0 and r1 after the fencing and ran both stacks ${tookOver.toFixed(0)}s after the cut (${running} RUNNING); ` +
    `links restored: node2 rejoined, DRBD resynced in ${back.seconds.toFixed(0)}s`
  );
}
