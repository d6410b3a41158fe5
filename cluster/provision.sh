#!/bin/sh
# Configures one node of the lxcha two-node cluster: the emulated test VMs (harness) and the Vagrant
# machines (Vagrantfile) both run this. Idempotent. Usage: provision.sh NODE_NAME
# Environment:
#   DRBD_DISKS       backing disks of the DRBD resources, in cluster.env's order (default: cluster.env)
#   RING_IF REPL_IF  interfaces to give the cluster/replication addresses (unset: already configured)
#   AUTHKEY          corosync authkey file to install (unset: keep an existing one)
#   LXCHA_FENCE_PEER auto | suite | linbit: DRBD fence-peer handler (auto: the suite's when installed)
#   LXCHA_DIST       folder holding lxcha_<version>_all.deb (`npm run package`, installed) or ocf/
#                    (`npm run build`, copied) (optional)
#   LXCHA_DRBD_FENCING resource-only (default: for clusters without STONITH) | resource-and-stonith
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
. "$here/resources.sh"
node=${1:?usage: provision.sh NODE_NAME}
case "$node" in
  "$NODE1") ring=$NODE1_RING repl=$NODE1_REPL ;;
  "$NODE2") ring=$NODE2_RING repl=$NODE2_REPL ;;
  *) echo "provision.sh: unknown node $node (cluster.env knows $NODE1 and $NODE2)" >&2; exit 2 ;;
esac
dist=${LXCHA_DIST:-}
fencing=${LXCHA_DRBD_FENCING:-resource-only}
case "$fencing" in
  resource-only|resource-and-stonith) ;;
  *) echo "provision.sh: LXCHA_DRBD_FENCING must be resource-only or resource-and-stonith, not '$fencing'" >&2; exit 2 ;;
esac

hostname "$node"
echo "$node" > /etc/hostname
grep -q "^127.0.0.1[[:space:]]*localhost" /etc/hosts 2>/dev/null || echo "127.0.0.1 localhost" >> /etc/hosts
sed -i "/# lxcha$/d" /etc/hosts
printf '%s %s # lxcha\n%s %s # lxcha\n' "$NODE1_RING" "$NODE1" "$NODE2_RING" "$NODE2" >> /etc/hosts

if [ -n "${RING_IF:-}" ] && [ -n "${REPL_IF:-}" ]; then
  mkdir -p /etc/network/interfaces.d
  grep -q 'interfaces.d' /etc/network/interfaces 2>/dev/null || echo 'source /etc/network/interfaces.d/*' >> /etc/network/interfaces
  cat > /etc/network/interfaces.d/lxcha <<NET
auto $RING_IF
iface $RING_IF inet static
    address $ring/$NET_PREFIX

auto $REPL_IF
iface $REPL_IF inet static
    address $repl/$NET_PREFIX
NET
  ifup "$RING_IF" "$REPL_IF" 2>/dev/null || { ifdown --force "$RING_IF" "$REPL_IF" 2>/dev/null || true; ifup "$RING_IF" "$REPL_IF"; }
fi

fill() { # template -> stdout, @NAME@ replaced by the variable NAME (per-resource ones: after res_vars)
  sed -e "s|@CLUSTER_NAME@|$CLUSTER_NAME|g" -e "s|@NODE1@|$NODE1|g" -e "s|@NODE2@|$NODE2|g" \
      -e "s|@NODE1_RING@|$NODE1_RING|g" -e "s|@NODE2_RING@|$NODE2_RING|g" \
      -e "s|@NODE1_REPL@|$NODE1_REPL|g" -e "s|@NODE2_REPL@|$NODE2_REPL|g" \
      -e "s|@DRBD_RES@|${DRBD_RES:-}|g" -e "s|@DRBD_MINOR@|${DRBD_MINOR:-}|g" -e "s|@DRBD_PORT@|${DRBD_PORT:-}|g" \
      -e "s|@DRBD_DISK@|${DRBD_DISK:-}|g" -e "s|@VG@|${VG:-}|g" \
      -e "s|@FENCE_PEER@|$fence_peer|g" -e "s|@AFTER_RESYNC_TARGET@|$after_resync|g" \
      -e "s|@DRBD_FENCING@|$fencing|g" "$1"
}

