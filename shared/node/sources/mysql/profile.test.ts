import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_VALUES_PER_FIELD, FieldProfiler } from '../../../core/pii/index.js';
import { ColumnProfile } from './profile.js';

const hmac = (v: string) => createHmac('sha256', 'k').update(v).digest('hex').slice(0, 32);
const mobile = (i: number) => `139${String(i * 13 + 7).padStart(8, '0')}`;

describe('ColumnProfile: MySQL columns on the shared field profiler', () => {
  it('counts every streamed value, classifies a bounded sample uniform over the stream, and keeps the snapshot represented', () => {
    const p = new ColumnProfile('contact', false, hmac);
    p.addSample(Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? null : mobile(i))));
    // A long stream whose first part is not phones: a first-values sample would miss the phones.
    for (let i = 0; i < 60_000; i++) p.observe(i < 30_000 ? `ticket-${i}` : mobile(i));
    expect(p.sampled).toBe(180);
    expect(p.streamedValues).toBe(60_000);
    expect(p.classifiedValues).toBeLessThanOrEqual(DEFAULT_MAX_VALUES_PER_FIELD - 180);
    const [tag] = p.verdicts();
    expect(tag).toMatchObject({ entity: 'CN_MOBILE', sampled: DEFAULT_MAX_VALUES_PER_FIELD });
    // 180 snapshot mobiles + about half of the ~1,820 streamed values.
    expect(tag.matches).toBeGreaterThan(180 + 1820 * 0.4);
    expect(tag.matches).toBeLessThan(180 + 1820 * 0.6);
    expect(tag.basis).toMatchObject({ recognizer: 'builtin' });
  });

  it('fingerprints the same people as a topic holding them (the profiler’s order), whatever the row order and the updates', () => {
    const people = Array.from({ length: 3_000 }, (_, i) => mobile(i));
    const column = new ColumnProfile('mobile', false, hmac);
    column.addSample(people.slice(0, 500));
    for (const v of [...people].reverse()) column.observe(v);
    for (const v of people.slice(0, 1_000)) column.observe(v); // UPDATEs repeat row images
    const topic = new FieldProfiler();
    for (const v of people) topic.add('after.mobile', `+86 ${v}`, 'partition-0');
    const [field] = topic.profile(hmac);
    expect(column.fingerprints).toHaveLength(50);
    expect(new Set(column.fingerprints)).toEqual(new Set(field.fingerprints));
  });

  it('binary columns are never classified or fingerprinted; a rename keeps what was learnt', () => {
    const bin = new ColumnProfile('photo', true, hmac);
    bin.observe(mobile(1));
    expect([bin.streamedValues, bin.verdicts(), bin.fingerprints]).toEqual([0, [], []]);
    const p = new ColumnProfile('phone', false, hmac);
    for (let i = 0; i < 100; i++) p.observe(mobile(i));
    const renamed = p.renamed('mobile_no');
    expect(renamed.streamedValues).toBe(100);
    expect(renamed.verdicts()[0]).toMatchObject({ entity: 'CN_MOBILE', matches: 100, basis: { field: 'mobile_no' } });
    expect(renamed.fingerprints).toEqual(p.fingerprints);
  });
});
