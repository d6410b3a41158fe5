#!/bin/sh
# One-time storage of the lxcha cluster, before Pacemaker manages it. Run in this order:
#   init-storage.sh md [RES...]        on both nodes: DRBD metadata, resource up (connects to the peer)
#   init-storage.sh populate [RES...]  on one node per resource: skip the initial sync, make the VG, LVs,
#                                      the config filesystem and the busybox containers, then hand
#                                      everything back (Secondary)
#   init-storage.sh down [RES...]      on both nodes: DRBD down, for Pacemaker to bring up
# Without RES: every resource of cluster.env (r0 with vg_lxc1 and /lxc1, r1 with vg_lxc2 and /lxc2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
. "$here/resources.sh"

wait_for() { # seconds, description, command...: bounded poll on a real state
  limit=$1; what=$2; shift 2
  i=0
  while ! "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -le "$((limit * 2))" ] || { echo "timed out after ${limit}s waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
cstate_is() { [ "$(drbdadm cstate "$DRBD_RES" 2>/dev/null)" = "$1" ]; }
dstate_is() { [ "$(drbdadm dstate "$DRBD_RES" 2>/dev/null)" = "$1" ]; }

md() {
  modprobe drbd
  drbdadm down "$DRBD_RES" 2>/dev/null || true
  yes yes | drbdadm -- --force create-md "$DRBD_RES"
  drbdadm up "$DRBD_RES"
}

populate() {
  dev=/dev/drbd$DRBD_MINOR
  wait_for 120 "$DRBD_RES Connected" cstate_is Connected
  # Fresh metadata on both sides: no initial sync needed.
  drbdadm -- --clear-bitmap new-current-uuid "$DRBD_RES"
  wait_for 60 "$DRBD_RES UpToDate/UpToDate" dstate_is UpToDate/UpToDate
  drbdadm primary "$DRBD_RES"
  pvcreate -ff -y "$dev"
  vgcreate "$VG" "$dev"
  lvcreate -y -L 16M -n config "$VG"
  mkfs.ext4 -q -L "config-$DRBD_RES" "/dev/$VG/config"
  mkdir -p "$CONFIG_FS"
  mount "/dev/$VG/config" "$CONFIG_FS"
  writer=${CONTAINERS%% *}
  for ct in $CONTAINERS; do
    lxc-create -n "$ct" -P "$CONFIG_FS" -t busybox -f "$here/container.conf" \
      -B lvm --vgname "$VG" --lvname "$ct" --fssize 48M --fstype ext4 >/dev/null
    mkdir -p "$CONFIG_FS/$ct/shared"
    cat >> "$CONFIG_FS/$ct/config" <<CONF
lxc.mount.entry = $CONFIG_FS/$ct/shared shared none bind,create=dir 0 0
lxc.console.logfile = $CONFIG_FS/$ct/console.log
CONF
    root=$CONFIG_FS/$ct/rootfs.mnt
    mkdir -p "$root" && mount "/dev/$VG/$ct" "$root"
    cp "$here/seqwriter" "$root/bin/seqwriter"
    { echo "::sysinit:/etc/init.d/rcS"
      # The first container of each VG runs the data scenario's writer.
      [ "$ct" = "$writer" ] && echo "::respawn:/bin/sh /bin/seqwriter"
      # The graceful-stop scenario looks for this marker: proof of an orderly shutdown.
      echo "::shutdown:/bin/sh -c 'date +%s >> /shared/shutdown-marker; sync'"
    } > "$root/etc/inittab"
    umount "$root" && rmdir "$root"
  done
  umount "$CONFIG_FS"
  vgchange -an "$VG"
  drbdadm secondary "$DRBD_RES"
}

step=${1:-}
[ "$#" -gt 0 ] && shift
case "$step" in
  md|populate|down) ;;
  *) echo "usage: init-storage.sh md|populate|down [RES...]" >&2; exit 2 ;;
esac
# Every name checked before anything is done.
for res in ${*:-$RESOURCES}; do res_vars "$res"; done
for res in ${*:-$RESOURCES}; do
  res_vars "$res"
  case "$step" in
    md) md ;;
    populate) populate ;;
    down) drbdadm down "$DRBD_RES" ;;
  esac
done
