// A one-node Corosync + Pacemaker on this machine for tests and the demo. It starts one when none runs,
// and refuses to touch a cluster it did not create: another cluster name, more nodes, or foreign resources.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';

export const CLUSTER_NAME = 'lxcha-test';
/** Resources whose id starts with this belong to lxcha's tests and demo. */
export const RESOURCE_PREFIX = 'lxcha-';
const COROSYNC_CONF = '/etc/corosync/corosync.conf';

export class ForeignClusterError extends Error {
  override name = 'ForeignClusterError';
}

const corosyncConf = `# Written by lxcha's tests and demo: a one-node cluster on loopback.
totem {
    version: 2
    cluster_name: ${CLUSTER_NAME}
    crypto_cipher: none
    crypto_hash: none
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
quorum {
    provider: corosync_votequorum
}
nodelist {
    node {
        name: node1
        nodeid: 1
        ring0_addr: 127.0.0.1
    }
}
`;

const running = async (name: string): Promise<boolean> =>
  (await execa('pgrep', ['-x', name], { reject: false })).exitCode === 0;

/** Debian's stock corosync.conf: cluster "debian", one node on 127.0.0.1 — nobody's cluster yet. */
function isStockConfig(text: string): boolean {
  const nodes = text.match(/ring0_addr:/g)?.length ?? 0;
  return /cluster_name:\s*debian\b/.test(text) && nodes === 1 && /ring0_addr:\s*127\.0\.0\.1\b/.test(text);
}

async function runningClusterName(): Promise<string | undefined> {
  const r = await execa('corosync-cmapctl', ['-g', 'totem.cluster_name'], { reject: false });
  return /=\s*(\S+)\s*$/.exec(String(r.stdout).trim())?.[1];
}

async function runningNodeCount(): Promise<number> {
  const r = await execa('corosync-cmapctl', ['-b', 'nodelist.node'], { reject: false });
  const ids = new Set([...String(r.stdout).matchAll(/nodelist\.node\.(\d+)\./g)].map((m) => m[1]));
  return ids.size;
}

async function waitOnline(timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let interval = 250;
  for (;;) {
    const r = await execa('crm_mon', ['-1', '--output-as=xml'], { reject: false });
    const xml = String(r.stdout);
    if (
      r.exitCode === 0 &&
      /<node [^>]*online="true"/.test(xml) &&
      /<current_dc [^>]*present="true"/.test(xml)
    )
      return;
    if (Date.now() > until)
      throw new Error(
        `the local cluster did not come online within ${timeoutMs / 1000}s: ${String(r.stderr).trim()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(2000, interval * 2);
  }
}

/** Resource ids in the CIB that are not lxcha's. */
export async function foreignResources(): Promise<string[]> {
  const r = await execa('cibadmin', ['-Q', '-o', 'resources'], { reject: false });
  const ids = [
    ...String(r.stdout).matchAll(/<(?:primitive|group|clone|bundle|master) [^>]*\bid="([^"]+)"/g),
  ].map((m) => m[1] ?? '');
  return ids.filter((id) => !id.startsWith(RESOURCE_PREFIX));
}

function daemon(command: string, args: string[]): void {
  mkdirSync('/var/log/pacemaker', { recursive: true });
  spawn(command, args, { detached: true, stdio: 'ignore' }).unref();
}

export interface ClusterState {
  /** This call started corosync/pacemaker. */
  readonly started: boolean;
}

export async function ensureLocalCluster(log: (line: string) => void = console.log): Promise<ClusterState> {
  if (process.getuid?.() !== 0) throw new Error('the local Pacemaker cluster needs root');
  let started = false;
  if (await running('corosync')) {
    const name = await runningClusterName();
    if (name !== CLUSTER_NAME)
      throw new ForeignClusterError(
        `this machine runs cluster "${name ?? '?'}", not lxcha's "${CLUSTER_NAME}": refusing to touch it`,
      );
    const nodes = await runningNodeCount();
    if (nodes > 1)
      throw new ForeignClusterError(
        `cluster "${name}" has ${nodes} nodes: refusing to touch a multi-node cluster`,
      );
  } else {
    const text = existsSync(COROSYNC_CONF) ? readFileSync(COROSYNC_CONF, 'utf8') : '';
    if (!text.includes(`cluster_name: ${CLUSTER_NAME}`)) {
      if (text !== '' && !isStockConfig(text))
        throw new ForeignClusterError(`${COROSYNC_CONF} configures another cluster: refusing to replace it`);
      if (text !== '') copyFileSync(COROSYNC_CONF, `${COROSYNC_CONF}.lxcha-orig`);
      mkdirSync('/etc/corosync', { recursive: true });
      writeFileSync(COROSYNC_CONF, corosyncConf);
    }
    mkdirSync('/var/log/corosync', { recursive: true });
    log('starting corosync (one node on 127.0.0.1)');
    await execa('corosync', [], { reject: true });
    started = true;
  }
  if (!(await running('pacemakerd'))) {
    log('starting pacemaker');
    daemon('pacemakerd', []);
    started = true;
  }
  await waitOnline(180_000);
  const foreign = await foreignResources();
  if (foreign.length > 0)
    throw new ForeignClusterError(
      `the cluster holds resources lxcha did not create (${foreign.join(', ')}): refusing to touch it`,
    );
  await execa('crm_attribute', ['-t', 'crm_config', '-n', 'stonith-enabled', '-v', 'false']);
  return { started };
}

