#!/bin/sh
# Waits until every named node is a cluster member, the partition has quorum and a DC is elected.
# Usage: wait-cluster.sh NODE... (LXCHA_CLUSTER_WAIT seconds, default 900). Exit 1 with a reason on timeout.
set -u
wait=${LXCHA_CLUSTER_WAIT:-900}
deadline=$(( $(date +%s) + wait ))
while :; do
  missing=
  members=$(timeout 30 crm_node -l 2>/dev/null) || members=
  for n in "$@"; do
    # crm_node -l: "ID NAME STATE" per known node.
    printf '%s\n' "$members" | awk -v n="$n" '$2 == n && $3 == "member" { found = 1 } END { exit !found }' ||
      missing="$missing $n"
  done
  quorate=$(timeout 30 crm_node -q 2>/dev/null) || quorate=0
  if [ -z "$missing" ] && [ "$quorate" = 1 ] && crmadmin -D -t 10000 >/dev/null 2>&1; then
    echo "cluster: $* members, quorate, DC elected"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "cluster: after ${wait}s still missing:${missing:- none}, quorum=${quorate}; start the other node (vagrant up), then vagrant provision" >&2
    exit 1
  fi
  sleep 5
done
