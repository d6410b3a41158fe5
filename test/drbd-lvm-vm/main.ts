// ocf:lxcha:drbd-lvm on real DRBD 8.4 and LVM, in one emulated VM of the cluster harness (test/cluster),
// then ocf:lxcha:lxc's limits on that VM's cgroup v2 (lxc-limits.ts), each scenario in its own file:
// the behaviours the fake-based tests prove on logic, proved here on the kernel's DRBD and device-mapper.
// The peer is absent (its VM never boots): `drbdadm primary --force` makes UpToDate data, `drbdadm outdate`
// Outdated data. No Pacemaker runs: crm_attribute fails and the agent only warns about the score.
// Run: npm run build && node scripts/run-ts.mjs test/drbd-lvm-vm/main.ts   (root; prints ok/FAIL lines)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import { ensureImage } from '../cluster/image.js';
import type { Vm } from '../cluster/vm.js';
import { Results } from '../cluster/runner.js';
import { errorText, log, timed } from '../cluster/util.js';
import { editedOptionTakesEffect } from './drbd-adjust.js';
import { frozenNeighbour } from './frozen-neighbour.js';
import { lxcLimitsOnCgroupV2 } from './lxc-limits.js';
import { backingDiskFilterSed, vmLvmRecordings } from '../fixtures/commands.js';

const repo = process.cwd();
const AGENT = '/usr/lib/ocf/resource.d/lxcha/drbd-lvm';
const VG = 'vg_lxc1';
const RES = 'r0';

interface AgentRun {
  code: number;
  reason: string;
  stderr: string;
}

/** A recurring monitor's meta attribute (without it a monitor is a probe). */
const recurring = { OCF_RESKEY_CRM_meta_interval: '29000' };
const results = new Results();
/** Where the LVM outputs this run records go (copied by hand into test/fixtures/lvm). */
let recordDir = '';
/** One result line of this harness (the cluster harness's runner). */
const check = (name: string, ok: boolean, details: string): void => results.report(ok, name, details);

async function agent(
  vm: Vm,
  action: string,
  params: Record<string, string> = {},
  ocf11 = true,
): Promise<AgentRun> {
  const env = {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'drbdlvm',
    OCF_RESOURCE_TYPE: 'drbd-lvm',
    OCF_RESOURCE_PROVIDER: 'lxcha',
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: ocf11 ? '1' : '0',
    OCF_RESKEY_CRM_meta_timeout: '120000',
    OCF_RESKEY_drbd_resource: RES,
    OCF_RESKEY_vgname: VG,
    OCF_RESKEY_connect_timeout: '3',
    ...Object.fromEntries(
      Object.entries(params).map(([k, v]) => [/^(OCF|HA)_/.test(k) ? k : `OCF_RESKEY_${k}`, v]),
    ),
  };
  const r = await vm.exec(['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), AGENT, action], {
    timeoutS: 150,
  });
  const reason =
    r.stderr
      .split('\n')
      .find((l) => l.startsWith('ocf-exit-reason:'))
      ?.slice('ocf-exit-reason:'.length) ?? '';
  return { code: r.code, reason, stderr: r.stderr };
}

const sh = (vm: Vm, script: string): Promise<string> => vm.run(['/bin/sh', '-c', script], { timeoutS: 120 });
const drbdState = (vm: Vm): Promise<string> =>
  sh(vm, `drbdadm role ${RES} 2>&1; drbdadm dstate ${RES} 2>&1; cat /proc/drbd`);
const vgState = (vm: Vm): Promise<string> =>
  sh(
    vm,
    `vgs --foreign --noheadings -o vg_name,vg_systemid ${VG} 2>&1; lvs --foreign --noheadings -o lv_name,lv_attr ${VG} 2>&1; true`,
  );

async function expectCode(
  vm: Vm,
  name: string,
  action: string,
  want: number,
  params: Record<string, string> = {},
  ocf11 = true,
  reason?: RegExp,
): Promise<AgentRun> {
  const r = await agent(vm, action, params, ocf11);
  const reasonOk = reason === undefined || reason.test(r.reason);
  check(
    name,
    r.code === want && reasonOk,
    `${action} → ${r.code} (want ${want})${r.reason ? `: ${r.reason}` : ''}`,
  );
  if (r.code !== want) log(`${name}: stderr: ${r.stderr.trim().slice(-800)}`);
  return r;
}

