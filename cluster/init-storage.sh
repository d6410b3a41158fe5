#!/bin/sh
# One-time storage of the lxcha cluster, before Pacemaker manages it. Run in this order:
#   init-storage.sh md        on both nodes: DRBD metadata, resource up (connects to the peer)
#   init-storage.sh populate  on one node: skip the initial sync, make the VG, LVs, /lxc1 and the
#                             busybox containers, then hand everything back (Secondary)
#   init-storage.sh down      on both nodes: DRBD down, for Pacemaker to bring up
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
res=$DRBD_RES
dev=/dev/drbd$DRBD_MINOR

wait_for() { # seconds, description, command...: bounded poll on a real state
  limit=$1; what=$2; shift 2
  i=0
  while ! "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -le "$((limit * 2))" ] || { echo "timed out after ${limit}s waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
cstate_is() { [ "$(drbdadm cstate "$res" 2>/dev/null)" = "$1" ]; }
dstate_is() { [ "$(drbdadm dstate "$res" 2>/dev/null)" = "$1" ]; }

case "${1:-}" in
  md)
    modprobe drbd
    drbdadm down "$res" 2>/dev/null || true
    yes yes | drbdadm -- --force create-md "$res"
    drbdadm up "$res"
    ;;
  populate)
    wait_for 120 "$res Connected" cstate_is Connected
    # Fresh metadata on both sides: no initial sync needed.
    drbdadm -- --clear-bitmap new-current-uuid "$res"
    wait_for 60 "$res UpToDate/UpToDate" dstate_is UpToDate/UpToDate
    drbdadm primary "$res"
    pvcreate -ff -y "$dev"
    vgcreate "$VG" "$dev"
    lvcreate -y -L 16M -n config "$VG"
    mkfs.ext4 -q -L config "/dev/$VG/config"
    mkdir -p "$CONFIG_FS"
    mount "/dev/$VG/config" "$CONFIG_FS"
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
        [ "$ct" = "ct1" ] && echo "::respawn:/bin/sh /bin/seqwriter"
        # The graceful-stop scenario looks for this marker: proof of an orderly shutdown.
        echo "::shutdown:/bin/sh -c 'date +%s >> /shared/shutdown-marker; sync'"
      } > "$root/etc/inittab"
      umount "$root" && rmdir "$root"
    done
    umount "$CONFIG_FS"
    vgchange -an "$VG"
    drbdadm secondary "$res"
    ;;
  down)
    drbdadm down "$res"
    ;;
  *) echo "usage: init-storage.sh md|populate|down" >&2; exit 2 ;;
esac
