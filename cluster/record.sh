#!/bin/sh
# Records real command outputs as test fixtures (for the drbd-lvm parsers). Runs in a cluster node.
#   record.sh OUTDIR drbd STATE [RES]   all DRBD queries of the resource in its current state
#   record.sh OUTDIR cmd NAME CMD...    one command; prints its exit code
# Each output goes to OUTDIR/NAME.stdout (and NAME.stderr when not empty); OUTDIR/index.tsv lists
# name, exit code, node and command line.
set -u
out=$1; mode=$2; shift 2
mkdir -p "$out"
rec() {
  name=$1; shift
  "$@" > "$out/$name.stdout" 2> "$out/$name.stderr"
  rc=$?
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$(hostname)" "$*" >> "$out/index.tsv"
}
case "$mode" in
  drbd)
    state=$1; res=${2:-r0}
    rec "$state.drbdadm-role" drbdadm role "$res"
    rec "$state.drbdadm-cstate" drbdadm cstate "$res"
    rec "$state.drbdadm-dstate" drbdadm dstate "$res"
    rec "$state.drbdadm-status" drbdadm status "$res"
    rec "$state.drbdadm-sh-dev" drbdadm sh-dev "$res"
    rec "$state.drbdadm-dump" drbdadm dump "$res"
    rec "$state.drbdsetup-events2-now" drbdsetup events2 --now "$res"
    rec "$state.proc-drbd" cat /proc/drbd
    ;;
  cmd)
    name=$1; shift
    rec "$name" "$@"
    echo "$rc"
    ;;
esac
