import { gzipSync } from 'node:zlib';
import type { BundleTable } from './manifest.js';

/** Raw bytes gathered before they are compressed into one gzip member. */
const MEMBER_RAW_BYTES = 1 * 2 ** 20;
/** A part rolls over to a new one past this raw size, so no part comes near the reader's caps. */
export const PART_ROLLOVER_RAW_BYTES = 64 * 2 ** 20;

/**
 * One part being written: NDJSON rows, gzip-compressed as a series of gzip members (RFC 1952 allows
 * concatenated members; gunzip reads them as one stream). Members let us compress while the rows are
 * read from SQLite synchronously, holding only compressed bytes in memory.
 */
export class PartBuffer {
  rows = 0;
  rawBytes = 0;
  private readonly members: Buffer[] = [];
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(readonly name: string, readonly table: BundleTable, readonly snapshot: number | null) {}

  add(row: Record<string, unknown>): void {
    const line = JSON.stringify(row) + '\n';
    const n = Buffer.byteLength(line);
    this.pending.push(line);
    this.pendingBytes += n;
    this.rawBytes += n;
    this.rows++;
    if (this.pendingBytes >= MEMBER_RAW_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.members.push(gzipSync(Buffer.from(this.pending.join(''), 'utf8'), { level: 6 }));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The compressed part (an empty part is one empty gzip member, so it still decompresses). */
  finish(): Buffer {
    this.flush();
    return this.members.length ? Buffer.concat(this.members) : gzipSync(Buffer.alloc(0));
  }
}

/** All parts of an export, keyed by table and snapshot ("shared" for rows of no chosen snapshot). */
export class PartSet {
  private readonly open = new Map<string, PartBuffer>();
  private readonly all: PartBuffer[] = [];
  private readonly counters = new Map<string, number>();

  add(table: BundleTable, snapshot: number | null, row: Record<string, unknown>): void {
    const key = `${table}-${snapshot ?? 'shared'}`;
    let part = this.open.get(key);
    if (part && part.rawBytes >= PART_ROLLOVER_RAW_BYTES) part = undefined;
    if (!part) {
      const n = (this.counters.get(key) ?? 0) + 1;
      this.counters.set(key, n);
      part = new PartBuffer(n === 1 ? `${key}.ndjson.gz` : `${key}.${n}.ndjson.gz`, table, snapshot);
      this.open.set(key, part);
      this.all.push(part);
    }
    part.add(row);
  }

  parts(): PartBuffer[] {
    return this.all;
  }
}
