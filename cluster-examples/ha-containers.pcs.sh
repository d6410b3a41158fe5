#!/bin/sh
# lxcha: the talk's HA container setup for two servers, server1 and server2, written with pcs into the CIB
# file given as argument (the same configuration as ha-containers.crm). Stage, check and push it:
#   pcs cluster cib lxcha.xml && sh ha-containers.pcs.sh lxcha.xml \
#     && crm_verify -x lxcha.xml && pcs cluster cib-push lxcha.xml --config
#
# Storage: DRBD resource r0 carries VG vg_lxc1 (server1's containers), r1 carries vg_lxc2 (server2's).
# Each VG holds an LV with the replicated configuration space (/lxc1, /lxc2) and one LV per container
# rootfs (lxc-create -B lvm). Adapt: node names, IPMI addresses and credentials, containers, limits.
set -eu
cib=${1:?usage: $0 CIB-FILE}
pcs() { command pcs -f "$cib" "$@"; }

# Fencing is what makes promoting DRBD on the survivor safe: never run this without it.
pcs property set stonith-enabled=true stonith-timeout=120s cluster-recheck-interval=5min
# Stay after a recovery; move away after 3 failures on a node; forget failures after 10 minutes.
pcs resource defaults update resource-stickiness=200 migration-threshold=3 failure-timeout=10min
# The talk: "Increase Pacemaker timeouts to avoid unintended switchovers".
pcs resource op defaults update timeout=120s

# One IPMI fence device per server, each kept off the node it fences. external/ipmi comes with cluster-glue
# (and needs ipmitool); fence_ipmilan of fence-agents works alike (ip, username, password, lanplus).
# When both links fail, each server tries to fence the other: the delay on fencing server1 lets server1
# win that race, deterministically (DRBD's resource-and-stonith holds writes until the loser is fenced).
for n in 1 2; do
  delay=0s
  [ $n = 1 ] && delay=15s
  pcs stonith create st_server$n external/ipmi \
    hostname=server$n ipaddr=192.0.2.1$n userid=fence passwd=change-me interface=lanplus \
    pcmk_delay_base=$delay \
    op monitor interval=600s timeout=60s
  pcs constraint location st_server$n avoids server$n
done

# DRBD r0 with VG vg_lxc1, and r1 with vg_lxc2, each one promotable clone.
for r in 0 1; do
  pcs resource create p_drbdlvm_r$r ocf:lxcha:drbd-lvm --no-default-ops \
    drbd_resource=r$r vgname=vg_lxc$((r + 1)) exclusivity=system_id \
    op start timeout=240s interval=0s stop timeout=120s interval=0s \
      promote timeout=120s interval=0s demote timeout=120s interval=0s \
      monitor interval=29s role=Promoted timeout=60s monitor interval=31s role=Unpromoted timeout=60s \
    promotable ms_drbdlvm_r$r promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=false
done

# The replicated configuration spaces, each first in its group.
for n in 1 2; do
  pcs resource create p_fs_lxc$n ocf:heartbeat:Filesystem --no-default-ops \
    device=/dev/vg_lxc$n/lxc$n directory=/lxc$n fstype=ext4 \
    op start timeout=120s interval=0s stop timeout=120s interval=0s monitor interval=30s timeout=60s \
    --group g_lxc$n
done

# The containers, with resource limits, after their configuration filesystem in its group.
pcs resource create p_ct_web ocf:lxcha:lxc --no-default-ops \
  container=web config=/lxc1/web/config memory_limit=1G cpu_weight=200 \
  op start timeout=120s interval=0s stop timeout=180s interval=0s monitor interval=30s timeout=60s \
    monitor interval=120s timeout=90s OCF_CHECK_LEVEL=10 \
  --group g_lxc1
pcs resource create p_ct_mail ocf:lxcha:lxc --no-default-ops \
  container=mail config=/lxc1/mail/config memory_limit=512M cpu_weight=100 console_log=/var/log/lxc/mail.console \
  op start timeout=120s interval=0s stop timeout=180s interval=0s monitor interval=30s timeout=60s \
  --group g_lxc1
pcs resource create p_ct_db ocf:lxcha:lxc --no-default-ops \
  container=db config=/lxc2/db/config memory_limit=2G cpu_weight=400 cpuset=0-1 \
  op start timeout=120s interval=0s stop timeout=240s interval=0s monitor interval=30s timeout=60s \
  --group g_lxc2

# Each group runs where its DRBD/VG is promoted, and starts only after the promotion; normally each server
# runs its own VG's containers.
for r in 0 1; do
  g=g_lxc$((r + 1))
  pcs constraint colocation add $g with Promoted ms_drbdlvm_r$r INFINITY id=col_lxc$((r + 1))_with_r$r
  pcs constraint order promote ms_drbdlvm_r$r then start $g kind=Mandatory id=ord_r${r}_before_lxc$((r + 1))
  pcs constraint location ms_drbdlvm_r$r rule role=Promoted score=100 constraint-id=l_r${r}_prefers_server$((r + 1)) \
    '#uname' eq server$((r + 1))
done
