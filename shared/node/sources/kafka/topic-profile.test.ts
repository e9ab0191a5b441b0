import { describe, expect, it } from 'vitest';
import { makePeople } from '../../../../scripts/demo/synthetic-people.js';
import { fingerprintWarnings, profileWarnings, PRUNE_AFTER_PROFILED, TopicProfile } from './topic-profile.js';

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

describe('TopicProfile with a classification stride', () => {
  // Order events with PII in nested fields and in the key; every 50th message also holds a second email in an array.
  const people = makePeople(9_000);
  const messages = people.map((p, i) => ({
    key: Buffer.from(JSON.stringify({ customer: p.email })),
    value: Buffer.from(JSON.stringify({ order: `SO${1_000_000 + i}`, customer: { name: p.name, mobile: p.phone, id_card: p.idCard, address: p.address }, items: [{ sku: `S${i % 7}`, qty: 1 }], cc: i % 50 === 0 ? [p.email] : [], note: 'x'.repeat(i % 300) })),
  }));
  const ctx = { sourceName: 'shop', region: 'cn-north-1', fingerprint: (v: string) => `fp:${v}` };
  async function profileOf(stride: number) {
    const profile = new TopicProfile('orders', undefined, { profileEvery: stride, region: 'cn-north-1' });
    for (const [i, m] of messages.entries()) await profile.add(m.key, m.value, i % 3);
    const records = profile.toRecords(ctx, { partitions: 3, messageCount: messages.length });
    const fields = new Map(records.flatMap((r) => (r.type === 'node' && r.node.kind === 'field' ? [[r.node.name, r.node] as const] : [])));
    return { profile, topic: records[0].type === 'node' ? records[0].node : undefined, fields };
  }

  it('finds the same PII and fingerprints the same people as profiling every message, decoding one message in `stride`', async () => {
    const every = await profileOf(1);
    const strided = await profileOf(9);
    expect(strided.profile.profiled).toBe(1_000);
    expect(strided.topic!.props).toMatchObject({ sampled: 9_000, profiled: 1_000 });
    expect(every.topic!.props!.profiled).toBeUndefined();
    const pii = (fields: typeof every.fields) => [...fields].filter(([, n]) => n.pii?.length).map(([path, n]) => `${path}:${n.pii!.map((p) => p.entity).join(',')}`).sort();
    expect(pii(strided.fields)).toEqual(pii(every.fields));
    expect(pii(every.fields)).toEqual(expect.arrayContaining(['$key.customer:EMAIL', 'customer.mobile:CN_MOBILE', 'customer.id_card:CN_RESIDENT_ID', 'cc[]:EMAIL']));
    // Value lineage sees every message: the fingerprints are the same people, not those of the profiled ninth.
    for (const [path, node] of every.fields) {
      const fps = node.props!.fingerprints as string[] | undefined;
      if (!fps) continue;
      expect(fps.length, path).toBeGreaterThan(0);
      expect(strided.fields.get(path)!.props!.fingerprints, path).toEqual(fps);
    }
    // The classification sample is bounded and spread: each field keeps values from every partition.
    expect(strided.fields.get('customer.mobile')!.props!.sampled).toBe(1_000);
  });

  it('decodes a message whole when its value is not plain JSON, and stops reading raw fields once the topic turns out wrapped', async () => {
    const profile = new TopicProfile('mixed', undefined, { profileEvery: 4, region: 'cn-north-1' });
    for (let i = 0; i < 40; i++) await profile.add(null, Buffer.from(i % 10 === 5 ? `plain text ${i}` : JSON.stringify({ email: `u${i}@example.com` })));
    expect(profile.encodings.text).toBe(4);
    const wrapped = new TopicProfile('wrapped', undefined, { profileEvery: 4, region: 'cn-north-1' });
    for (let i = 0; i < 12; i++) await wrapped.add(null, debeziumEvent(i, 7378 + i, 'AmDjyA=='));
    expect(wrapped.profiled).toBe(12);
  });

  it('stops reading fields without PII after the first profiled messages, and says so when one shows PII later', async () => {
    const profile = new TopicProfile('drifting', undefined, { profileEvery: 2, region: 'cn-north-1' });
    // `contact` holds reference codes for the first 1200 messages (600 profiled, past the pruning point), then e-mails.
    for (let i = 0; i < 3000; i++) await profile.add(null, Buffer.from(JSON.stringify({ contact: i < 1200 ? `REF-${1_000_000 + i}` : `user${i}@example.com`, email: `u${i}@example.org` })));
    const records = profile.toRecords(ctx, { partitions: 1, messageCount: 3000 });
    const pii = (path: string) => records.flatMap((r) => (r.type === 'node' && r.node.name === path ? (r.node.pii ?? []).map((p) => p.entity) : []));
    expect(pii('contact')).toEqual(['EMAIL']);
    expect(pii('email')).toEqual(['EMAIL']);
    expect(fingerprintWarnings(profile)).toEqual([`1 field(s) showed PII only after ${PRUNE_AFTER_PROFILED} profiled messages (contact): from then on their fingerprints were drawn from the profiled messages only, not from every message counted`]);
  });

  it('says when a field first showed up after messages had been counted (its fingerprints miss those messages)', async () => {
    const profile = new TopicProfile('late', undefined, { profileEvery: 10, region: 'cn-north-1' });
    for (let i = 0; i < 100; i++) await profile.add(null, Buffer.from(JSON.stringify(i < 35 ? { n: i } : { n: i, email: `u${i}@example.com` })));
    expect([...profile.learntLate]).toEqual([['email', 36]]);
    expect(profileWarnings(profile, undefined)).toEqual(['1 field(s) first appeared in the classification sample after messages had been counted (email: after 36): their fingerprints are drawn from the messages read from then on']);
    const steady = new TopicProfile('steady', undefined, { profileEvery: 10, region: 'cn-north-1' });
    for (let i = 0; i < 100; i++) await steady.add(null, Buffer.from(JSON.stringify({ n: i, email: `u${i}@example.com` })));
    expect(profileWarnings(steady, undefined)).toEqual([]);
  });
});
