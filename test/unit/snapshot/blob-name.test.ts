// A blob's name, defined once (lib/snapshot/blob-name.mjs) for the build, the launchers it writes and the
// builder that makes a companion's blob: the launcher text and the builder must name the same file.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { blobFileName, buildIdOf, parseBlobName } from '../../../lib/snapshot/blob-name.mjs';
import { companionBlob } from '../../../lib/snapshot/builder.js';
import { repoRoot } from '../../helpers/paths.js';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const ocf = path.join(repoRoot, 'dist/ocf');

beforeAll(() => {
  if (!existsSync(path.join(ocf, 'lib/lxcha/fence-peer')))
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
});

describe('blob names', () => {
  it("a build id is the bundle's sha256, 16 hex digits", () => {
    const bytes = Buffer.from('bundle text');
    expect(buildIdOf(bytes)).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16));
  });

  it('NAME_BUILD_NODE.blob, read back into its parts; other names give none', () => {
    const name = blobFileName('fence-peer', '0123456789abcdef', '65024-1086-26704-1775485132');
    expect(name).toBe('fence-peer_0123456789abcdef_65024-1086-26704-1775485132.blob');
    expect(parseBlobName(name)).toEqual({
      name: 'fence-peer',
      buildId: '0123456789abcdef',
      nodeId: '65024-1086-26704-1775485132',
    });
    for (const other of [
      'x.blob',
      'lxc_abc_1-2-3-4.blob',
      'lxc_0123456789abcdef_1-2-3.blob',
      `${name}.tmp-1`,
    ])
      expect(parseBlobName(other)).toBeUndefined();
  });

  it("each built launcher names its blob by its bundle's build id and the node identity its stat prints", () => {
    for (const [launcherFile, bundle] of [
      ['resource.d/lxcha/drbd-lvm', 'lib/lxcha/agents/drbd-lvm.js'],
      ['resource.d/lxcha/lxc', 'lib/lxcha/agents/lxc.js'],
      ['lib/lxcha/fence-peer', 'lib/lxcha/handlers/fence-peer.js'],
    ] as const) {
      const build = buildIdOf(readFileSync(path.join(ocf, bundle)));
      const name = path.basename(bundle, '.js');
      expect(readFileSync(path.join(ocf, launcherFile), 'utf8')).toContain(
        `/${blobFileName(name, build, '$id')}\n`,
      );
    }
  });

  it("the builder names a companion's blob as that companion's launcher does", () => {
    const agentBundle = path.join(ocf, 'lib/lxcha/agents/drbd-lvm.js');
    const companion = companionBlob(
      '/run/x/drbd-lvm_0123456789abcdef_1-2-3-4.blob',
      agentBundle,
      'fence-peer',
    );
    const handlerBundle = path.join(ocf, 'lib/lxcha/handlers/fence-peer.js');
    const build = buildIdOf(readFileSync(handlerBundle));
    expect(companion).toEqual({
      bundle: handlerBundle,
      blob: `/run/x/fence-peer_${build}_1-2-3-4.blob`,
    });
  });
});
