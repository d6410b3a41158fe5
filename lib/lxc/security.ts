// The talk's pitfalls as checks on a container's configuration: each finding names the key to change.
import type { LxcConfig } from './config.js';

export interface SecurityFinding {
  /** The configuration key an administrator changes to fix it. */
  readonly key: string;
  readonly message: string;
}

export interface HostSecurity {
  /** AppArmor is enabled in this host's kernel. */
  readonly appArmor: boolean;
}

function capabilityDropped(config: LxcConfig, cap: string): boolean {
  const keep = config.all('lxc.cap.keep').map((c) => c.toLowerCase());
  if (keep.length > 0 && !keep.includes('none')) return !keep.includes(cap);
  return config
    .all('lxc.cap.drop')
    .map((c) => c.toLowerCase())
    .includes(cap);
}

export function auditConfig(config: LxcConfig, host: HostSecurity): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const auto = config.all('lxc.mount.auto');
  const mountEntries = config.all('lxc.mount.entry');

  const procSafe = auto.some((o) => o === 'proc' || o === 'proc:mixed');
  if (!procSafe)
    findings.push({
      key: 'lxc.mount.auto',
      message: auto.includes('proc:rw')
        ? '/proc is mounted read-write (proc:rw): the container can write /proc/sysrq-trigger and reboot the host; use proc:mixed'
        : '/proc is not mounted by LXC with proc:mixed: /proc/sys and /proc/sysrq-trigger may be writable; add proc:mixed',
    });
  const sysSafe = auto.some((o) => o === 'sys' || o === 'sys:ro' || o === 'sys:mixed');
  if (!sysSafe)
    findings.push({
      key: 'lxc.mount.auto',
      message: auto.includes('sys:rw')
        ? '/sys is mounted read-write (sys:rw); use sys:ro or sys:mixed'
        : '/sys is not mounted read-only by LXC; add sys:ro (or sys:mixed)',
    });
  if (!capabilityDropped(config, 'sys_admin'))
    findings.push({
      key: 'lxc.cap.drop',
      message:
        'capability sys_admin is not dropped: container root can remount and escape; add sys_admin to lxc.cap.drop',
    });
  const profile = config.get('lxc.apparmor.profile') ?? config.get('lxc.aa_profile');
  const selinux = config.get('lxc.selinux.context') ?? config.get('lxc.se_context');
  const confinedByAppArmor = host.appArmor && profile !== 'unconfined';
  if (!confinedByAppArmor && (selinux === undefined || selinux === ''))
    findings.push({
      key: 'lxc.apparmor.profile',
      message:
        profile === 'unconfined'
          ? 'the container runs unconfined (lxc.apparmor.profile = unconfined) and has no lxc.selinux.context'
          : 'no AppArmor on this host and no lxc.selinux.context: the container runs without MAC confinement',
    });
  if (!config.has('lxc.idmap') && !config.has('lxc.id_map'))
    findings.push({
      key: 'lxc.idmap',
      message:
        'privileged container (no lxc.idmap): root in the container is root on the host; do not give its root to anyone you do not trust',
    });
  if (!capabilityDropped(config, 'syslog'))
    findings.push({
      key: 'lxc.cap.drop',
      message:
        'capability syslog is not dropped: the container can read and clear the host kernel log; add syslog to lxc.cap.drop',
    });
  if (mountEntries.some((e) => e.includes('/dev/kmsg') || e.startsWith('dev/kmsg')))
    findings.push({
      key: 'lxc.mount.entry',
      message: '/dev/kmsg is bound into the container: its logging reaches the host kernel log',
    });
  if (!capabilityDropped(config, 'sys_time'))
    findings.push({
      key: 'lxc.cap.drop',
      message:
        'capability sys_time is not dropped: the container can set the host clock (hwclock); add sys_time to lxc.cap.drop',
    });
  return findings;
}
