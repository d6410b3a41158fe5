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
import { parseInitPid, parseStateResult } from '../../../lib/lxc/state.js';
import { containerNameProblem } from '../../../lib/lxc/names.js';
import { absolutePathProblem } from '../../../lib/system/paths.js';
import { parseSignal } from '../../../lib/system/signals.js';
import { splitWords } from '../../../lib/system/words.js';
import { commandResult } from '../../../lib/exec/command.js';
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
  it('resets removed limits on reload', () => {
    expect(
      cgroupSettings({}, { memory: 2, cpu: 2, cpuset: 2 }, { resetUnset: true, onlineCpus: '0-1' }).map(
        (s) => `${s.file}=${s.value}`,
      ),
    ).toEqual(['memory.max=max', 'cpu.weight=100', 'cpuset.cpus=0-1']);
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

describe('lxc-info parsing', () => {
  const result = (stdout: string, exitCode: number, stderr = '') =>
    commandResult('lxc-info', [], {
      exitCode,
      signal: undefined,
      stdout,
      stderr,
      timedOut: false,
      missing: false,
    });
  it('reads states and an absent container (recorded stderr)', () => {
    expect(parseStateResult(result('RUNNING\n', 0))).toEqual({ kind: 'state', state: 'RUNNING' });
    expect(
      parseStateResult(result('', 1, readFileSync(fixture('host/lxc-info-absent.stderr'), 'utf8'))),
    ).toEqual({ kind: 'state', state: 'ABSENT' });
    expect(parseStateResult({ ...result('', 1), missing: true })).toEqual({ kind: 'tools-missing' });
    expect(parseStateResult(result('WEIRD', 0)).kind).toBe('error');
    expect(parseInitPid('15162\n')).toBe(15162);
    expect(parseInitPid('')).toBeUndefined();
  });
});

describe('names, signals and words', () => {
  it.each(['ct0', 'web-1.example', 'a_b'])('accepts container name %s', (n) =>
    expect(containerNameProblem(n)).toBeUndefined(),
  );
  it.each(['', '-x', 'a b', 'a;rm -rf', '$(id)', 'a/b', '..', 'x'.repeat(65)])(
    'rejects container name %j',
    (n) => expect(containerNameProblem(n)).toBeDefined(),
  );
  it('wants absolute paths without .. components', () => {
    expect(absolutePathProblem('/lxc1/ct0/config')).toBeUndefined();
    expect(absolutePathProblem('lxc1/config')).toMatch(/absolute/);
    expect(absolutePathProblem('/lxc1/../etc/shadow')).toMatch(/\.\./);
  });
  it('reads LXC signal spellings', () => {
    expect(parseSignal('SIGPWR')).toBe('SIGPWR');
    expect(parseSignal('usr1')).toBe('SIGUSR1');
    expect(parseSignal('15')).toBe('SIGTERM');
    expect(parseSignal('SIGRTMIN+3')).toBe(37);
    expect(parseSignal('SIGNOPE')).toBeUndefined();
  });
  it('splits words like a shell without running one', () => {
    expect(splitWords(`sh -c 'wget -q -O- http://127.0.0.1/ | grep ok'`)).toEqual({
      words: ['sh', '-c', 'wget -q -O- http://127.0.0.1/ | grep ok'],
    });
    expect(splitWords('a "b c" d\\ e ""')).toEqual({ words: ['a', 'b c', 'd e', ''] });
    expect(splitWords("echo 'open")).toEqual({ error: "unterminated ' quote" });
  });
});
