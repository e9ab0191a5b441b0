import { describe, expect, it } from 'vitest';
import { TopicProfile } from './topic-profile.js';

/** A Debezium change event as the JSON converter writes it with schemas.enable=true (DATE and DECIMAL encoded). */
function debeziumEvent(id: number, days: number, latBase64: string): Buffer {
  const row = { type: 'struct', name: 'shop.users.Value', optional: true, fields: [
    { field: 'id', type: 'int64' },
    { field: 'birth_date', type: 'int32', name: 'io.debezium.time.Date', optional: true },
    { field: 'latitude', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '6' } },
  ] };
  return Buffer.from(JSON.stringify({
    schema: { type: 'struct', name: 'shop.users.Envelope', fields: [{ ...row, field: 'before' }, { ...row, field: 'after' }, { field: 'source', type: 'struct', fields: [] }, { field: 'op', type: 'string' }] },
    payload: { before: null, after: { id, birth_date: days, latitude: latBase64 }, source: { connector: 'mysql', db: 'shop', table: 'users' }, op: 'c' },
  }));
}

describe('TopicProfile decodes Debezium logical types before classifying', () => {
  it('finds DATE_OF_BIRTH in epoch-day dates and GEO_COORDINATE in base64 decimals, as the column would show them', async () => {
    const profile = new TopicProfile('shop.users');
    // 39.904200 (0x0260E3C8) and 31.230400 (0x01DC8AC0) with scale 6.
    for (let i = 0; i < 20; i++) await profile.add(null, debeziumEvent(i, 7378 + i * 97, i % 2 ? 'AmDjyA==' : 'AdyKwA=='));
    const records = profile.toRecords({ sourceName: 'cdc', region: 'cn-north-1', fingerprint: (v) => `fp:${v.length}` }, { partitions: 1, messageCount: 20 });
    const field = (path: string) => records.find((r) => r.type === 'node' && r.node.name === path);
    const dob = field('after.birth_date');
    const lat = field('after.latitude');
    expect(dob?.type === 'node' && dob.node.pii?.map((p) => p.entity)).toEqual(['DATE_OF_BIRTH']);
    expect(dob?.type === 'node' && dob.node.pii?.[0].examples[0]).toMatch(/^19\d\d-\*\*-\*\*$/);
    expect(lat?.type === 'node' && lat.node.pii?.map((p) => p.entity)).toEqual(['GEO_COORDINATE']);
    expect(lat?.type === 'node' && lat.node.pii?.[0].matches).toBe(20);
  });
});
