// Waiting for an agent's startup snapshot (docs/speed.md): the blob for this launcher's build and this node
// binary, which the agent's first plain run starts building. Measurements wait for it, so that they count
// the calls Pacemaker makes, not the one-off build.
import { readFileSync, readdirSync, statSync } from 'node:fs';

const SNAPSHOTS = '/run/lxcha/snapshots';

/** The blob name's node identity, as the launcher writes it (stat -L -c %d-%i-%s-%Y). */
export function nodeIdentity(node: string): string {
  const st = statSync(node);
  return `${st.dev}-${st.ino}-${st.size}-${Math.floor(st.mtimeMs / 1000)}`;
}

/** Waits until the startup snapshot of the agent behind `launcher` for the binary `node` is in place. */
export async function snapshotReady(launcher: string, node: string): Promise<void> {
  const m = /\/([\w-]+)_([0-9a-f]{16})_/.exec(readFileSync(launcher, 'utf8'));
  const name = `${m?.[1] ?? ''}_${m?.[2] ?? ''}_${nodeIdentity(node)}.blob`;
  for (let i = 0; i < 600; i++) {
    try {
      if (readdirSync(SNAPSHOTS).includes(name)) return;
    } catch {
      // not made yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no startup snapshot ${name} after 300 s`);
}
