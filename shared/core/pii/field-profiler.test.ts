import { describe, expect, it } from 'vitest';
import { FieldProfiler, leafName } from './field-profiler.js';

const ID = '11010519491231002X';

describe('FieldProfiler (the one field profiler every source uses)', () => {
  it('keeps a bounded sample per field with counts, and every stratum represented when one stratum is large', () => {
    const p = new FieldProfiler({ maxValuesPerField: 10 });
    for (let i = 0; i < 100; i++) p.add('users.id_card', i % 10 === 0 ? null : ID, 'object-1');
    for (let i = 0; i < 4; i++) p.add('users.id_card', ID, 'object-2');
    const [f] = p.profile((v) => `fp(${v.length})`);
    expect(f.counts).toEqual({ seen: 104, sampled: 10, nulls: 10, strata: 2 });
    expect(f.verdicts[0]).toMatchObject({ entity: 'CN_RESIDENT_ID' });
    expect(f.fingerprints).toEqual(['fp(18)']);
  });

  it('bounds the number of fields and forgets raw values once profiled', () => {
    const p = new FieldProfiler({ maxFields: 2 });
    for (const path of ['a', 'b', 'c', 'd']) p.add(path, 'x');
    expect(p.fieldCount).toBe(2);
    expect(p.fieldsDropped).toBe(2);
    expect(p.profile(() => 'h').map((f) => f.path)).toEqual(['a', 'b']);
    expect(p.fieldCount).toBe(0);
  });

  it('reads the leaf as the field name and passes the region, so national phones are read in its country', () => {
    expect(leafName('after.user.mobile')).toBe('mobile');
    expect(leafName('items[].email')).toBe('email');
    const p = new FieldProfiler({ region: 'eu-west-2' });
    for (const v of ['020 7946 0958', '0161 496 0000', '0117 496 0123']) p.add('contact.home_phone', v);
    const [f] = p.profile(() => 'h');
    expect(f.verdicts[0]).toMatchObject({ entity: 'PHONE', basis: { country: 'GB', fieldContext: 'name-hint' } });
  });
});
