import { describe, expect, it } from 'vitest';
import { readMessageIndexes } from './protobuf-framing.js';

describe('Confluent Protobuf message indexes', () => {
  it.each([
    [[0x00], [0], 1, 'the single-byte shortcut for the first message'],
    [[0x02, 0x02], [1], 2, 'one index: the second top-level message'],
    [[0x04, 0x02, 0x04], [1, 2], 3, 'a nested message: third message inside the second'],
  ])('reads %j as %j', (bytes, indexes, offset) => {
    expect(readMessageIndexes(Buffer.from([...bytes, 0x0a]))).toEqual({ indexes, offset });
  });

  it.each([
    [[], 'an empty payload has no index list'],
    [[0x04, 0x02], 'the list is shorter than its count'],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 'a varint longer than five bytes'],
    [[0x41], 'a count too large to be a nesting depth'],
  ])('refuses %j (%s)', (bytes) => {
    expect(() => readMessageIndexes(Buffer.from(bytes))).toThrow();
  });
});
