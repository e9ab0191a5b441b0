import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FINGERPRINTS, DEFAULT_MAX_VALUES_PER_FIELD, FieldProfiler, FieldSample, leafName, type PendingValue } from './field-profiler.js';
import { fingerprintOrder } from './fingerprint-order.js';
import { valueFingerprints } from '../lineage/rules/value-fingerprints.js';
import { view } from '../../../scripts/testing/fixtures/lineage-graphs.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../model/urn.js';

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

/** A stand-in for the workspace HMAC (shared/core has no Node crypto): any fixed string → 32 hex digits. */
const fakeHmac = (v: string): string => {
  let a = 0x811c9dc5, b = 0x01234567;
  for (let i = 0; i < v.length; i++) { a = Math.imul(a ^ v.charCodeAt(i), 0x01000193); b = Math.imul(b ^ v.charCodeAt(i), 0x5bd1e995); }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).repeat(2);
};
const mobile = (i: number): string => `138${String(i).padStart(8, '0')}`;
/** A deterministic shuffle (a store holds its rows in its own order). */
const shuffled = <T>(xs: T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

describe('FieldProfiler sample: uniform over the stream, bounded apart from counting', () => {
  it('classifies a uniform sample of the whole stream, not its first values, and counts every value', () => {
    // The first half of the stream is placeholders, the second half resident IDs: a sample of the
    // first values would see no ID at all; a uniform one sees about half.
    const p = new FieldProfiler({ maxValuesPerField: 500 });
    for (let i = 0; i < 100_000; i++) p.add('users.ref', i < 50_000 ? 'n/a' : ID);
    const [f] = p.profile(fakeHmac);
    expect(f.counts).toMatchObject({ seen: 100_000, sampled: 500 });
    const ids = f.verdicts.find((v) => v.entity === 'CN_RESIDENT_ID');
    expect(ids).toBeDefined();
    expect(ids!.prevalence).toBeGreaterThan(0.4);
    expect(ids!.prevalence).toBeLessThan(0.6);
  });

  it('is deterministic: the same stream gives the same sample and verdicts', () => {
    const run = () => {
      const p = new FieldProfiler({ maxValuesPerField: 300 });
      for (let i = 0; i < 20_000; i++) p.add('c', i % 3 === 0 ? mobile(i) : `order-${i}`);
      return p.profile(fakeHmac);
    };
    expect(run()).toEqual(run());
  });

  it('keeps every stratum represented and each one uniform: a small partition beside a large one keeps its values', () => {
    const p = new FieldProfiler({ maxValuesPerField: 200 });
    for (let i = 0; i < 10_000; i++) p.add('t.v', i < 5_000 ? 'n/a' : mobile(i), 'partition-0');
    for (let i = 0; i < 50; i++) p.add('t.v', mobile(900_000 + i), 'partition-1');
    const [f] = p.profile(fakeHmac);
    expect(f.counts).toMatchObject({ seen: 10_050, sampled: 200, strata: 2 });
    const m = f.verdicts.find((v) => v.entity === 'CN_MOBILE')!;
    // partition-1 (50, all mobiles) kept whole; partition-0 (150 of 10,000) about half mobiles.
    expect(m.matches).toBeGreaterThan(50 + 150 * 0.35);
    expect(m.matches).toBeLessThan(50 + 150 * 0.65);
  });

  it('classifies at most the bound per field however long the stream (a 100k-message topic sample is not 500k values)', () => {
    const p = new FieldProfiler();
    for (let i = 0; i < 100_000; i++) p.add('after.mobile', mobile(i));
    const [f] = p.profile(fakeHmac);
    expect(f.counts.seen).toBe(100_000);
    expect(f.counts.sampled).toBe(DEFAULT_MAX_VALUES_PER_FIELD);
  });
});

describe('FieldProfiler fingerprints: a bottom-k sketch in one fixed order, the same values chosen in every store', () => {
  const people = Array.from({ length: 5_000 }, (_, i) => mobile(i * 7 + 3));
  const fingerprintsOfStore = (values: string[], path = 'mobile'): string[] => {
    const p = new FieldProfiler();
    for (const v of values) p.add(path, v);
    return p.profile(fakeHmac)[0].fingerprints;
  };

  it('two stores holding the same people in different orders and formats fingerprint the same 50 people', () => {
    const a = fingerprintsOfStore(shuffled(people, 1));
    // Another system writes them in E.164 with separators, in another order, with each row updated twice.
    const b = fingerprintsOfStore(shuffled([...people, ...people].map((v) => `+86 ${v.slice(0, 3)}-${v.slice(3, 7)}-${v.slice(7)}`), 2));
    expect(a).toHaveLength(DEFAULT_MAX_FINGERPRINTS);
    expect(new Set(b)).toEqual(new Set(a));
  });

  it('two stores logging the same IP clients in different notations fingerprint the same addresses (RFC 5952, IPv4-mapped)', () => {
    // 3,000 clients (over the 2,000-value sample: the order picks the candidates): IPv6 hosts and IPv4 hosts.
    const groups = (i: number): number[] => [0x2001, 0xdb8, 0, 0, 0, i >> 8, 0, i & 0xff];
    const v6 = Array.from({ length: 2_000 }, (_, i) => groups(i + 1));
    const v4 = Array.from({ length: 1_000 }, (_, i) => `198.51.${i >> 8}.${(i & 0xff) + 1}`);
    // One system writes compressed lowercase and plain IPv4; a dual-stack one writes full uppercase groups and ::ffff:a.b.c.d.
    const compressed = [...v6.map((g) => g.map((x) => x.toString(16)).join(':').replace(/:0:0:0:/, '::')), ...v4];
    const expanded = [...v6.map((g) => g.map((x) => x.toString(16).toUpperCase().padStart(4, '0')).join(':')), ...v4.map((a) => `::FFFF:${a}`)];
    const a = fingerprintsOfStore(shuffled(compressed, 3), 'client_ip');
    const b = fingerprintsOfStore(shuffled(expanded, 4), 'remote_ip');
    expect(a).toHaveLength(DEFAULT_MAX_FINGERPRINTS);
    expect(new Set(b)).toEqual(new Set(a));
  });

  it('chooses the same values whether the field fit in its sample or overflowed it', () => {
    const few = people.slice(0, 1_500);
    // 1,500 rows fit the 2,000-value sample; the same rows each updated twice (4,500 values) do not.
    expect(new Set(fingerprintsOfStore([...few, ...few, ...few]))).toEqual(new Set(fingerprintsOfStore(few)));
  });

  it('a store holding a part of the people shares the part the sketch predicts, and lineage links it', () => {
    const full = fingerprintsOfStore(people);
    // Half of the same people plus as many others (a regional copy).
    const part = fingerprintsOfStore([...people.filter((_, i) => i % 2 === 0), ...Array.from({ length: 2_500 }, (_, i) => mobile(90_000_000 + i))]);
    const shared = full.filter((f) => part.includes(f)).length;
    expect(shared).toBeGreaterThan(10);
    const edges = valueFingerprints.infer(view([
      { urn: mysqlUrn('db', 'shop', 'users', 'mobile'), kind: 'column', name: 'mobile', source: 'db', props: { fingerprints: full } },
      { urn: s3Urn('lake', 'b', 'p', 'mobile'), kind: 'field', name: 'mobile', source: 'lake', props: { fingerprints: part } },
    ]));
    expect(edges).toHaveLength(1);
  });

  it('independent populations sharing 1% of their values by coincidence are not linked (the test stays sound)', () => {
    for (let seed = 0; seed < 10; seed++) {
      const base = seed * 1_000_000;
      const a = Array.from({ length: 5_000 }, (_, i) => mobile(10_000_000 + base + i));
      const b = [...Array.from({ length: 4_950 }, (_, i) => mobile(50_000_000 + base + i)), ...a.slice(0, 50)];
      const edges = valueFingerprints.infer(view([
        { urn: mysqlUrn('db', 'shop', 'users', 'mobile'), kind: 'column', name: 'mobile', source: 'db', props: { fingerprints: fingerprintsOfStore(a) } },
        { urn: kafkaUrn('k', 't', 'after.mobile'), kind: 'field', name: 'after.mobile', source: 'k', props: { fingerprints: fingerprintsOfStore(b, 'after.mobile') } },
      ]));
      expect(edges).toEqual([]);
    }
  });
});

describe('FieldSample.addPending (a value offered before its text is made)', () => {
  /** A pending value over a text, counting how often its text is made. */
  const pendingOf = (text: string, made: { n: number }): PendingValue => ({ rank: () => fingerprintOrder(text), text: () => { made.n++; return text; } });

  it('keeps the same sample, counts, verdicts and fingerprints as add, and makes few texts once the sample is full', () => {
    const hmac = (v: string) => `fp:${v}`;
    // E-mails repeating (updates of the same rows), with some noise: the sample overflows early.
    const stream = Array.from({ length: 40_000 }, (_, i) => (i % 5 === 4 ? `order ${i}` : `user${(i * 7919) % 9_000}@example.org`));
    const byText = new FieldSample('contact');
    const byPending = new FieldSample('contact');
    const made = { n: 0 };
    stream.forEach((v, i) => {
      const stratum = i % 5 === 0 ? 'snapshot' : 'binlog';
      byText.add(v, stratum);
      byPending.addPending(pendingOf(v, made), stratum);
    });
    const options = { fieldName: 'email' };
    expect(byPending.profile('contact', hmac, options)).toEqual(byText.profile('contact', hmac, options));
    expect([byPending.keptIn('snapshot'), byPending.keptIn('binlog')]).toEqual([byText.keptIn('snapshot'), byText.keptIn('binlog')]);
    expect(byPending.profile('contact', hmac, options).fingerprints).toHaveLength(DEFAULT_MAX_FINGERPRINTS);
    expect(made.n).toBeLessThan(stream.length / 4);
  });
});
