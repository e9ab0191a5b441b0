import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalDataDir } from '../../../../scripts/testing/pii-eval/index.js';
import { decodeObject, formatFromKey, gunzipBounded, parseDelimited, parseDelimitedRows, parseJson, trimPartialUtf8 } from './formats.js';

describe('formatFromKey', () => {
  it.each([
    ['a/b.json', { format: 'json', gzip: false }],
    ['a/b.JSONL', { format: 'ndjson', gzip: false }],
    ['x.csv.gz', { format: 'csv', gzip: true }],
    ['x.tsv', { format: 'tsv', gzip: false }],
    ['part-0.parquet', { format: 'parquet', gzip: false }],
    ['dump.gz', { format: undefined, gzip: true }],
    ['README', { format: undefined, gzip: false }],
  ])('%s → %j', (key, expected) => expect(formatFromKey(key)).toEqual(expected));
});

describe('parseDelimited', () => {
  it('keeps quoted separators, doubled quotes and newlines inside a field', () => {
    expect(parseDelimitedRows('a,b\r\n"x, y","say ""hi""\nthere"\n', ',')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });
  it('skips ragged rows, reporting them by row number (header = row 1), and keeps the rest', () => {
    const out = parseDelimited('a,b\n1,2\n3\n4,5,6\n7,8\n', 'csv', false);
    expect(out.records).toEqual([{ a: '1', b: '2' }, { a: '7', b: '8' }]);
    expect(out.problems).toEqual(["rows 3, 4 have a different number of fields than the header's 2 (2 skipped)"]);
  });
  it('drops the cut-off last row of a truncated read instead of calling it ragged', () => {
    expect(parseDelimited('a,b\n1,2\n3,', 'csv', true)).toEqual({ format: 'csv', records: [{ a: '1', b: '2' }], problems: [] });
  });
  it('rejects a file without a header', () => {
    expect(() => parseDelimited('', 'csv', false)).toThrow('CSV has no header row');
  });
});

describe('parseJson', () => {
  it.each([
    ['an array document: one record per element', '[{"a":1},{"a":2}]', false, 2],
    ['a single object', '{"a":1}', false, 1],
    ['Kafka Connect JSON lines under .json', '{"a":1}\n{"a":2}\n{"a":3}\n', false, 3],
    ['truncated JSON lines: the partial last line is dropped', '{"a":1}\n{"a":2}\n{"a":', true, 2],
  ])('%s', (_why, text, truncated, count) => expect(parseJson(text, truncated).records).toHaveLength(count));

  it.each([
    ['not JSON at all', 'hello', false, 'not valid JSON or JSON lines'],
    ['a truncated single document cannot be parsed', '[{"a":1},{"a":', true, 'raise maxObjectBytes'],
  ])('rejects %s', (_why, text, truncated, message) => expect(() => parseJson(text, truncated)).toThrow(message));

  it('reports bad JSON lines by number without their content', () => {
    const out = parseJson('{"a":1}\n{"email": "bad@x.com"\n{"a":2}\n', false);
    expect(out.records).toHaveLength(2);
    expect(out.problems).toEqual(['line 2 not valid JSON (1 skipped)']);
  });
});

describe('decoding bytes', () => {
  it('decompresses gzip detected by magic bytes, whatever the name', async () => {
    const out = await decodeObject('no-extension', gzipSync('[{"a":1}]'), false, 1024);
    expect(out).toMatchObject({ kind: 'parsed', gzip: true, parsed: { format: 'json', records: [{ a: 1 }] } });
  });
  it('decodes what it can of a truncated gzip stream (a ranged read)', async () => {
    const full = gzipSync(Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i })).join('\n'));
    const out = await decodeObject('x.ndjson.gz', full.subarray(0, full.length / 2), true, 1 << 20);
    expect(out.kind).toBe('parsed');
    if (out.kind === 'parsed') expect(out.parsed.records.length).toBeGreaterThan(100);
  });
  it('stops decompressing at the cap (gzip bomb)', async () => {
    const out = await gunzipBounded(gzipSync(Buffer.alloc(10 << 20)), 1 << 20);
    expect(out).toMatchObject({ truncated: true });
    expect(out.data.length).toBe(1 << 20);
  });
  it.each([
    ['corrupt gzip', 'x.json.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]), /corrupt gzip/],
    ['a .gz name without gzip content', 'x.json.gz', Buffer.from('{}'), /named \.gz but not gzip/],
    ['binary bytes under a .json name', 'x.json', Buffer.from([1, 0, 2, 0, 3]), /binary content under a \.json name/],
    ['Parquet magic bytes around garbage', 'data.bin', Buffer.from('PAR1....PAR1'), /Parquet could not be read/],
  ])('fails %s', async (_why, key, bytes, message) => {
    await expect(decodeObject(key, bytes, false, 1024)).rejects.toThrow(message);
  });
  it.each([
    ['binary without a known format', 'blob', Buffer.from([0, 1, 2, 255]), 'binary content'],
    ['text that is not JSON and has no CSV name', 'notes', Buffer.from('hello,world\n'), 'unrecognised format'],
  ])('skips %s', async (_why, key, bytes, reason) => {
    const out = await decodeObject(key, bytes, false, 1024);
    expect(out.kind === 'skipped' && out.reason).toContain(reason);
  });
  it('drops a UTF-8 character cut by the range end', () => {
    const bytes = Buffer.from('ab手');
    expect(Buffer.from(trimPartialUtf8(bytes.subarray(0, 4))).toString()).toBe('ab');
    expect(Buffer.from(trimPartialUtf8(bytes)).toString()).toBe('ab手');
  });
});

describe('Parquet (hyparquet) on apache/parquet-testing files', () => {
  const file = (name: string) => readFileSync(join(evalDataDir(), 'parquet-testing', name));

  it('reads rows with Parquet logical types decoded: a TIMESTAMP as ISO text, INT64 as digits', async () => {
    const out = await decodeObject('lake/alltypes_plain.snappy.parquet', file('alltypes_plain.snappy.parquet'), false, 1 << 20);
    expect(out.kind).toBe('parsed');
    if (out.kind !== 'parsed') return;
    expect(out.parsed.format).toBe('parquet');
    expect(out.parsed.records).toHaveLength(2);
    expect(out.parsed.records[1]).toMatchObject({ id: 7, bigint_col: '10', date_string_col: '04/01/09', timestamp_col: '2009-04-01T00:01:00.000Z' });
  });

  it('reads a fixed-length DECIMAL column as numbers', async () => {
    const out = await decodeObject('x.parquet', file('fixed_length_decimal.parquet'), false, 1 << 20);
    expect(out.kind === 'parsed' && out.parsed.records.slice(0, 3)).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
  });

  it('skips a Parquet object cut by the read limit, saying why and what to raise', async () => {
    const bytes = file('alltypes_plain.snappy.parquet');
    const out = await decodeObject('x.parquet', bytes.subarray(0, 512), true, 512);
    expect(out.kind === 'skipped' && out.reason).toMatch(/footer.*raise maxObjectBytes/);
  });
});
