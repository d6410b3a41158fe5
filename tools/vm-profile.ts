// Where an ocf:lxcha:lxc action spends its time on a cluster node: one emulated VM of the cluster harness
// (Debian 12's own node, TCG, one CPU), a busybox container, and inside the guest (timed by the guest's own
// clock, so the harness's polling is not counted): node's floor, lxc-info alone, our monitor with and
// without the startup snapshot, heartbeat's monitor, and our and heartbeat's stop and start, each lxc-*
// and logger call they make stamped by a PATH shim; and DRBD's fence-peer handler's own start, from its
// snapshot and without. A one-off measurement (not an npm test stage).
// Run: npm run build && node scripts/run-ts.mjs tools/vm-profile.ts [rounds] [all|handler|drbd-lvm|flags]
// (root; prints the guest's report; `handler` stops after the handler's part, `drbd-lvm` runs only the
// floor and drbd-lvm's traced actions, `flags` runs the handler's part, then node's start with and without
// --jitless and what requiring stream and child_process adds, alternated: docs/speed.md)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Cluster } from '../test/cluster/cluster.js';
import { ensureImage } from '../test/cluster/image.js';
import { errorText, log } from '../test/cluster/util.js';

const repo = process.cwd();
const rounds = Number.parseInt(process.argv[2] ?? '5', 10);
const part = ['handler', 'drbd-lvm', 'flags'].includes(process.argv[3] ?? '')
  ? (process.argv[3] as string)
  : 'all';

