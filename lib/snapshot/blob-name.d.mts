// Types of blob-name.mjs, for lib/snapshot/builder.ts and the tests.
export function buildIdOf(bundleBytes: Uint8Array | string): string;
export function blobFileName(name: string, buildId: string, nodeId: string): string;
export function parseBlobName(
  fileName: string,
): { name: string; buildId: string; nodeId: string } | undefined;
