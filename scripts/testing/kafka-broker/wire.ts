/**
 * Primitive types of the Kafka wire protocol (https://kafka.apache.org/protocol#protocol_types),
 * non-flexible versions only: the test broker advertises no flexible (tagged-field) versions, so
 * clients never send them — except librdkafka's first ApiVersions v3, of which we read only the header.
 */
export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  int8(): number {
    const v = this.buf.readInt8(this.pos);
    this.pos += 1;
    return v;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  /** STRING / NULLABLE_STRING: int16 length, -1 = null. */
  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  /** BYTES / NULLABLE_BYTES: int32 length, -1 = null. */
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  /** ARRAY: int32 count, -1 = null. */
  array<T>(item: (r: WireReader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining) throw new Error(`array of ${n} items cannot fit in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
}

/** Builds a response body from parts; Buffer.concat once at the end. */
export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.push(b);
  }
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }
  int64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.push(b);
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  string(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    return this.int16(b.length).push(b);
  }
  bytes(v: Buffer | null | undefined): this {
    if (v === null || v === undefined) return this.int32(-1);
    return this.int32(v.length).push(v);
  }
  array<T>(items: readonly T[] | null | undefined, write: (w: this, item: T) => void): this {
    if (items === null || items === undefined) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }
  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }
  push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Unsigned LEB128 of a zig-zag encoded integer: the varint/varlong of record fields (KIP-98). */
export function zigZagVarint(value: bigint | number): Buffer {
  const v = BigInt(value);
  let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number((z & 0x7fn) | 0x80n));
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}
