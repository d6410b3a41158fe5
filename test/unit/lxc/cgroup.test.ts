import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cgroupSettings,
  cpusetProblem,
  detectVersions,
  expandCpuList,
  parseSize,
  weightToShares,
} from '../../../lib/lxc/cgroup.js';
import { fixture } from '../../helpers/paths.js';

// Debian 12 with systemd mounts only the unified hierarchy (the emulated cluster nodes).
const v2Mounts =
  'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0\n';

describe('cgroup limits on v1 and v2', () => {
  it('detects v1 controllers on this kind of host and v2 under systemd', () => {
    expect(detectVersions(readFileSync(fixture('host/mounts-cgroup-v1-hybrid.txt'), 'utf8'))).toEqual({
      memory: 1,
      cpu: 1,
      cpuset: 1,
    });
    expect(detectVersions(v2Mounts)).toEqual({ memory: 2, cpu: 2, cpuset: 2 });
  });
  it('maps the same parameters to v1 and v2 keys', () => {
    const limits = { memoryBytes: 268435456, cpuWeight: 50, cpuset: '0' };
    expect(
      cgroupSettings(limits, { memory: 1, cpu: 1, cpuset: 1 }).map((s) => `${s.lxcKey}=${s.value}`),
    ).toEqual([
      'lxc.cgroup.memory.limit_in_bytes=268435456',
      'lxc.cgroup.cpu.shares=512',
      'lxc.cgroup.cpuset.cpus=0',
    ]);
    expect(
      cgroupSettings(limits, { memory: 2, cpu: 2, cpuset: 2 }).map((s) => `${s.file}=${s.value}`),
    ).toEqual(['memory.max=268435456', 'cpu.weight=50', 'cpuset.cpus=0']);
  });
  it("on reload, a limit absent from the parameters is the container config's, else the kernel's default", () => {
    const none = { configured: () => undefined, onlineCpus: '0-1' };
    expect(
      cgroupSettings({}, { memory: 2, cpu: 2, cpuset: 2 }, none).map((s) => `${s.file}=${s.value}`),
    ).toEqual(['memory.max=max', 'cpu.weight=100', 'cpuset.cpus=0-1']);
    expect(
      cgroupSettings({}, { memory: 1, cpu: 1, cpuset: 1 }, none).map((s) => `${s.file}=${s.value}`),
    ).toEqual(['memory.limit_in_bytes=-1', 'cpu.shares=1024', 'cpuset.cpus=0-1']);
    const config: Record<string, string> = {
      'lxc.cgroup.memory.limit_in_bytes': '96M',
      'lxc.cgroup2.cpu.weight': '30',
      'lxc.cgroup2.cpuset.cpus': '1',
    };
    const fromConfig = { configured: (key: string) => config[key], onlineCpus: '0-1' };
    // Only the key of this host's hierarchy counts: LXC ignores the other one at start too.
    expect(
      cgroupSettings({}, { memory: 1, cpu: 2, cpuset: 2 }, fromConfig).map((s) => `${s.file}=${s.value}`),
    ).toEqual(['memory.limit_in_bytes=96M', 'cpu.weight=30', 'cpuset.cpus=1']);
    expect(
      cgroupSettings({}, { memory: 2, cpu: 1, cpuset: 1 }, fromConfig).map((s) => `${s.file}=${s.value}`),
    ).toEqual(['memory.max=max', 'cpu.shares=1024', 'cpuset.cpus=0-1']);
    // A parameter wins over the config.
    expect(
      cgroupSettings({ memoryBytes: 1 << 27 }, { memory: 1, cpu: 2, cpuset: 2 }, fromConfig)[0]?.value,
    ).toBe(String(1 << 27));
    // At start an unset limit is left to LXC, which applies the config.
    expect(cgroupSettings({}, { memory: 1, cpu: 1, cpuset: 1 })).toEqual([]);
  });
  it('parses sizes and CPU lists', () => {
    expect(parseSize('512M')).toBe(536870912);
    expect(parseSize('1g')).toBe(1073741824);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('12Q')).toBeUndefined();
    expect(cpusetProblem('0-1,3')).toBeUndefined();
    expect(cpusetProblem('3-1')).toMatch(/backwards/);
    expect(cpusetProblem('0;1')).toMatch(/not a CPU list/);
    expect(expandCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(weightToShares(100)).toBe(1024);
    expect(weightToShares(1)).toBe(10);
  });
});
