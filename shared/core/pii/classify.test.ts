import { describe, expect, it } from 'vitest';
import { classifyField, classifyValue, describeCoverage, MAX_TEXT_SCAN, TEXT_EXAMPLE } from './classify.js';
import { generateCorpus } from '../../../scripts/testing/pii-corpus.js';

/** `matching` copies of a PII value and `others` of plain text, to set prevalence exactly. */
const column = (value: string, matching: number, others: number, other = 'n/a'): string[] => [
  ...Array(matching).fill(value),
  ...Array(others).fill(other),
];
const ID = '11010519491231002X';

describe('classifyField prevalence and thresholds', () => {
  it('reports an entity with matches, sampled, prevalence and masked examples', () => {
    const [verdict] = classifyField(column(ID, 8, 2));
    expect(verdict).toMatchObject({ entity: 'CN_RESIDENT_ID', matches: 8, sampled: 10, prevalence: 0.8 });
    expect(verdict.examples).toEqual(['1101**********002X']);
    expect(verdict.confidence).toBeGreaterThan(0.7);
    expect(verdict.confidence).toBeLessThanOrEqual(0.99);
  });

  it.each<[number, number, string | undefined, boolean, string]>([
    [5, 5, undefined, true, 'prevalence 0.5 reaches the 0.5 default of a checksum entity'],
    [4, 6, undefined, false, 'prevalence 0.4 is below the 0.5 default'],
    [4, 6, 'sfzh', true, 'a name hint lowers the threshold (0.5 × 0.6 = 0.3)'],
    [2, 8, 'sfzh', false, 'prevalence 0.2 stays below even the hinted threshold'],
  ])('%i matching of %i others in field %s → reported: %s (%s)', (matching, others, fieldName, reported) => {
    const verdicts = classifyField(column(ID, matching, others), { fieldName });
    expect(verdicts.some((v) => v.entity === 'CN_RESIDENT_ID')).toBe(reported);
  });

  it('per-entity threshold overrides apply', () => {
    expect(classifyField(column(ID, 5, 5), { thresholds: { CN_RESIDENT_ID: 0.9 } })).toEqual([]);
    expect(classifyField(column(ID, 2, 8), { thresholds: { CN_RESIDENT_ID: 0.2 } })[0]?.entity).toBe('CN_RESIDENT_ID');
  });

  it('ignores null, undefined and blank values when computing prevalence', () => {
    const [verdict] = classifyField([ID, null, undefined, '', '   ', ID]);
    expect(verdict).toMatchObject({ matches: 2, sampled: 2, prevalence: 1 });
    expect(classifyField([null, '', undefined])).toEqual([]);
  });

  it('a name hint raises confidence; more samples raise it too', () => {
    const plain = classifyField(column(ID, 10, 0))[0].confidence;
    const hinted = classifyField(column(ID, 10, 0), { fieldName: '身份证号' })[0].confidence;
    const tiny = classifyField(column(ID, 1, 0))[0].confidence;
    expect(hinted).toBeGreaterThan(plain);
    expect(plain).toBeGreaterThan(tiny);
  });

  it('keeps at most 3 distinct masked examples and never a raw value', () => {
    const values = ['13812345678', '13912345678', '13712345678', '13612345678', '13812345678'];
    const [verdict] = classifyField(values);
    expect(verdict.entity).toBe('CN_MOBILE');
    expect(verdict.examples).toHaveLength(3);
    for (const e of verdict.examples) for (const v of values) expect(e).not.toContain(v);
  });

  it('prefers CN_MOBILE over PHONE on the same values (strict subtype)', () => {
    const verdicts = classifyField(['+86 138 1234 5678', '+8613912345678', '+86 137 1234 5678']);
    expect(verdicts.map((v) => v.entity)).toEqual(['CN_MOBILE']);
  });

  it('still reports PHONE for the international numbers left over beside CN mobiles', () => {
    const values = [...column('+8613812345678', 10, 0), ...column('+44 20 7946 0958', 10, 0)];
    const verdicts = classifyField(values, { fieldName: 'phone' });
    expect(verdicts.find((v) => v.entity === 'CN_MOBILE')).toMatchObject({ matches: 10 });
    expect(verdicts.find((v) => v.entity === 'PHONE')).toMatchObject({ matches: 10, prevalence: 0.5 });
  });

  it('falls back to PHONE over all values when CN mobiles alone are below threshold', () => {
    const values = [...column('+8613812345678', 4, 0), ...column('+44 20 7946 0958', 4, 0), ...column('x', 2, 0)];
    const verdicts = classifyField(values);
    expect(verdicts.map((v) => v.entity)).toEqual(['PHONE']);
    expect(verdicts[0].matches).toBe(8);
  });

  it('returns verdicts sorted by confidence, at most one per entity', () => {
    const values = [...column('13812345678', 10, 0), ...column('john@example.com', 10, 0)];
    const verdicts = classifyField(values, { thresholds: { CN_MOBILE: 0.3, EMAIL: 0.3 } });
    expect(new Set(verdicts.map((v) => v.entity)).size).toBe(verdicts.length);
    for (let i = 1; i < verdicts.length; i++) expect(verdicts[i - 1].confidence).toBeGreaterThanOrEqual(verdicts[i].confidence);
    expect(verdicts.map((v) => v.entity).sort()).toEqual(['CN_MOBILE', 'EMAIL']);
  });

  it('names and birth dates need a hint', () => {
    expect(classifyField(['张伟', '李娜', '王芳'])).toEqual([]);
    expect(classifyField(['张伟', '李娜', '王芳'], { fieldName: '姓名' })[0].entity).toBe('PERSON_NAME');
    expect(classifyField(['1990-01-02', '1985-12-31'], { fieldName: 'created_at' })).toEqual([]);
    expect(classifyField(['1990-01-02', '1985-12-31'], { fieldName: 'birthday' })[0].entity).toBe('DATE_OF_BIRTH');
  });
});

