import { describe, expect, it } from 'vitest';
import { PII_ENTITIES } from '../../shared/core/pii/index.js';
import { generateCorpus } from './pii-corpus.js';
import { evaluateCorpus } from '../../shared/core/pii/evaluate.js';

describe('generateCorpus', () => {
  it('is deterministic per seed and different across seeds', () => {
    expect(generateCorpus(1, 500)).toEqual(generateCorpus(1, 500));
    expect(generateCorpus(1, 500)).not.toEqual(generateCorpus(2, 500));
  });

  it('covers every entity, Chinese and English, plus decoys', () => {
    const corpus = generateCorpus(3, 20_000);
    expect(corpus).toHaveLength(20_000);
    const labels = new Set(corpus.map((c) => c.label));
    for (const entity of PII_ENTITIES) expect(labels).toContain(entity);
    expect(corpus.filter((c) => c.label === null).length).toBeGreaterThan(7_000);
    expect(corpus.some((c) => c.label === 'PERSON_NAME' && /\p{Script=Han}/u.test(c.value))).toBe(true);
    expect(corpus.some((c) => c.label === 'PERSON_NAME' && /^[A-Z][a-z]+ /.test(c.value))).toBe(true);
    expect(corpus.some((c) => c.label === 'ADDRESS' && c.value.includes('号'))).toBe(true);
    expect(corpus.some((c) => c.label === 'ADDRESS' && / Street| Avenue| Road/.test(c.value))).toBe(true);
  });
});

/**
 * Value-level precision and recall on 20,000 synthetic values. The corpus includes hard cases on
 * purpose (mobiles in uid columns, brand names in name fields, lowercase names), so the weak entities
 * have honest floors below 1.
 */
describe('precision and recall on the corpus', () => {
  const floors: Record<string, [precision: number, recall: number]> = {
    CN_RESIDENT_ID: [0.98, 0.95],
    BANK_CARD: [0.98, 0.95],
    IBAN: [0.98, 0.95],
    EMAIL: [0.97, 0.95],
    CN_MOBILE: [0.8, 0.95],
    PHONE: [0.95, 0.85],
    CN_PASSPORT: [0.95, 0.95],
    US_SSN: [0.97, 0.95],
    IP_ADDRESS: [0.97, 0.95],
    PERSON_NAME: [0.85, 0.65],
    DATE_OF_BIRTH: [0.95, 0.9],
    ADDRESS: [0.95, 0.85],
    GEO_COORDINATE: [0.95, 0.75],
  };
  it.each([11, 2025])('seed %i: every entity meets its floor', (seed) => {
    const scores = evaluateCorpus(generateCorpus(seed, 20_000));
    expect(scores.map((s) => s.entity).sort()).toEqual([...PII_ENTITIES].sort());
    for (const s of scores) {
      const [p, r] = floors[s.entity];
      expect({ entity: s.entity, precisionOk: s.precision >= p, recallOk: s.recall >= r, support: s.support > 500 })
        .toEqual({ entity: s.entity, precisionOk: true, recallOk: true, support: true });
    }
  });
});
