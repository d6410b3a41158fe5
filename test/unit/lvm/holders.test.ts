// Naming who holds an LV open: a real process with the device node open, found through /proc/*/fd;
// mounts and stacked devices through a prepared /proc and /sys.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeHolder, findHolders } from '../../../lib/lvm/holders.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lxcha-holders-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('findHolders', () => {
  it('names a process that has the device node open', async () => {
    const dir = tmp();
    const dev = path.join(dir, 'lv0');
    writeFileSync(dev, '');
    const child = spawn('sh', ['-c', 'exec 3<"$0"; exec sleep 30', dev], { stdio: 'ignore' });
    try {
      let holders: Awaited<ReturnType<typeof findHolders>> = [];
      for (let i = 0; i < 50 && holders.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        holders = await findHolders({ paths: [dev] });
      }
      expect(holders).toEqual([{ kind: 'process', pid: child.pid, command: 'sleep' }]);
      expect(describeHolder(holders[0]!)).toBe(`open in process ${child.pid} (sleep)`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('names mounts by device number and stacked devices from sysfs', async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'proc/self'), { recursive: true });
    writeFileSync(
      path.join(root, 'proc/self/mountinfo'),
      '36 25 254:0 / /lxc1 rw,relatime shared:1 - ext4 /dev/mapper/vg_lxc1-config rw\n37 25 8:1 / / rw - ext4 /dev/vda rw\n',
    );
    mkdirSync(path.join(root, 'sys/dev/block/254:0/holders/dm-5'), { recursive: true });
    const holders = await findHolders(
      { paths: ['/nonexistent/vg_lxc1/config'], major: 254, minor: 0 },
      { procRoot: path.join(root, 'proc'), sysRoot: path.join(root, 'sys') },
    );
    expect(holders).toEqual([
      { kind: 'mount', mountPoint: '/lxc1' },
      { kind: 'device', name: 'dm-5' },
    ]);
  });

  it('finds nothing for a device nobody holds', async () => {
    expect(await findHolders({ paths: [path.join(tmp(), 'free')] })).toEqual([]);
  });
});