describe('decoy columns are not flagged', () => {
  const corpus = generateCorpus(99, 20_000);
  // Group decoys by the kind of value (first character class) into 200-value columns, as a table would hold them.
  const decoys = corpus.filter((item) => item.label === null).map((item) => item.value);
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('random column #%i of 200 decoys yields no verdict', (i) => {
    expect(classifyField(decoys.slice(i * 200, i * 200 + 200))).toEqual([]);
  });

  it.each([
    ['order numbers', Array.from({ length: 100 }, (_, i) => `2025112${i % 10}${String(1000000000 + i * 7919)}`)],
    ['unix timestamps', Array.from({ length: 100 }, (_, i) => String(1_700_000_000 + i * 86_400))],
    ['ms timestamps', Array.from({ length: 100 }, (_, i) => String(1_700_000_000_000 + i * 86_400_123))],
    ['versions', Array.from({ length: 100 }, (_, i) => `${i % 5}.${i % 13}.${i}`)],
    ['prices', Array.from({ length: 100 }, (_, i) => `${(i * 13.37).toFixed(2)}`)],
  ])('%s', (_, values) => expect(classifyField(values, { fieldName: 'value' })).toEqual([]));
});

describe('classifyValue', () => {
  it.each([
    ['13812345678', undefined, 'CN_MOBILE'],
    ['+86 138 1234 5678', undefined, 'CN_MOBILE'],
    ['+44 20 7946 0958', undefined, 'PHONE'],
    ['john@example.com', undefined, 'EMAIL'],
    ['张伟', 'name', 'PERSON_NAME'],
    ['１３８１２３４５６７８', undefined, 'CN_MOBILE'],
  ])('%s (field %s) → %s', (value, fieldName, entity) => {
    const matches = classifyValue(value, { fieldName });
    expect(matches[0].entity).toBe(entity);
    expect(matches.map((m) => m.entity)).not.toContain(entity === 'CN_MOBILE' ? 'PHONE' : 'none');
  });

  it.each([
    ['550e8400-e29b-41d4-a716-446655440000', 'a UUID'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'an md5 hash'],
    ['1700000000', 'a unix timestamp'],
    ['12812345678', 'an 11-digit number on an unallocated prefix'],
    ['', 'empty'],
    ['x'.repeat(10_000), 'longer than any entity'],
  ])('%s → nothing (%s)', (value) => expect(classifyValue(value)).toEqual([]));

  it('a hinted field raises the value confidence', () => {
    const plain = classifyValue('13812345678')[0].confidence;
    const hinted = classifyValue('13812345678', { fieldName: 'shouji' })[0].confidence;
    expect(hinted).toBeGreaterThan(plain);
  });
});

describe('describeCoverage', () => {
  it.each([
    [{ sampled: 1000, total: 52311, method: 'random, bounded SELECT' }, 'sampled 1,000 of 52,311 rows (random, bounded SELECT)'],
    [{ sampled: 200, method: 'first messages per partition', unit: 'messages' }, 'sampled 200 messages (first messages per partition)'],
    [{ sampled: 40, total: 40, method: 'full scan' }, 'scanned all 40 rows (full scan)'],
    [{ sampled: 1234567, total: 9876543, method: '' }, 'sampled 1,234,567 of 9,876,543 rows'],
  ])('%o → %s', (input, sentence) => expect(describeCoverage(input)).toBe(sentence));
});

describe('free text: entities found inside long values and sentences', () => {
  const remarks = [
    '客户要求改地址，联系电话 13812345678，周末送货',
    'Please call the customer back on +44 20 7946 0958 before shipping the replacement parts to the new site.',
    `${'Lorem ipsum dolor sit amet. '.repeat(20)} contact: jane.doe@example.com`,
    'Delivered, no remarks',
    '已签收',
    `身份证 11010519491231002X 已核验 ${'备注'.repeat(200)}`,
  ];

  it('reports each entity found inside text in N of M values, with examples that show nothing of the text', () => {
    const verdicts = classifyField([...remarks, ...remarks], { fieldName: 'remark' });
    const byEntity = Object.fromEntries(verdicts.map((v) => [v.entity, v]));
    for (const entity of ['CN_MOBILE', 'PHONE', 'EMAIL', 'CN_RESIDENT_ID']) {
      expect(byEntity[entity]).toMatchObject({ matches: 2, sampled: 12, basis: { inText: 2, fieldContext: 'none' } });
      expect(byEntity[entity].examples).toEqual([TEXT_EXAMPLE]);
    }
    expect(Object.keys(byEntity).sort()).toEqual(['CN_MOBILE', 'CN_RESIDENT_ID', 'EMAIL', 'PHONE']);
  });

  it('needs two values at least: one hit in a comment column is a value, not a field', () => {
    expect(classifyField([remarks[0], 'ok', 'fine'], { fieldName: 'remark' })).toEqual([]);
  });

  it('reads a bounded prefix of each value: an entity past MAX_TEXT_SCAN characters is not searched for', () => {
    const late = `${'x '.repeat(MAX_TEXT_SCAN)} 13812345678`;
    expect(classifyField([late, late, late], { fieldName: 'remark' })).toEqual([]);
  });

  it('rejects text candidates that fail validation (a Luhn-failing card, an unallocated mobile prefix)', () => {
    const bad = ['order 4111 1111 1111 1112 shipped to the depot today', '订单备注：号码 12012345678 无效，请核对'];
    expect(classifyField([...bad, ...bad], { fieldName: 'note' })).toEqual([]);
  });
});
