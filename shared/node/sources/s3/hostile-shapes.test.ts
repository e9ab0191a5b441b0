import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { s3Source } from './index.js';
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

describe('a JSON object nested 100 000 levels', () => {
  it('is flattened only to a bounded depth and counted, and the other records are still profiled', async () => {
    const deep = '{"a":'.repeat(100_000) + '"x"' + '}'.repeat(100_000);
    const text = `${deep}\n${Array.from({ length: 20 }, (_, i) => JSON.stringify({ email: `user${i}@example.com` })).join('\n')}\n`;
    const decoded = await decodeObject('deep/x.ndjson', new TextEncoder().encode(text), false, text.length);
    if (decoded.kind !== 'parsed') throw new Error(decoded.reason);
    const sample = new PrefixSample('b', 'deep/');
    sample.addObject(decoded.parsed.records);
    expect(sample.recordsTooDeep).toBe(1); // s3/index.ts turns this count into a warning for the prefix
    const fields = sample.toRecords({ sourceName: 'lake', fingerprint: (v) => v.length.toString() }, 's3://lake/b/deep', 'eu-west-1');
    expect(fields.find((r) => r.type === 'node' && r.node.name === 'email')).toMatchObject({ node: { pii: [{ entity: 'EMAIL' }] } });
  });
});

describe('hostile shapes in an offline copy of a store', () => {
  it('each object fails or warns by name; the scan of the others goes on', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'driftline-s3-hostile-'));
    try {
      mkdirSync(join(tmp, 'lake', 'b', 'p'), { recursive: true });
      writeFileSync(join(tmp, 'lake', 'b', 'p', 'wide.csv'), bytes);
      writeFileSync(join(tmp, 'lake', 'b', 'p', 'deep.json'), '{"a":'.repeat(100_000) + '"x"' + '}'.repeat(100_000));
      writeFileSync(join(tmp, 'lake', 'b', 'p', 'users.ndjson'), Array.from({ length: 20 }, (_, i) => JSON.stringify({ email: `user${i}@example.com` })).join('\n'));
      const cap = await collectCapture(s3Source, { name: 'copy', kind: 's3', region: 'eu-west-1', dir: 'lake' }, { baseDir: tmp });
      expect(cap.failures.map((f) => [f.item, (f.error as Error).message])).toEqual([['s3://copy/b/p/wide.csv', expect.stringMatching(/CSV header row is longer than the read limit/)]]);
      expect(cap.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/1 record\(s\) nested deeper than 32 levels were profiled only to that depth/));
      expect(cap.records.some((r) => r.type === 'node' && r.node.name === 'email' && r.node.pii?.some((p) => p.entity === 'EMAIL'))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
