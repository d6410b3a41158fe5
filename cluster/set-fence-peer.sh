#!/bin/sh
# Switches DRBD's fence-peer / after-resync-target handlers of the cluster's resources:
#   set-fence-peer.sh suite    the suite's handlers (dist/ocf/lib/lxcha, installed by provision.sh)
#   set-fence-peer.sh linbit   drbd-utils' crm-fence-peer.sh / crm-unfence-peer.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster.env"
handlers=/usr/lib/ocf/lib/lxcha
case "${1:-}" in
  suite) fp=$handlers/fence-peer ar=$handlers/unfence-peer
         [ -x "$fp" ] || { echo "set-fence-peer.sh: $fp not installed" >&2; exit 5; } ;;
  linbit) fp=/usr/lib/drbd/crm-fence-peer.sh ar=/usr/lib/drbd/crm-unfence-peer.sh ;;
  *) echo "usage: set-fence-peer.sh suite|linbit" >&2; exit 2 ;;
esac
echo "$1" > /etc/lxcha-fence-peer-mode
for res in $RESOURCES; do
  file=/etc/drbd.d/$res.res
  sed -i -e "s|^\([[:space:]]*fence-peer\)[[:space:]].*|\1 \"$fp\";|" \
         -e "s|^\([[:space:]]*after-resync-target\)[[:space:]].*|\1 \"$ar\";|" "$file"
  # A resource that is up takes the new handlers now.
  if drbdadm role "$res" >/dev/null 2>&1; then drbdadm adjust "$res"; fi
  grep -E 'fence-peer|after-resync-target' "$file"
done
