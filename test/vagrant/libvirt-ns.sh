#!/bin/sh
# libvirtd and virtlogd for `npm run test:vagrant`, inside the network and mount namespaces that
# `unshare --net --mount` made for this script (under tini -s, which reaps dnsmasq and other orphans). Their
# configuration, state, logs and sockets live under DIR, bind-mounted over libvirt's paths in this mount
# namespace only; no VM address exists in the host's namespace. Runs until libvirtd ends.
# Usage: libvirt-ns.sh DIR
set -eu
dir=$1
ip link set lo up
for d in etc lib log cache run; do mkdir -p "$dir/$d"; done
mkdir -p /etc/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt /run/libvirt
mount --bind "$dir/etc" /etc/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mount --bind "$dir/log" /var/log/libvirt
mount --bind "$dir/cache" /var/cache/libvirt
mount --bind "$dir/run" /run/libvirt
# qemu runs as root without a security driver, cgroups or namespaces of libvirt's: this is a test host
# inside a sandbox that offers none of them to a nested libvirt.
cat > /etc/libvirt/qemu.conf <<CONF
user = "root"
group = "root"
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
remember_owner = 0
CONF
: > /etc/libvirt/libvirtd.conf
: > /etc/libvirt/virtlogd.conf
# Debian's libvirt-daemon-system would create libvirt-qemu; without it the qemu driver refuses to load.
if ! getent passwd libvirt-qemu >/dev/null; then
  cp /etc/passwd "$dir/passwd"
  cp /etc/group "$dir/group"
  echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >> "$dir/passwd"
  getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >> "$dir/group"
  getent group kvm >/dev/null || echo 'kvm:x:64056:' >> "$dir/group"
  mount --bind "$dir/passwd" /etc/passwd
  mount --bind "$dir/group" /etc/group
fi
virtlogd --pid-file "$dir/run/virtlogd.pid" &
exec libvirtd --pid-file "$dir/run/libvirtd.pid"
