#!/bin/sh
# Vagrant provisioning of one node: the same scripts as the emulated test VMs. The machines may come up
# one after the other or in parallel: node2 makes the replicated VGs on its own disks (forced Primary; node1
# resyncs from it whenever it connects) and loads the configuration once both nodes are members.
# Usage: vagrant-node.sh NODE DISK_OF_R0 DISK_OF_R1
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
node=$1
export DRBD_DISKS="$2 $3"
export AUTHKEY=/opt/lxcha/authkey
# dist/ from the host: the Debian package (npm run package) is installed, else the built tree copied.
[ -d /opt/lxcha/dist ] && export LXCHA_DIST=/opt/lxcha/dist
sh "$here/install-packages.sh"
sh "$here/provision.sh" "$node"
sh "$here/init-storage.sh" md
if [ "$node" = "$NODE2" ]; then
  # Both nodes exist now: make each replicated VG and its containers once, then start the cluster.
  for res in $RESOURCES; do
    if ! drbdadm dstate "$res" | grep -q '^UpToDate'; then sh "$here/init-storage.sh" populate "$res"; fi
  done
  sh "$here/init-storage.sh" down
  systemctl restart corosync pacemaker
  # The machines may provision in parallel (vagrant-libvirt does): load the configuration only once both
  # nodes are members, the partition has quorum and a DC, or node2 would write it alone.
  sh "$here/wait-cluster.sh" "$NODE1" "$NODE2"
  crm configure load update "$here/cib-base.crm"
  # fence_lxcha needs the test harness's qemu monitors: configure a fence device of your hypervisor
  # (fence_virsh, fence_vbox, ...) before enabling STONITH on Vagrant machines.
  crm configure delete --force st_lxcha || true
  crm configure property stonith-enabled=false
  crm configure load update "$here/cib-${LXCHA_STACK:-anchor}.crm"
else
  systemctl restart corosync pacemaker
fi
echo "vagrant: $node provisioned"
