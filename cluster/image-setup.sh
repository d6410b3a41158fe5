#!/bin/sh
# Bakes the test image: runs inside the debootstrapped root (chroot) once, before mkfs.ext4 -d.
# Only what every boot of a test VM needs; per-node and per-run setup is provision.sh's job.
set -eu

echo "/dev/vda / ext4 defaults,errors=remount-ro 0 1" > /etc/fstab
# The per-run payload disk (agents, scripts, cluster config) is mounted where provision.sh expects it.
echo "LABEL=lxchapay /mnt/lxcha ext4 ro,nofail,x-systemd.device-timeout=10s 0 0" >> /etc/fstab
mkdir -p /mnt/lxcha
echo "localhost" > /etc/hostname
passwd -d root >/dev/null

# The cluster stack is started by the harness (first boot) or by the enabled units (after provision.sh).
for unit in corosync.service pacemaker.service pcsd.service pcsd-ruby.service lxc.service \
    lxc-net.service drbd.service apt-daily.timer apt-daily-upgrade.timer man-db.timer \
    e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
  systemctl disable "$unit" >/dev/null 2>&1 || true
done
systemctl mask lxc-net.service pcsd.service pcsd-ruby.service >/dev/null 2>&1 || true

# A login prompt on the serial console helps when a human watches console.log.
systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
# A persistent journal: the logs of a node from before its crash and reboot are kept for inspection.
mkdir -p /var/log/journal
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