/** Polls `crm_mon` XML until `predicate` holds, for tests and the demo. */
export async function waitForCrmMon(predicate: (xml: string) => boolean, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  let interval = 250;
  for (;;) {
    const xml = String(
      (await execa('crm_mon', ['-1', '--output-as=xml', '--include=all'], { reject: false })).stdout,
    );
    if (predicate(xml)) return xml;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for the cluster`);
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(1000, interval * 2);
  }
}

/** The role and node of a resource in crm_mon XML. */
export function resourceStatus(
  xml: string,
  id: string,
): { role: string; active: boolean; failed: boolean; node: string | undefined } | undefined {
  const m = new RegExp(`<resource id="${id}"[^>]*>`).exec(xml);
  if (m === null) return undefined;
  const tag = m[0];
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  const rest = xml.slice(m.index + tag.length, xml.indexOf('</resource>', m.index));
  return {
    role: attr('role') ?? '',
    active: attr('active') === 'true',
    failed: attr('failed') === 'true',
    node: /<node name="([^"]+)"/.exec(rest)?.[1],
  };
}

/** Removes an lxcha resource whatever its state: stop it (waiting), delete it, clean its history. */
export function removeResource(id: string): void {
  if (!id.startsWith(RESOURCE_PREFIX)) throw new Error(`refusing to remove ${id}: not an lxcha resource`);
  if (spawnSync('crm_resource', ['--resource', id, '--locate'], { stdio: 'ignore' }).status !== 0) return;
  spawnSync('crm', ['-w', 'resource', 'stop', id], { stdio: 'ignore', timeout: 120_000 });
  spawnSync('cibadmin', ['--delete', '--xml-text', `<primitive id="${id}"/>`], { stdio: 'ignore' });
  spawnSync('crm_resource', ['--cleanup', '--resource', id], { stdio: 'ignore' });
}

/** `crm configure primitive` arguments for an ocf:lxcha:lxc resource with the tests' and demo's operations. */
export function lxcPrimitiveArgs(
  id: string,
  params: Readonly<Record<string, string>>,
  meta: Readonly<Record<string, string>> = {},
): string[] {
  const pairs = (o: Readonly<Record<string, string>>) => Object.entries(o).map(([k, v]) => `${k}=${v}`);
  return [
    'configure',
    'primitive',
    id,
    'ocf:lxcha:lxc',
    'params',
    ...pairs(params),
    'op',
    'start',
    'timeout=60s',
    'op',
    'stop',
    'timeout=60s',
    'op',
    'monitor',
    'interval=5s',
    'timeout=20s',
    ...(Object.keys(meta).length > 0 ? ['meta', ...pairs(meta)] : []),
  ];
}
