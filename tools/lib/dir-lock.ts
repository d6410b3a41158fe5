// A lock shared by processes that build one cache folder (the VM image, the fresh Debian root).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A cross-process lock: mkdir is atomic; a lock left by a dead process is taken over. */
export async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60 * 60 * 1000;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      const pid = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
      let alive = false;
      try {
        if (Number.isInteger(pid)) process.kill(pid, 0);
        alive = Number.isInteger(pid);
      } catch {
        alive = false;
      }
      if (!alive && Number.isInteger(pid)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`image lock ${lockDir} held for an hour`);
      await delay(2000);
    }
  }
  try {
    return await body();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
