import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../log/logger.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { kafkaSource } from './index.js';

// Issue #10 point 5: nested input never kills a source and caps are never silent. A kcat dump with
// a message nested 100 000 levels and one with 5 000 fields: the topic is still profiled from its
// other messages, and a warning says how many messages were profiled only in part.
const dir = mkdtempSync(join(tmpdir(), 'driftline-kafka-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (offset: number, payload: string) => JSON.stringify({ topic: 'users', partition: 0, offset, key: null, payload });

describe('a kcat dump with hostile nesting', () => {
  it('profiles the topic from its other messages and warns about the ones profiled in part', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i])));
    const lines = [...Array.from({ length: 20 }, (_, i) => line(i, JSON.stringify({ email: `user${i}@example.com` }))), line(20, deep), line(21, wide)];
    writeFileSync(join(dir, 'dump.jsonl'), lines.join('\n') + '\n');
    const config = kafkaSource.configSchema.parse({ name: 'dump', kind: 'kafka', region: 'eu-west-1', file: 'dump.jsonl' });
    const records: CaptureRecord[] = [];
    const warnings: { item: string; message: string }[] = [];
    const failures: unknown[] = [];
    const ctx: CaptureContext = {
      sourceName: 'dump', region: 'eu-west-1', baseDir: dir, signal: AbortSignal.timeout(60_000), log: createLogger('test.kafka'),
      fingerprint: (v) => createHmac('sha256', 'k').update(v).digest('hex'), progress: () => {},
      warn: (item, message) => warnings.push({ item, message }), fail: (item, error) => failures.push({ item, error }), checkpoint: () => undefined,
    };
    for await (const r of kafkaSource.capture(config, ctx)) records.push(r);
    expect(failures).toEqual([]);
    const email = records.find((r) => r.type === 'node' && r.node.urn === 'kafka://dump/users#email');
    expect(email?.type === 'node' && email.node.pii?.map((p) => p.entity)).toContain('EMAIL');
    expect(warnings).toEqual([
      { item: 'kafka://dump/users', message: expect.stringMatching(/^more than 2000 distinct fields: \d+ value\(s\) of further fields were not profiled$/) },
      { item: 'kafka://dump/users', message: '2 message(s) nested deeper than 16 levels or holding more than 2000 values were profiled only to that depth and count' },
    ]);
  });
});
