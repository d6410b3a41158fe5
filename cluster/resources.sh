# Sourced by the cluster/ scripts after cluster.env. `res_vars RES` sets the variables of one DRBD
# resource: DRBD_RES DRBD_MINOR DRBD_PORT DRBD_DISK VG CONFIG_FS CONTAINERS HOME_NODE.
# DRBD_DISKS="disk-of-r0 disk-of-r1" (environment) overrides the backing disks of cluster.env.
res_vars() {
  case " $RESOURCES " in
    *" $1 "*) ;;
    *) echo "unknown DRBD resource '$1' (cluster.env has: $RESOURCES)" >&2; return 2 ;;
  esac
  p=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "DRBD_MINOR=\$${p}_MINOR DRBD_PORT=\$${p}_PORT DRBD_DISK=\$${p}_DISK VG=\$${p}_VG"
  eval "CONFIG_FS=\$${p}_CONFIG_FS CONTAINERS=\"\$${p}_CONTAINERS\" HOME_NODE=\$${p}_HOME"
  DRBD_RES=$1
  if [ -n "${DRBD_DISKS:-}" ]; then
    i=0
    for r in $RESOURCES; do i=$((i + 1)); [ "$r" = "$1" ] && break; done
    DRBD_DISK=$(echo "$DRBD_DISKS" | tr -s ' ' '\n' | sed -n "${i}p")
    [ -n "$DRBD_DISK" ] || { echo "DRBD_DISKS='$DRBD_DISKS' names no disk for $1" >&2; return 2; }
  fi
}
