import { z } from 'zod';
import { sha256Hex } from './container.js';

/** Workspace tables a bundle carries, in the order they are restored (referenced rows first). */
export const BUNDLE_TABLES = ['sources', 'snapshots', 'schemas', 'nodes', 'edges', 'config_versions', 'changes', 'findings'] as const;
export type BundleTable = (typeof BUNDLE_TABLES)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const partSchema = z.object({
  /** Entry name in the container, e.g. nodes-3.ndjson.gz; `snapshot` says which snapshot it belongs to. */
  name: z.string().max(128),
  table: z.enum(BUNDLE_TABLES),
  snapshot: z.number().int().nullable(),
  rows: z.number().int().nonnegative(),
  /** Compressed size (the entry's size) and decompressed size (the cap when it is inflated). */
  bytes: z.number().int().nonnegative(),
  rawBytes: z.number().int().nonnegative(),
  sha256: hex64,
});
export type BundlePart = z.infer<typeof partSchema>;

export const snapshotLinkSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  status: z.string(),
  startedAt: z.string(),
  prevId: z.number().int().nullable(),
  contentHash: z.string().nullable(),
  /** Hash over this snapshot's parts (see partsHash). */
  partsHash: hex64,
  prevChainHash: z.string(),
  chainHash: hex64,
  /** True when the predecessor was left out by the export's `since`: prevChainHash is then taken as given. */
  anchored: z.boolean(),
});
export type SnapshotLink = z.infer<typeof snapshotLinkSchema>;

export const manifestSchema = z.object({
  format: z.literal('driftline-bundle'),
  version: z.literal(1),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  workspaceId: z.string(),
  scope: z.object({ sources: z.array(z.string()).nullable(), since: z.string().nullable(), until: z.string().nullable() }),
  parts: z.array(partSchema),
  snapshots: z.array(snapshotLinkSchema),
  signer: z.object({ name: z.string().max(200), publicKey: z.string().max(200), fingerprint: hex64 }),
});
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * One snapshot's parts summarized as one hash: SHA-256 over "name sha256\n" lines sorted by name,
 * so the chain covers every row of the snapshot while each part keeps its own hash.
 */
export function partsHash(parts: Pick<BundlePart, 'name' | 'sha256'>[]): string {
  return sha256Hex([...parts].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => `${p.name} ${p.sha256}\n`).join(''));
}

/** chainHash = SHA-256(prevChainHash + snapshot content hash + snapshot parts hash); "" starts a chain. */
export const chainHash = (prevChainHash: string, contentHash: string | null, snapshotPartsHash: string): string =>
  sha256Hex(prevChainHash + (contentHash ?? '') + snapshotPartsHash);
