#!/bin/sh
# Vagrant provisioning of one node: the same scripts as the emulated test VMs. The machines may come up
# one after the other or in parallel: node2 makes the replicated VGs on its own disks (forced Primary; node1
# resyncs from it whenever it connects) and loads the configuration once both nodes are members.
# Fencing: SBD on the disk both machines share (cluster/sbd.sh), stonith:fence_sbd, and DRBD's
# resource-and-stonith policy, as in the emulated test cluster.
# Usage: vagrant-node.sh NODE DISK_OF_R0 DISK_OF_R1 SBD_DISK
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
node=$1
export DRBD_DISKS="$2 $3"
sbd_disk=${4:?usage: vagrant-node.sh NODE DISK_OF_R0 DISK_OF_R1 SBD_DISK}
export LXCHA_DRBD_FENCING=${LXCHA_DRBD_FENCING:-resource-and-stonith}
export AUTHKEY=/opt/lxcha/authkey
# dist/ from the host: the Debian package (npm run package) is installed, else the built tree copied.
[ -d /opt/lxcha/dist ] && export LXCHA_DIST=/opt/lxcha/dist
sh "$here/install-packages.sh"
sh "$here/provision.sh" "$node"
sh "$here/init-storage.sh" md
if [ "$node" = "$NODE1" ]; then sh "$here/sbd.sh" "$node" "$sbd_disk"; fi
if [ "$node" = "$NODE2" ]; then
  # Both nodes exist now: make each replicated VG and its containers once, then start the cluster.
  for res in $RESOURCES; do
    if ! drbdadm dstate "$res" | grep -q '^UpToDate'; then sh "$here/init-storage.sh" populate "$res"; fi
  done
  sh "$here/init-storage.sh" down
  sh "$here/sbd.sh" "$node" "$sbd_disk"
  systemctl restart corosync pacemaker
  # The machines may provision in parallel (vagrant-libvirt does): load the configuration only once both
  # nodes are members, the partition has quorum and a DC, or node2 would write it alone.
  sh "$here/wait-cluster.sh" "$NODE1" "$NODE2"
  crm configure load update "$here/cib-base.crm"
  # The emulated cluster's fence_lxcha (cib-fence-lxcha.crm) needs its harness's qemu monitors; these
  # machines fence through SBD. A partition leaves node1 standing: fencing node1 waits 40 s, longer than
  # the SBD watchdog (15 s) that kills a node whose reboot hangs on frozen DRBD I/O (sbd.sh); a crash of
  # node1 costs those 40 s.
  crm configure primitive st_sbd stonith:fence_sbd \
    params devices="$sbd_disk" pcmk_host_list="$NODE1 $NODE2" pcmk_delay_base="$NODE1:40s;$NODE2:0s" \
    op monitor interval=120s timeout=60s
  crm configure load update "$here/cib-${LXCHA_STACK:-anchor}.crm"
else
  systemctl restart corosync pacemaker
fi
echo "vagrant: $node provisioned"