/** Runs the client's own command line of a VM LVM recording (test/fixtures/commands.ts) and files its output. */
async function recordLvm(vm: Vm, name: string): Promise<string> {
  const argv = (await vmLvmRecordings()).find((c) => c.name === name)?.argv;
  if (argv === undefined) throw new Error(`no VM LVM recording named ${name}`);
  const r = await vm.exec(['env', 'LVM_SUPPRESS_FD_WARNINGS=1', ...argv], { timeoutS: 60 });
  await mkdir(recordDir, { recursive: true });
  await writeFile(path.join(recordDir, `${name}.stdout`), r.stdout);
  if (r.stderr !== '') await writeFile(path.join(recordDir, `${name}.stderr`), r.stderr);
  await writeFile(path.join(recordDir, `${name}.cmd`), `${argv.join(' ')}\t${r.code}\n`);
  log(`recorded ${name} (exit ${r.code}): ${r.stdout.replace(/\s+/g, ' ')} ${r.stderr.trim()}`);
  return `${r.stdout}${r.stderr}`;
}

const lvActive = async (vm: Vm): Promise<boolean> => /-wi-a/.test(await vgState(vm));
const LVM_CONF = '/etc/lvm/lvm.conf';
const LVM_CONF_GOOD = '/root/lvm.conf.provisioned';

/**
 * The LVM filter: with one that lets LVM see the backing disk /dev/vdb too, validate-all, start and promote
 * answer 5 naming the device and the lvm.conf setting, and change nothing; with the provisioned one (only
 * /dev/drbd*) the rest of this scenario is the proof that there is no false alarm.
 */
async function lvmFilter(vm: Vm): Promise<void> {
  await recordLvm(vm, 'lvmconfig-use-devicesfile');
  log(
    `devices file tools: ${(await sh(vm, 'command -v pvs; command -v lvmdevices || echo no lvmdevices; ls /etc/lvm/devices 2>&1; true')).replace(/\n/g, ' ')}`,
  );
  await sh(vm, `cp -p ${LVM_CONF} ${LVM_CONF_GOOD} && sed -i '${backingDiskFilterSed}' ${LVM_CONF}`);
  const conf = await sh(vm, `grep -E '^ *(global_)?filter' ${LVM_CONF}`);
  check('filter-wrong-set', (conf.match(/\/dev\/vdb/g) ?? []).length === 2, conf.replace(/\s+/g, ' ').trim());
  const refusal = /\/dev\/vdb.*global_filter/;
  try {
    await expectCode(vm, 'filter-wrong-validate-all', 'validate-all', 5, {}, true, refusal);
    await expectCode(vm, 'filter-wrong-start', 'start', 5, {}, true, refusal);
    const down = await drbdState(vm);
    check(
      'filter-wrong-start-left-drbd-down',
      /minor not allocated|No such resource/.test(down),
      down.split('\n')[0] ?? '',
    );
    // DRBD up by hand: a Secondary's LVM sees the VG on the raw backing disk.
    await sh(vm, `drbdadm up ${RES}`);
    const secondary = await recordLvm(vm, 'pvs-backing-secondary');
    check(
      'filter-wrong-secondary-sees-vdb',
      /"pv_name":"\/dev\/vdb", "vg_name":"vg_lxc1"/.test(secondary),
      '',
    );
    await expectCode(vm, 'filter-wrong-promote-secondary', 'promote', 5, {}, true, refusal);
    const stayed = await drbdState(vm);
    check(
      'filter-wrong-promote-left-secondary',
      /^Secondary\//m.test(stayed) && !(await lvActive(vm)),
      stayed.split('\n')[0] ?? '',
    );
    // Primary by hand: LVM sees the PV twice (duplicate PVs) and uses /dev/drbd0.
    await sh(vm, `drbdadm primary ${RES}`);
    const primary = await recordLvm(vm, 'pvs-backing-primary');
    check('filter-wrong-primary-duplicate-warning', /Not using device \/dev\/vdb for PV/.test(primary), '');
    await expectCode(
      vm,
      'filter-wrong-promote-duplicates',
      'promote',
      5,
      {},
      true,
      /duplicate PVs.*global_filter/,
    );
    await expectCode(vm, 'filter-wrong-start-when-up', 'start', 5, {}, true, refusal);
    check(
      'filter-wrong-promote-left-vg-inactive',
      !(await lvActive(vm)),
      (await vgState(vm)).replace(/\s+/g, ' ').trim(),
    );
  } finally {
    await sh(vm, `cp -p ${LVM_CONF_GOOD} ${LVM_CONF}`);
  }
  await recordLvm(vm, 'pvs-drbd-primary');
  await sh(vm, `drbdadm secondary ${RES}`);
  await recordLvm(vm, 'pvs-drbd-secondary');
  await sh(vm, `drbdadm down ${RES}`);
  await expectCode(vm, 'filter-restored-validate-all', 'validate-all', 0);
}

