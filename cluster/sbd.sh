#!/bin/sh
# SBD fencing of the Vagrant machines: a small disk shared by both nodes (poison-pill messages, one slot per
# node) and a watchdog in each (the hypervisor's i6300esb where there is one, else softdog). The first node
# writes the SBD header; the other waits for it, so the machines may provision in parallel.
# Usage: sbd.sh NODE DEVICE
# Timeouts hold under emulation (a qemu guest without KVM): watchdog 15 s, msgwait 30 s; Pacemaker's
# stonith-timeout (cib-base.crm, 180 s) covers msgwait plus the fence delay. A node that reads a reset
# message syncs before it reboots (sbd does that whatever SBD_TIMEOUT_ACTION says), and under DRBD's
# resource-and-stonith its I/O is frozen then, so the sync never returns: it dies only when its watchdog
# fires. The fence delay that decides a partition (vagrant-node.sh, 40 s) must outlast that watchdog, or
# the loser's own delayed shot lands first and both machines reboot (seen in test:vagrant with a 30 s
# watchdog and the emulated cluster's 20 s delay).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
node=${1:?usage: sbd.sh NODE DEVICE}
dev=${2:?usage: sbd.sh NODE DEVICE}
watchdog_timeout=${SBD_WATCHDOG:-15}
msgwait=${SBD_MSGWAIT:-30}

[ -b "$dev" ] || { echo "sbd.sh: $dev is not a block device (the shared SBD disk is missing)" >&2; exit 1; }
# Never an SBD header over data: the shared disk carries no filesystem, LVM, DRBD or partition signature
# (a DRBD backing disk shows its PV or DRBD meta data to blkid).
if blkid -p "$dev" >/dev/null 2>&1; then
  echo "sbd.sh: $dev carries a signature ($(blkid -p -o value -s TYPE "$dev" 2>/dev/null)); refusing to write an SBD header there" >&2; exit 1
fi

# The watchdog: i6300esb loads by itself where the hypervisor offers one; softdog otherwise.
[ -c /dev/watchdog ] || modprobe i6300esb 2>/dev/null || true
n=0
while [ ! -c /dev/watchdog ] && [ "$n" -lt 5 ]; do sleep 1; n=$((n + 1)); done
if [ ! -c /dev/watchdog ]; then
  modprobe softdog
  echo softdog > /etc/modules-load.d/lxcha-watchdog.conf
fi

if [ "$node" = "$NODE1" ]; then
  sbd -d "$dev" dump >/dev/null 2>&1 || sbd -d "$dev" -1 "$watchdog_timeout" -4 "$msgwait" create
else
  n=0
  until sbd -d "$dev" dump >/dev/null 2>&1; do
    [ "$n" -lt 900 ] || { echo "sbd.sh: no SBD header on $dev after 900s; $NODE1 writes it (vagrant up $NODE1)" >&2; exit 1; }
    sleep 5; n=$((n + 5))
  done
fi

# noflush: a node whose watchdog timeout strikes (its servants stopped answering) does not sync first,
# which could hang on frozen DRBD I/O as above. Acknowledged writes are on both disks already (protocol
# C); what a sync would add is what a power cut loses too.
cat > /etc/default/sbd <<CONF
# Written by lxcha's cluster/sbd.sh.
SBD_DEVICE=$dev
SBD_WATCHDOG_DEV=/dev/watchdog
SBD_PACEMAKER=yes
SBD_STARTMODE=always
SBD_DELAY_START=no
SBD_TIMEOUT_ACTION=noflush,reboot
SBD_MOVE_TO_ROOT_CGROUP=auto
SBD_SYNC_RESOURCE_STARTUP=yes
SBD_OPTS=
CONF
# sbd starts with corosync (its unit is RequiredBy corosync and pacemaker) and cannot be started alone.
systemctl enable sbd.service >/dev/null 2>&1
echo "sbd: $node uses $dev ($(sbd -d "$dev" dump 2>/dev/null | grep -E 'Timeout \((watchdog|msgwait)\)' | tr -s ' ' | tr '\n' ';'))"
