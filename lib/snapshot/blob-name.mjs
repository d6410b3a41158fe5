// How a startup snapshot's blob is named, in one place for the build (scripts/build.mjs), the launchers it
// writes (scripts/launcher.mjs) and the builder that makes a companion's blob at run time
// (lib/snapshot/builder.ts): NAME_BUILD_NODE.blob, BUILD the bundle's build id, NODE the node binary's
// identity (device-inode-size-mtime, as the launcher's stat prints it). Plain JavaScript: the build
// scripts run without a TypeScript loader (types: blob-name.d.mts).
import { createHash } from 'node:crypto';

/** The bundle's build id: the first 16 hex digits of its sha256. */
export function buildIdOf(bundleBytes) {
  return createHash('sha256').update(bundleBytes).digest('hex').slice(0, 16);
}

/** The blob's file name; `nodeId` may be a shell expansion (the launcher's `$id`). */
export function blobFileName(name, buildId, nodeId) {
  return `${name}_${buildId}_${nodeId}.blob`;
}

/** A blob's file name read back into its parts, or undefined for a name blobFileName did not make. */
export function parseBlobName(fileName) {
  const match = /^([a-z][a-z0-9-]*)_([0-9a-f]{16})_(\d+-\d+-\d+-\d+)\.blob$/.exec(fileName);
  return match === null ? undefined : { name: match[1], buildId: match[2], nodeId: match[3] };
}
