#!/bin/sh
# Installs the cluster packages (packages.txt, packages-vagrant.txt) with apt: for Vagrant boxes. The test
# image has packages.txt baked in; test:vagrant's box has both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=""
for p in $(cat "$here/packages.txt" "$here/packages-vagrant.txt" | grep -v '^#' | grep .); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
# The cluster starts its own services; the distribution's defaults would get in the way. Debian's
# corosync and pacemaker start themselves with the stock corosync.conf (a one-node cluster "debian"):
# stopped here, so that the first start reads the configuration provision.sh writes.
systemctl disable --now lxc-net.service pcsd.service 2>/dev/null || true
systemctl stop pacemaker.service corosync.service 2>/dev/null || true
