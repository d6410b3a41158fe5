#!/bin/sh
# Bakes the local debian/bookworm64 box for `npm run test:vagrant`: runs inside a copy of the test image's
# debootstrapped root (chroot, private mount namespace). Adds what a Vagrant box has (sshd, sudo, DHCP on
# the first NIC, rsync, the vagrant user with Vagrant's insecure key) and the Vagrant machines' packages
# (cluster/packages-vagrant.txt), preinstalled as the test image has packages.txt: the stock box's apt path
# of install-packages.sh is therefore not exercised by the test. Usage: box-setup.sh PACKAGES_FILE PUBKEY
set -eu
packages=$1
pubkey=$2
mount -t proc proc /proc
trap 'umount /proc' EXIT
# No service starts inside the chroot.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2046
apt-get install -y -q --no-install-recommends openssh-server sudo isc-dhcp-client rsync \
  $(grep -v '^#' "$packages" | grep .)
rm -f /usr/sbin/policy-rc.d

useradd -m -s /bin/bash vagrant
install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.ssh
install -m 0600 -o vagrant -g vagrant "$pubkey" /home/vagrant/.ssh/authorized_keys
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/vagrant
chmod 0440 /etc/sudoers.d/vagrant
echo 'vagrant:vagrant' | chpasswd
cat > /etc/network/interfaces <<NET
auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp
NET
# Every machine made from the box gets its own identity at first boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
