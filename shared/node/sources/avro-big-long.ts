import type avsc from 'avsc';

/**
 * An Avro long type that reads every long as a bigint. avsc's default long throws "potential
 * precision loss" on values above 2^53 (snowflake ids, epoch nanos), which real topics and files
 * hold; this is the avsc README's documented recipe. Takes the avsc module so callers that load it
 * lazily (the s3 source) keep doing so.
 */
export function bigLongType(avro: typeof avsc): avsc.types.LongType {
  return avro.types.LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint) => {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(BigInt(n));
      return buf;
    },
    fromJSON: (n: number | string) => BigInt(n),
    toJSON: (n: bigint) => Number(n),
    isValid: (n: unknown) => typeof n === 'bigint',
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  });
}
