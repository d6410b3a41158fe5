import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, rootfsLocation } from '../../../lib/lxc/config.js';
import { auditConfig } from '../../../lib/lxc/security.js';
import { fixture } from '../../helpers/paths.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcha-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('LXC config reading', () => {
  it('reads the busybox template config LXC 5 writes', () => {
    const c = readConfig(fixture('host/lxc-busybox-template.config'));
    expect(c.get('lxc.signal.halt')).toBe('SIGUSR1');
    expect(c.get('lxc.uts.name')).toBe('probe1');
    expect(c.all('lxc.cap.drop')).toEqual(['sys_module', 'mac_admin', 'mac_override', 'sys_time']);
    expect(rootfsLocation(c)).toEqual({ type: 'dir', path: '/var/lib/lxc/probe1/rootfs' });
  });

  it('follows lxc.include of files and directories; later lines win; an empty list value clears', () => {
    const dir = tree({
      'common.conf': 'lxc.signal.halt = SIGPWR\nlxc.cap.drop = sys_admin\n',
      'conf.d/10-a.conf': 'lxc.cap.drop = syslog\n',
      'conf.d/20-b.conf': 'lxc.cap.drop =\nlxc.cap.drop = sys_time\n',
      'conf.d/ignored.txt': 'lxc.signal.halt = SIGKILL\n',
    });
    writeFileSync(
      path.join(dir, 'config'),
      `lxc.include = ${dir}/common.conf\nlxc.include = ${dir}/conf.d\nlxc.signal.halt = SIGUSR2\n`,
    );
    const c = readConfig(path.join(dir, 'config'));
    expect(c.get('lxc.signal.halt')).toBe('SIGUSR2');
    expect(c.all('lxc.cap.drop')).toEqual(['sys_time']);
    expect(c.problems).toEqual([]);
  });

  it('reports an include that is missing on this node and stops include loops', () => {
    const dir = tree({ 'loop.conf': '' });
    writeFileSync(path.join(dir, 'loop.conf'), `lxc.include = ${dir}/loop.conf\n`);
    writeFileSync(
      path.join(dir, 'config'),
      `lxc.include = ${dir}/missing.conf\nlxc.include = ${dir}/loop.conf\n`,
    );
    const c = readConfig(path.join(dir, 'config'));
    expect(c.problems[0]).toMatch(/missing.conf: ENOENT/);
    expect(c.problems[1]).toMatch(/nested deeper/);
  });

  it('knows rootfs storage prefixes', () => {
    const at = (v: string) => rootfsLocation(readConfig('/x', () => `lxc.rootfs.path = ${v}\n`));
    expect(at('/dev/vg_lxc1/ct0')).toEqual({ type: 'block', path: '/dev/vg_lxc1/ct0' });
    expect(at('lvm:/dev/vg/ct')).toEqual({ type: 'lvm', path: '/dev/vg/ct' });
    expect(at('overlay:/lower:/upper')).toEqual({ type: 'overlay', path: '/upper' });
  });
});

describe("security audit (the talk's pitfalls)", () => {
  const audit = (text: string, appArmor = false) =>
    auditConfig(
      readConfig('/x', () => text),
      { appArmor },
    ).map((f) => `${f.key}: ${f.message}`);

  it('flags everything on a bare config, naming the key to change', () => {
    const findings = audit('lxc.rootfs.path = dir:/r\n');
    expect(findings).toEqual([
      expect.stringMatching(/^lxc.mount.auto: \/proc/),
      expect.stringMatching(/^lxc.mount.auto: \/sys/),
      expect.stringMatching(/^lxc.cap.drop: capability sys_admin/),
      expect.stringMatching(/^lxc.apparmor.profile: no AppArmor/),
      expect.stringMatching(/^lxc.idmap: privileged container/),
      expect.stringMatching(/^lxc.cap.drop: capability syslog/),
      expect.stringMatching(/^lxc.cap.drop: capability sys_time/),
    ]);
  });

  it('is quiet for a hardened config', () => {
    expect(
      audit(
        'lxc.mount.auto = proc:mixed sys:ro cgroup:mixed\nlxc.cap.drop = sys_admin syslog sys_time\nlxc.apparmor.profile = lxc-container-default\nlxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n',
        true,
      ),
    ).toEqual([]);
  });

  it('honours lxc.cap.keep, flags proc:rw, unconfined and a bound /dev/kmsg', () => {
    const findings = audit(
      'lxc.mount.auto = proc:rw sys:mixed\nlxc.cap.keep = chown net_bind_service\nlxc.apparmor.profile = unconfined\nlxc.idmap = u 0 1 1\nlxc.mount.entry = /dev/kmsg dev/kmsg none bind,create=file 0 0\n',
      true,
    );
    expect(findings).toEqual([
      expect.stringMatching(/proc:rw/),
      expect.stringMatching(/unconfined/),
      expect.stringMatching(/^lxc.mount.entry: \/dev\/kmsg/),
    ]);
  });
});
