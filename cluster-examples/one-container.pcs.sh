#!/bin/sh
# lxcha: the smallest useful HA container (the same configuration as one-container.crm), written with pcs
# into the CIB file given as argument:
#   pcs cluster cib lxcha.xml && sh one-container.pcs.sh lxcha.xml \
#     && crm_verify -x lxcha.xml && pcs cluster cib-push lxcha.xml --config
set -eu
cib=${1:?usage: $0 CIB-FILE}
pcs() { command pcs -f "$cib" "$@"; }

pcs property set stonith-enabled=true
pcs resource defaults update resource-stickiness=200 migration-threshold=3 failure-timeout=10min
for n in 1 2; do
  pcs stonith create st_server$n external/ipmi \
    hostname=server$n ipaddr=192.0.2.1$n userid=fence passwd=change-me interface=lanplus \
    op monitor interval=600s timeout=60s
  pcs constraint location st_server$n avoids server$n
done
pcs resource create p_drbdlvm_r0 ocf:lxcha:drbd-lvm --no-default-ops drbd_resource=r0 vgname=vg_lxc1 \
  op start timeout=240s interval=0s stop timeout=120s interval=0s \
    promote timeout=120s interval=0s demote timeout=120s interval=0s \
    monitor interval=29s role=Promoted timeout=60s monitor interval=31s role=Unpromoted timeout=60s \
  promotable ms_drbdlvm_r0 promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=false
pcs resource create p_fs_lxc1 ocf:heartbeat:Filesystem --no-default-ops \
  device=/dev/vg_lxc1/lxc1 directory=/lxc1 fstype=ext4 \
  op start timeout=120s interval=0s stop timeout=120s interval=0s monitor interval=30s timeout=60s \
  --group g_lxc1
pcs resource create p_ct0 ocf:lxcha:lxc --no-default-ops container=ct0 config=/lxc1/ct0/config memory_limit=512M \
  op start timeout=120s interval=0s stop timeout=180s interval=0s monitor interval=30s timeout=60s \
  --group g_lxc1
pcs constraint colocation add g_lxc1 with Promoted ms_drbdlvm_r0 INFINITY id=col_lxc1_with_r0
pcs constraint order promote ms_drbdlvm_r0 then start g_lxc1 kind=Mandatory id=ord_r0_before_lxc1
