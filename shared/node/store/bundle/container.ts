import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../core/api/errors.js';

/**
 * The bundle container: one file, written and read by this module only (no archive library, so
 * there is no path handling, no symlink, no extraction to disk — entries are only ever read into memory
 * or streamed into SQLite).
 *
 *   "DRIFTLINE-BUNDLE\n1\n"                       magic + format version, 19 bytes
 *   entry*                                          in this order: parts…, manifest.json, manifest.sig
 *     u16 BE   name length (1..128)
 *     bytes    name, ASCII [a-z0-9][a-z0-9._-]*, never used as a file path
 *     u64 BE   data length
 *     bytes    data
 *   (end of file right after manifest.sig: anything after it, or a short entry, is an error)
 *
 * Parts are gzip-compressed NDJSON. manifest.json lists every part with its SHA-256 and the hash chain;
 * manifest.sig is the Ed25519 signature (base64) over the exact manifest bytes.
 */
export const BUNDLE_MAGIC = Buffer.from('DRIFTLINE-BUNDLE\n1\n', 'latin1');
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Caps that make a bundle from a stranger safe to read; every one is checked before the work it guards. */
export interface BundleLimits {
  maxEntries: number;
  /** Largest compressed part. */
  maxPartBytes: number;
  /** Largest decompressed part (also capped by the size the manifest declares). */
  maxRawPartBytes: number;
  /** Sum of all decompressed parts. */
  maxRawTotalBytes: number;
  maxManifestBytes: number;
  /** Longest NDJSON line (one row). */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: BundleLimits = {
  maxEntries: 100_000,
  maxPartBytes: 256 * 2 ** 20,
  maxRawPartBytes: 256 * 2 ** 20,
  maxRawTotalBytes: 16 * 2 ** 30,
  maxManifestBytes: 64 * 2 ** 20,
  maxLineBytes: 32 * 2 ** 20,
};

export interface EntryRef {
  name: string;
  /** Offset of the data in the file. */
  offset: number;
  size: number;
}

export const bundleInvalid = (path: string, what: string, cause?: unknown): AppError =>
  new AppError('BUNDLE_INVALID', `${path}: ${what}`, cause === undefined ? undefined : { cause });

/** Checks an entry name; names come from the file, so they are data, never paths. */
export function assertEntryName(name: string, path: string): void {
  if (!NAME_RE.test(name) || name.includes('..')) {
    throw bundleInvalid(path, `entry name ${JSON.stringify(name.slice(0, 80))} is not allowed (only a-z, 0-9, '.', '_', '-'; no "..", no "/"); the bundle was not made by Driftline or was altered`);
  }
}

/** Writes a container entry by entry; `finish()` must be called last. */
export class ContainerWriter {
  private position = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<ContainerWriter> {
    const handle = await open(path, 'wx', 0o644);
    const writer = new ContainerWriter(handle);
    await writer.write(BUNDLE_MAGIC);
    return writer;
  }

  private async write(buf: Buffer): Promise<void> {
    await this.handle.write(buf, 0, buf.length, this.position);
    this.position += buf.length;
  }

  /** Appends one entry; returns the SHA-256 (hex) of its data. */
  async add(name: string, data: Buffer): Promise<string> {
    assertEntryName(name, '(writing)');
    const nameBuf = Buffer.from(name, 'latin1');
    const header = Buffer.alloc(2 + nameBuf.length + 8);
    header.writeUInt16BE(nameBuf.length, 0);
    nameBuf.copy(header, 2);
    header.writeBigUInt64BE(BigInt(data.length), 2 + nameBuf.length);
    await this.write(header);
    await this.write(data);
    return sha256Hex(data);
  }

  get bytes(): number {
    return this.position;
  }

