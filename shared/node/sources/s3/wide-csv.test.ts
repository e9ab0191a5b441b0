import { describe, expect, it } from 'vitest';
import { decodeObject, MAX_DELIMITED_COLUMNS } from './formats.js';
import { PrefixSample } from './sampling.js';

// Issue #10 point 5: a CSV a million columns wide gave no field and no warning. Now a header longer
// than the read limit fails that object with the fix named, and a wide file read whole is capped
// in columns with a warning, its first columns still profiled.
const COLUMNS = 1_000_000;
const header = Array.from({ length: COLUMNS }, (_, i) => `c${i}`).join(',');
const row = Array.from({ length: COLUMNS }, (_, i) => `v${i}`).join(',');
const bytes = new TextEncoder().encode(`${header}\n${row}\n`);
const DEFAULT_CAP = 1024 * 1024;

describe('a CSV with a million columns', () => {
  it('whose header is longer than the read limit fails as that object, saying so and how to fix it', async () => {
    await expect(decodeObject('wide/x.csv', bytes.subarray(0, DEFAULT_CAP), true, DEFAULT_CAP)).rejects.toMatchObject({
      code: 'SOURCE_BAD_DATA',
      message: expect.stringMatching(/header row is longer than the read limit .* raise maxObjectBytes/),
    });
  });

  it('read whole: its first columns become fields, and a warning says how many were not read', async () => {
    const decoded = await decodeObject('wide/x.csv', bytes, false, bytes.length);
    if (decoded.kind !== 'parsed') throw new Error(decoded.reason);
    expect(decoded.parsed.records).toHaveLength(1);
    expect(Object.keys(decoded.parsed.records[0] as object)).toHaveLength(MAX_DELIMITED_COLUMNS);
    expect(decoded.parsed.problems).toEqual([`${COLUMNS} columns; only the first ${MAX_DELIMITED_COLUMNS} were read, the other ${COLUMNS - MAX_DELIMITED_COLUMNS} were not sampled`]);
    const sample = new PrefixSample('b', 'wide/');
    sample.addObject(decoded.parsed.records);
    expect(sample.fieldCount).toBeGreaterThan(0);
    expect(sample.fieldsDropped).toBeGreaterThan(0); // the per-prefix field cap warns in its turn (s3/index.ts)
  });

  it('a first data row cut by the read limit is said, not silently empty', async () => {
    const narrow = new TextEncoder().encode(`a,b\n${'x'.repeat(5000)},y\n`);
    const decoded = await decodeObject('n.csv', narrow.subarray(0, 2048), true, 2048);
    if (decoded.kind !== 'parsed') throw new Error(decoded.reason);
    expect(decoded.parsed.records).toEqual([]);
    expect(decoded.parsed.problems).toEqual([expect.stringMatching(/first row after the header is longer than the read limit/)]);
  });
});