async function scenario(vm: Vm): Promise<void> {
  // No Pacemaker runs in this VM, so the fence-peer handler cannot place its constraint, and DRBD with
  // `fencing resource-only` or `resource-and-stonith` (whichever provisioning wrote) would refuse to
  // promote without the (absent) peer outdated. The fencing path is proved by the two-node cluster;
  // here the policy is dropped so the agent itself is what is tested.
  await sh(
    vm,
    `sed -i 's/fencing [a-z-]*;/fencing dont-care;/' /etc/drbd.d/${RES}.res && grep -q 'fencing dont-care' /etc/drbd.d/${RES}.res`,
  );
  // Storage as the cluster uses it, on this node alone: metadata, UpToDate by force, VG with two LVs.
  await sh(
    vm,
    `modprobe drbd; drbdadm down ${RES} 2>/dev/null; yes yes | drbdadm -- --force create-md ${RES} >/dev/null 2>&1; drbdadm up ${RES}`,
  );
  await sh(
    vm,
    `drbdadm primary --force ${RES} && pvcreate -ff -y /dev/drbd0 >/dev/null && vgcreate ${VG} /dev/drbd0 >/dev/null && lvcreate -y -L 16M -n lv0 ${VG} >/dev/null && lvcreate -y -L 16M -n lv1 ${VG} >/dev/null && vgchange -an ${VG} >/dev/null && drbdadm secondary ${RES} && drbdadm down ${RES}`,
  );
  log('storage ready: r0 UpToDate, vg_lxc1 with lv0 and lv1, all down');

  await expectCode(vm, 'validate-all', 'validate-all', 0);
  await expectCode(
    vm,
    'validate-unknown-resource',
    'validate-all',
    5,
    { drbd_resource: 'nosuch' },
    true,
    /not configured on this node/,
  );
  await expectCode(vm, 'probe-down', 'monitor', 7);
  await lvmFilter(vm);
  await expectCode(vm, 'start', 'start', 0);
  const afterStart = await drbdState(vm);
  check('start-secondary', /^Secondary\//m.test(afterStart), afterStart.split('\n')[0] ?? '');
  await editedOptionTakesEffect(vm, RES, () => agent(vm, 'start'), check);
  await expectCode(vm, 'probe-unpromoted-peer-gone-ocf11', 'monitor', 0);
  await expectCode(vm, 'monitor-unpromoted-peer-gone-ocf11', 'monitor', 190, recurring);
  await expectCode(vm, 'monitor-unpromoted-ocf10', 'monitor', 0, {}, false);
  await frozenNeighbour(
    vm,
    (action, params) => agent(vm, action, params),
    check,
    (name) => recordLvm(vm, name),
  );
  await expectCode(vm, 'promote', 'promote', 0);
  const vgAfterPromote = await vgState(vm);
  check(
    'promote-vg-owned-and-active',
    /vg_lxc1\s+node1/.test(vgAfterPromote) && /lv0\s+-wi-a/.test(vgAfterPromote),
    vgAfterPromote.replace(/\s+/g, ' ').trim(),
  );
  await expectCode(vm, 'monitor-promoted-ocf10', 'monitor', 8, {}, false);
  await expectCode(vm, 'probe-promoted-peer-gone-ocf11', 'monitor', 8);
  await expectCode(vm, 'monitor-promoted-peer-gone-ocf11', 'monitor', 191, recurring);

  await sh(vm, `vgchange -an ${VG} >/dev/null`);
  await expectCode(
    vm,
    'monitor-vg-deactivated-behind-back',
    'monitor',
    9,
    {},
    false,
    /volume group vg_lxc1 is not active/,
  );
  await expectCode(vm, 'promote-again-reactivates', 'promote', 0);
  await expectCode(vm, 'monitor-after-reactivation', 'monitor', 8, {}, false);

  // A process holds lv0 open: demote must refuse and name it.
  await vm.run([
    'systemd-run',
    '--unit=lxcha-holdlv',
    '/bin/sh',
    '-c',
    `exec 3</dev/${VG}/lv0; exec sleep 600`,
  ]);
  await sh(
    vm,
    'for i in $(seq 50); do systemctl is-active -q lxcha-holdlv && ls -l /proc/$(systemctl show -p MainPID --value lxcha-holdlv)/fd | grep -q dm- && exit 0; sleep 0.2; done; exit 1',
  );
  const holderPid = (await sh(vm, 'systemctl show -p MainPID --value lxcha-holdlv')).trim();
  await expectCode(
    vm,
    'demote-refused-lv-open',
    'demote',
    1,
    {},
    true,
    new RegExp(`vg_lxc1/lv0 is open in process ${holderPid} \\(sleep\\)`),
  );
  const stillPrimary = await drbdState(vm);
  check(
    'demote-refused-changed-nothing',
    /^Primary\//m.test(stillPrimary) && /lv0\s+-wi-ao/.test(await vgState(vm)),
    stillPrimary.split('\n')[0] ?? '',
  );
  await sh(vm, 'systemctl stop lxcha-holdlv');
  // As pacemaker-execd runs it on Debian (HA_LOGFACILITY=daemon): its line goes to the journal over
  // journald's stream socket, with no logger process.
  const demoted = await expectCode(vm, 'demote', 'demote', 0, { HA_LOGFACILITY: 'daemon' });
  check('demote-secondary', /^Secondary\//m.test(await drbdState(vm)), '');
  const demotePid = /drbd-lvm\(drbdlvm\)\[(\d+)\]: INFO: demoted:/.exec(demoted.stderr)?.[1] ?? 'none';
  const journal = await sh(
    vm,
    `for i in $(seq 25); do journalctl -q -o json --no-pager _PID=${demotePid} | grep -F '"MESSAGE":"demoted:' && exit 0; sleep 0.2; done; exit 0`,
  );
  const entry = (journal.trim().split('\n').at(-1) ?? '') || '{}';
  const fields = JSON.parse(entry) as Record<string, string>;
  check(
    'demote-line-in-journal-over-stream',
    fields.SYSLOG_IDENTIFIER === 'drbd-lvm(drbdlvm)' &&
      fields.PRIORITY === '6' &&
      fields.SYSLOG_FACILITY === '3' &&
      fields._TRANSPORT === 'stdout',
    `pid ${demotePid}: ${['SYSLOG_IDENTIFIER', 'PRIORITY', 'SYSLOG_FACILITY', '_TRANSPORT', 'MESSAGE'].map((k) => `${k}=${fields[k] ?? '-'}`).join(' ')}`,
  );
  // The demote removed the plain LVs' mappings with dmsetup, not vgchange: the kernel must map none of the
  // VG's devices, and udev must have taken their /dev/VG links with them. (LVM itself cannot see the VG on a
  // Secondary; the promotes below activate it again from this state.)
  const mapped = (await sh(vm, `dmsetup info -c --noheadings -o name -S 'vg_name="${VG}"' 2>&1`)).trim();
  check('demote-kernel-maps-none', mapped === '' || mapped === 'No devices found', mapped);
  const links = (await sh(vm, `ls /dev/${VG} 2>/dev/null; ls /dev/mapper | grep ${VG} ; true`)).trim();
  check('demote-no-lv-device-nodes', links === '', links);

  // A dead owner's system ID: taken over only once DRBD made this node Primary.
  await sh(
    vm,
    `drbdadm primary ${RES} && vgchange -y --systemid node2 ${VG} >/dev/null 2>&1; drbdadm secondary ${RES}`,
  );
  await expectCode(vm, 'promote-takes-over-dead-owner', 'promote', 0);
  const taken = await vgState(vm);
  check('takeover-system-id', /vg_lxc1\s+node1/.test(taken), taken.replace(/\s+/g, ' ').trim());
  await expectCode(vm, 'demote-after-takeover', 'demote', 0);

  // Tagging instead of system IDs: lvm.conf lets this node activate only VGs tagged node1. A stale
  // owner's tag (node2) is stripped only once DRBD made this node Primary; stop of a promoted resource.
  const tagging = { exclusivity: 'tagging', tag: 'node1' };
  await sh(
    vm,
    `drbdadm primary ${RES} && vgchange -y --systemid '' ${VG} >/dev/null 2>&1; vgchange --addtag node2 ${VG} >/dev/null && drbdadm secondary ${RES}`,
  );
  await sh(
    vm,
    `sed -i 's/^activation {/activation {\\n    volume_list = [ "@node1" ]/' /etc/lvm/lvm.conf && lvmconfig activation/volume_list`,
  );
  await expectCode(vm, 'tagging-validate', 'validate-all', 0, tagging);
  await expectCode(
    vm,
    'tagging-validate-foreign-tag-only',
    'validate-all',
    5,
    { exclusivity: 'tagging', tag: 'node9' },
    true,
    /"@node9"/,
  );
  await sh(vm, `drbdadm primary ${RES} && vgchange -ay ${VG} >/dev/null 2>&1; true`);
  const refusedByFilter = await vgState(vm);
  check(
    'tagging-untagged-vg-not-activated-by-hand',
    !/-wi-a/.test(refusedByFilter),
    refusedByFilter.replace(/\s+/g, ' ').trim(),
  );
  await sh(vm, `drbdadm secondary ${RES}`);
  await expectCode(vm, 'tagging-promote-strips-stale-tag', 'promote', 0, tagging);
  const tags = await sh(vm, `vgs --noheadings -o vg_tags ${VG}; lvs --noheadings -o lv_name,lv_attr ${VG}`);
  check(
    'tagging-own-tag-only-and-active',
    /^\s*node1\s*$/m.test(tags) && /lv0\s+-wi-a/.test(tags),
    tags.replace(/\s+/g, ' ').trim(),
  );
  await expectCode(vm, 'tagging-monitor', 'monitor', 8, tagging, false);
  await expectCode(vm, 'tagging-stop-while-promoted', 'stop', 0, tagging);
  check('tagging-stop-took-drbd-down', /minor not allocated|No such resource/.test(await drbdState(vm)), '');
  await sh(vm, `sed -i '/volume_list = .*@node1/d' /etc/lvm/lvm.conf`);
  await expectCode(vm, 'start-after-tagging', 'start', 0);

  // Outdated data is never promoted.
  await expectCode(vm, 'stop', 'stop', 0);
  await sh(vm, `drbdadm outdate ${RES}`);
  await expectCode(vm, 'start-outdated', 'start', 0);
  await expectCode(vm, 'monitor-outdated', 'monitor', 0);
  await expectCode(vm, 'promote-outdated-refused', 'promote', 1, {}, true, /local data is Outdated/);
  const outdated = await drbdState(vm);
  check(
    'outdated-stays-secondary',
    /^Secondary\//m.test(outdated) && /^Outdated\//m.test(outdated),
    outdated.split('\n').slice(0, 2).join(' '),
  );

  // Bad input: code 6, exit reason, and nothing changes in DRBD or LVM.
  const before = `${await drbdState(vm)}${await vgState(vm)}`;
  for (const [name, params] of [
    ['bad-vgname', { vgname: 'vg;reboot' }],
    ['bad-drbd-resource', { drbd_resource: '-c/etc/passwd' }],
    ['bad-exclusivity', { exclusivity: 'clvm' }],
    ['bad-score', { score_uptodate_alone: 'many' }],
  ] as const) {
    // A recurring monitor (a probe depends only on the identity parameters, by design).
    for (const action of ['start', 'promote', 'demote', 'monitor'])
      await expectCode(
        vm,
        `${name}-${action}`,
        action,
        6,
        { ...params, OCF_RESKEY_CRM_meta_interval: '29000' },
        true,
        /parameter/,
      );
  }
  const after = `${await drbdState(vm)}${await vgState(vm)}`;
  check('bad-input-changed-nothing', before === after, '');

  await expectCode(vm, 'stop-final', 'stop', 0);
  await expectCode(vm, 'stop-again', 'stop', 0);
  await expectCode(vm, 'monitor-stopped', 'monitor', 7);
  await sh(vm, 'rmmod drbd');
  await expectCode(vm, 'stop-module-absent', 'stop', 0);
  await expectCode(vm, 'probe-module-absent', 'monitor', 7);
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.log('FAIL drbd-lvm-vm must run as root');
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = path.join('/var/tmp', `lxcha-drbd-lvm-vm-${stamp}`);
  const logDir = path.join(repo, '.test-logs/drbd-lvm-vm', stamp);
  recordDir = path.join(logDir, 'lvm');
  await mkdir(logDir, { recursive: true });
  const image = await ensureImage(repo);
  const cluster = new Cluster(repo, workDir, image);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: tearing down`);
      void cluster
        .teardown()
        .then(() => rm(workDir, { recursive: true, force: true }))
        .finally(() => process.exit(130));
    });
  }
  try {
    await cluster.create();
    const vm = cluster.vm('node1');
    const { seconds } = await timed(() => cluster.boot(vm));
    log(`node1 booted in ${seconds.toFixed(0)}s (node2 stays off: the peer is absent)`);
    await cluster.provision(vm, 'suite');
    await scenario(vm);
    await lxcLimitsOnCgroupV2(vm, check);
  } catch (error) {
    check('drbd-lvm-vm-harness', false, errorText(error));
  } finally {
    await cluster.teardown();
    await rm(workDir, { recursive: true, force: true });
  }
  const summary = results.summary('drbd-lvm-vm');
  console.log(summary);
  await writeFile(path.join(logDir, 'results'), `${results.lines.join('\n')}\n${summary}\n`);
  return results.failed === 0 ? 0 : 1;
}

void main().then((code) => {
  process.exitCode = code;
});