  async finish(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * Reads the entry table (names, offsets, sizes) without reading the data. Throws BUNDLE_INVALID for
 * anything structurally wrong: bad magic, truncation, bad names, duplicates, limits, trailing bytes.
 */
export async function readEntryTable(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EntryRef[]> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new AppError('NOT_FOUND', `${path}: cannot open the bundle (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  try {
    const fileSize = (await handle.stat()).size;
    const magic = Buffer.alloc(BUNDLE_MAGIC.length);
    await handle.read(magic, 0, magic.length, 0);
    if (fileSize < magic.length || !magic.equals(BUNDLE_MAGIC)) {
      throw bundleInvalid(path, 'not a Driftline snapshot bundle (missing the "DRIFTLINE-BUNDLE" header, or a newer format version)');
    }
    const entries: EntryRef[] = [];
    const seen = new Set<string>();
    let pos = magic.length;
    const lenBuf = Buffer.alloc(2);
    const sizeBuf = Buffer.alloc(8);
    while (pos < fileSize) {
      if (entries.length >= limits.maxEntries) throw bundleInvalid(path, `more than ${limits.maxEntries} entries; refusing to read further`);
      if (pos + 2 > fileSize) throw truncated(path, pos, fileSize);
      await handle.read(lenBuf, 0, 2, pos);
      const nameLen = lenBuf.readUInt16BE(0);
      if (nameLen === 0 || nameLen > 128) throw bundleInvalid(path, `entry at byte ${pos} has a name of ${nameLen} bytes (1–128 allowed); the file is damaged or not a bundle`);
      if (pos + 2 + nameLen + 8 > fileSize) throw truncated(path, pos, fileSize);
      const nameBuf = Buffer.alloc(nameLen);
      await handle.read(nameBuf, 0, nameLen, pos + 2);
      const name = nameBuf.toString('latin1');
      assertEntryName(name, path);
      if (seen.has(name)) throw bundleInvalid(path, `entry ${name} appears twice`);
      seen.add(name);
      await handle.read(sizeBuf, 0, 8, pos + 2 + nameLen);
      const size = sizeBuf.readBigUInt64BE(0);
      const cap = name === MANIFEST_ENTRY ? limits.maxManifestBytes : name === SIGNATURE_ENTRY ? 1024 : limits.maxPartBytes;
      if (size > BigInt(cap)) throw bundleInvalid(path, `entry ${name} declares ${size} bytes, over the limit of ${cap}`);
      const offset = pos + 2 + nameLen + 8;
      if (offset + Number(size) > fileSize) {
        throw bundleInvalid(path, `truncated: entry ${name} declares ${size} bytes but only ${fileSize - offset} remain. Copy the bundle again from its source.`);
      }
      entries.push({ name, offset, size: Number(size) });
      pos = offset + Number(size);
      if (name === SIGNATURE_ENTRY && pos !== fileSize) throw bundleInvalid(path, `${fileSize - pos} unexpected bytes after the signature`);
    }
    const n = entries.length;
    if (n < 2 || entries[n - 1].name !== SIGNATURE_ENTRY || entries[n - 2].name !== MANIFEST_ENTRY) {
      throw bundleInvalid(path, 'truncated or incomplete: the manifest and its signature must be the last two entries. Copy the bundle again from its source.');
    }
    return entries;
  } finally {
    await handle.close();
  }
}

const truncated = (path: string, pos: number, size: number): AppError =>
  bundleInvalid(path, `truncated at byte ${size} (an entry header starts at ${pos} and does not fit). Copy the bundle again from its source.`);

/** Reads one (small) entry fully into memory. */
export async function readEntry(path: string, entry: EntryRef): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(entry.size);
    const { bytesRead } = await handle.read(buf, 0, entry.size, entry.offset);
    if (bytesRead !== entry.size) throw bundleInvalid(path, `entry ${entry.name} is shorter than declared (file changed while reading?)`);
    return buf;
  } finally {
    await handle.close();
  }
}

/** SHA-256 of an entry's data, read in 1 MiB chunks (parts can be large). */
export async function hashEntry(path: string, entry: EntryRef): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(Math.min(2 ** 20, Math.max(1, entry.size)));
    let done = 0;
    while (done < entry.size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, entry.size - done), entry.offset + done);
      if (bytesRead === 0) throw bundleInvalid(path, `entry ${entry.name} is shorter than declared`);
      hash.update(chunk.subarray(0, bytesRead));
      done += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