/** The guest's script: sh, argument arrays only, every figure in milliseconds from `date +%s%N`. */
const guestScript = String.raw`
set -u
R=${rounds}
P=/var/lib/lxc   # heartbeat's lxc-info has no -P: the default lxcpath serves both
N=lxcha-profile
OURS=/usr/lib/ocf/resource.d/lxcha/lxc
HB=/usr/lib/ocf/resource.d/heartbeat/lxc
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=p_profile OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
export OCF_RESKEY_CRM_meta_timeout=90000 OCF_RESKEY_container=$N OCF_RESKEY_lxcpath=$P
export OCF_RESKEY_config=$P/$N/config HA_LOGFACILITY=daemon
now() { date +%s%N; }
# median COUNT VALUES…: the middle of COUNT values (the lower one of the two middles for an even COUNT).
median() { n=$1; shift; printf '%s\n' "$@" | sort -n | sed -n "$(( (n + 1) / 2 ))p"; }
# t LABEL CMD…: runs CMD R times, prints each duration and the median.
t() {
  label=$1; shift; all=
  i=0
  while [ $i -lt $R ]; do
    s=$(now); "$@" >/dev/null 2>&1; rc=$?; e=$(now)
    all="$all $(( (e - s) / 1000000 ))"; i=$((i + 1))
  done
  med=$(median $R $all)
  echo "$label: median $med ms (rc $rc; runs$all)"
}
mkdir -p $P /tmp/shim; lxc-destroy -n $N -P $P -f >/dev/null 2>&1
printf '%s\n' 'lxc.net.0.type = empty' 'lxc.apparmor.profile = unconfined' > /tmp/profile.conf
lxc-create -n $N -P $P -t busybox -f /tmp/profile.conf >/dev/null 2>&1 || { echo 'lxc-create failed'; exit 1; }
# A trace shim per tool: one line "<ns since epoch> <tool> <args>" before it runs the real tool, one
# "<ns> <tool> exit <rc>" after it (two dates: each stamp costs the guest a date of its own).
for tool in lxc-info lxc-start lxc-stop lxc-wait lxc-attach lxc-cgroup lxc-unfreeze logger crm_attribute crm_node stat \
    drbdadm drbdsetup drbdmeta lvm vgs lvs pvs vgchange lvchange vgscan pvscan dmsetup udevadm blockdev; do
  real=$(command -v $tool) || continue
  printf '#!/bin/sh\necho "$(date +%%s%%N) %s $*" >> /tmp/trace\n%s "$@"\nrc=$?\necho "$(date +%%s%%N) %s exit $rc" >> /tmp/trace\nexit $rc\n' \
    $tool "$real" $tool > /tmp/shim/$tool
  chmod +x /tmp/shim/$tool
done
echo "== floor"
t 'node -e 0' node -e 0
t 'sh -c true' sh -c true
t 'date' date
t 'node, one spawnSync of true' node -e "require('child_process').spawnSync('true')"
t 'node, five spawnSync of true' node -e "for (let i = 0; i < 5; i++) require('child_process').spawnSync('true')"
echo "== DRBD's fence-peer handler (an invalid DRBD_RESOURCE: it answers 1 before running any command)"
FP=/usr/lib/ocf/lib/lxcha/fence-peer
ls -l /run/lxcha/snapshots/ 2>&1 | tail -n +2
t 'fence-peer (snapshot)' env LXCHA_FENCE_PEER_NO_SYSLOG=1 DRBD_RESOURCE=- $FP
t 'fence-peer (no snapshot)' env LXCHA_FENCE_PEER_NO_SYSLOG=1 DRBD_RESOURCE=- NODE_OPTIONS=--no-deprecation $FP
t 'fence-peer (snapshot, --timeout=60)' env LXCHA_FENCE_PEER_NO_SYSLOG=1 DRBD_RESOURCE=- $FP --timeout=60
[ ${part} = handler ] && { echo "== done"; exit 0; }
if [ ${part} = flags ]; then
  echo "== node's flags: lxc monitor of a stopped container from blobs built with and without --jitless, alternated"
  BUNDLE=/usr/lib/ocf/lib/lxcha/agents/lxc.js
  J='--jitless --no-expose-wasm'
  cd /tmp
  node --snapshot-blob /tmp/plain.blob --build-snapshot $BUNDLE >/dev/null 2>&1 || echo 'plain build failed'
  node $J --snapshot-blob /tmp/jitless.blob --build-snapshot $BUNDLE >/dev/null 2>&1 || echo 'jitless build failed'
  # ab LABEL-A LABEL-B: R*3 alternated runs of "$A" and "$B" (set by the caller), each one's median.
  ab() {
    a=; b=; i=0
    while [ $i -lt $((R * 3)) ]; do
      s=$(now); eval "$A" >/dev/null 2>&1; e=$(now); a="$a $(( (e - s) / 1000000 ))"
      s=$(now); eval "$B" >/dev/null 2>&1; e=$(now); b="$b $(( (e - s) / 1000000 ))"
      i=$((i + 1))
    done
    echo "$1: median $(median $((R * 3)) $a) ms (runs$a)"
    echo "$2: median $(median $((R * 3)) $b) ms (runs$b)"
  }
  A='node --snapshot-blob /tmp/plain.blob monitor'; B="node --snapshot-blob /tmp/jitless.blob $J monitor"
  ab 'monitor, plain blob' 'monitor, jitless blob'
  A='node -e 0'; B="node $J -e 0"
  ab 'node -e 0' 'node --jitless -e 0'
  A="node $J -e 0"; B="node $J -e \"require('stream')\""
  ab 'node --jitless -e 0' 'node --jitless, require stream'
  A="node $J -e \"require('stream')\""; B="node $J -e \"require('child_process')\""
  ab 'node --jitless, require stream' 'node --jitless, require child_process'
  echo "== done"; exit 0
fi
# traced LABEL AGENT ACTION: one run with the shims first on PATH; prints each stamp's offset from the start.
traced() {
  : > /tmp/trace
  s=$(now)
  PATH=/tmp/shim:$PATH "$2" "$3" > /tmp/out 2>&1; rc=$?
  e=$(now)
  echo "-- $1 $3: $(( (e - s) / 1000000 )) ms, rc $rc"
  while read -r at rest; do echo "   +$(( (at - s) / 1000000 )) ms $rest"; done < /tmp/trace
  grep -v '^$' /tmp/out | sed 's/^/   | /' | head -8
}
if [ ${part} = all ]; then
echo "== stopped container"
t 'lxc-info -s -H' lxc-info -n $N -P $P -s -H
t 'lxcha monitor (first: builds the snapshot)' $OURS monitor
i=0; while [ $i -lt 120 ] && ! ls /run/lxcha/snapshots/lxc_*.blob >/dev/null 2>&1; do sleep 1; i=$((i + 1)); done
sleep 2
ls -l /run/lxcha/snapshots/ 2>&1 | tail -n +2
t 'lxcha meta-data (the launcher prints the file)' $OURS meta-data
t 'heartbeat meta-data' $HB meta-data
t 'lxcha monitor (snapshot)' $OURS monitor
t 'lxcha monitor (no snapshot)' env NODE_OPTIONS=--no-deprecation $OURS monitor
t 'heartbeat monitor' $HB monitor
echo "== running container"
$OURS start >/dev/null 2>&1
t 'lxc-info -s -H' lxc-info -n $N -P $P -s -H
t 'lxc-info -s -p -H' lxc-info -n $N -P $P -s -p -H
lxc-info -n $N -P $P -s -p -H
t 'lxcha monitor (snapshot)' $OURS monitor
t 'heartbeat monitor' $HB monitor
$OURS stop >/dev/null 2>&1
echo "== start and stop (traced)"
i=0
while [ $i -lt 3 ]; do
  traced lxcha $OURS start
  traced lxcha $OURS stop
  traced heartbeat $HB start
  traced heartbeat $HB stop
  i=$((i + 1))
done
echo "== start and stop (untraced)"
t 'lxcha start+stop' sh -c "$OURS start && $OURS stop"
t 'heartbeat start+stop' sh -c "$HB start && $HB stop"
lxc-stop -n $N -P $P -k >/dev/null 2>&1
lxc-destroy -n $N -P $P -f >/dev/null 2>&1
fi
echo "== drbd-lvm on r0 alone (peer absent; no Pacemaker: crm_attribute fails), traced"
DL=/usr/lib/ocf/resource.d/lxcha/drbd-lvm
sed -i 's/fencing [a-z-]*;/fencing dont-care;/' /etc/drbd.d/r0.res
modprobe drbd; drbdadm down r0 2>/dev/null; yes yes | drbdadm -- --force create-md r0 >/dev/null 2>&1; drbdadm up r0
drbdadm primary --force r0 && pvcreate -ff -y /dev/drbd0 >/dev/null && vgcreate vg_lxc1 /dev/drbd0 >/dev/null &&
  lvcreate -y -L 16M -n lv0 vg_lxc1 >/dev/null && vgchange -an vg_lxc1 >/dev/null && drbdadm secondary r0 && drbdadm down r0
export OCF_RESOURCE_INSTANCE=p_drbdlvm OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_vgname=vg_lxc1 OCF_RESKEY_connect_timeout=3
export OCF_RESKEY_CRM_meta_timeout=120000
i=0
while [ $i -lt 2 ]; do
  for action in start promote demote stop; do traced drbd-lvm $DL $action; done
  i=$((i + 1))
done
echo "== DRBD's own tools from sh, r0 up without its peer"
drbdadm up r0
t 'drbdsetup events2 --now r0' drbdsetup events2 --now r0
t 'drbdadm primary r0, then drbdadm secondary r0' sh -c 'drbdadm primary r0 && drbdadm secondary r0'
t 'drbdadm primary r0, then drbdsetup secondary 0 (8.4: the minor)' sh -c 'drbdadm primary r0 && drbdsetup secondary 0'
drbdadm down r0
echo "== done"
`;

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.log('vm-profile must run as root');
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = path.join('/var/tmp', `lxcha-vm-profile-${stamp}`);
  const logDir = path.join(repo, '.test-logs/vm-profile', stamp);
  await mkdir(logDir, { recursive: true });
  const cluster = new Cluster(repo, workDir, await ensureImage(repo));
  let code = 0;
  try {
    await cluster.create();
    const vm = cluster.vm('node1');
    await cluster.boot(vm);
    await cluster.provision(vm, 'suite');
    log('node1 provisioned; profiling');
    const r = await vm.exec(['/bin/sh', '-s'], { input: guestScript, timeoutS: 3600 });
    const report = `${r.stdout}${r.stderr === '' ? '' : `\nstderr:\n${r.stderr}`}`;
    console.log(report);
    await writeFile(path.join(logDir, 'report'), report);
    code = r.code;
  } catch (error) {
    console.log(`vm-profile failed: ${errorText(error)}`);
    code = 1;
  } finally {
    await cluster.teardown();
    await rm(workDir, { recursive: true, force: true });
  }
  return code;
}

void main().then((c) => {
  process.exitCode = c;
});