# DRBD resource-level fencing: the suite's handler once built, drbd-utils' crm scripts until then.
mode=${LXCHA_FENCE_PEER:-auto}
handlers=/usr/lib/ocf/lib/lxcha
# The suite: the Debian package when dist holds one (`npm run package`; installed offline, every
# dependency is in the image or was installed by install-packages.sh), else the built OCF tree (launchers,
# agent bundles, handlers) where install-agents puts it.
deb=
if [ -n "$dist" ]; then
  for f in "$dist"/lxcha_*_all.deb; do [ -f "$f" ] && deb=$f; done
fi
if [ -n "$deb" ]; then
  cp "$deb" /tmp/lxcha.deb
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Acquire::Languages=none /tmp/lxcha.deb >/tmp/lxcha-deb.log 2>&1 || {
    cat /tmp/lxcha-deb.log >&2
    echo "provision.sh: apt-get install $(basename "$deb") failed" >&2
    exit 1
  }
  rm -f /tmp/lxcha.deb
  echo "lxcha package: $(dpkg-query -W -f='${Package} ${Version} ${Status}' lxcha)"
elif [ -n "$dist" ] && [ -d "$dist/ocf" ]; then
  cp -rf "$dist"/ocf/. /usr/lib/ocf/
  chmod 755 /usr/lib/ocf/resource.d/lxcha/* "$handlers"/fence-peer "$handlers"/unfence-peer
fi
if [ -x /usr/lib/ocf/resource.d/lxcha/lxc ]; then
  # An agent's first run starts the build of its startup snapshot (docs/speed.md), drbd-lvm's also that of
  # DRBD's fence-peer handler; wait for the three blobs so that Pacemaker's first calls (and DRBD's first
  # fence) find them, as install-agents does on a live system.
  # (usage: meta-data is a file the launcher prints, which starts no node.)
  for agent in /usr/lib/ocf/resource.d/lxcha/*; do "$agent" usage >/dev/null 2>&1 || true; done
  n=0
  while [ "$n" -lt 300 ] && [ "$(ls /run/lxcha/snapshots/ 2>/dev/null | grep -c '\.blob$')" -lt 3 ]; do
    sleep 1; n=$((n + 1))
  done
  ls -l /run/lxcha/snapshots/ 2>/dev/null || true
fi
if [ "$mode" = auto ]; then
  if [ -x "$handlers/fence-peer" ]; then mode=suite; else mode=linbit; fi
fi
if [ "$mode" = suite ]; then
  fence_peer="$handlers/fence-peer"
  after_resync="$handlers/unfence-peer"
else
  fence_peer=/usr/lib/drbd/crm-fence-peer.sh
  after_resync=/usr/lib/drbd/crm-unfence-peer.sh
fi
echo "$mode" > /etc/lxcha-fence-peer-mode

mkdir -p /etc/corosync /etc/drbd.d /var/log/corosync
fill "$here/templates/corosync.conf" > /etc/corosync/corosync.conf
if [ -n "${AUTHKEY:-}" ]; then
  install -m 0400 "$AUTHKEY" /etc/corosync/authkey
fi
for res in $RESOURCES; do
  res_vars "$res"
  fill "$here/templates/drbd.res" > "/etc/drbd.d/$DRBD_RES.res"
  mkdir -p "$CONFIG_FS"
done
[ -f /etc/lvm/lvm.conf.orig ] || cp /etc/lvm/lvm.conf /etc/lvm/lvm.conf.orig
fill "$here/templates/lvm.conf" > /etc/lvm/lvm.conf

install -m 0755 "$here/fence_lxcha" /usr/sbin/fence_lxcha

modprobe drbd
systemctl enable corosync.service pacemaker.service >/dev/null 2>&1
echo "provisioned $node (DRBD resources: $RESOURCES; fence-peer: $mode; fencing $fencing)"
