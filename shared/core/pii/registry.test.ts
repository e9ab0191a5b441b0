import { describe, expect, it } from 'vitest';
import { compilePattern } from './compile.js';
import { maskValue } from './masking.js';
import { normalizeForFingerprint } from './normalize.js';
import { entityDefinition, entityLabel, entitySeverity, PII_ENTITIES, RECOGNIZERS, setRulePackRecognizers } from './registry.js';
import { parseRulePack } from './rule-pack.js';

const DESIGN_ENTITIES = [
  'EMAIL', 'PHONE', 'CN_MOBILE', 'CN_RESIDENT_ID', 'BANK_CARD', 'IBAN', 'CN_PASSPORT', 'US_SSN',
  'IP_ADDRESS', 'PERSON_NAME', 'DATE_OF_BIRTH', 'ADDRESS', 'GEO_COORDINATE',
];

describe('RECOGNIZERS', () => {
  it('has exactly one built-in recognizer per entity of DESIGN.md, and PII_ENTITIES is read from them', () => {
    expect(RECOGNIZERS.map((r) => r.entity).sort()).toEqual([...DESIGN_ENTITIES].sort());
    expect([...PII_ENTITIES].sort()).toEqual([...DESIGN_ENTITIES].sort());
  });

  it.each(RECOGNIZERS.map((r) => [r.entity, r] as const))('%s is well-formed and carries its own labels, severity, masker, normalizer and validation', (_, r) => {
    expect(r.patterns.length).toBeGreaterThan(0);
    expect(r.baseConfidence).toBeGreaterThan(0);
    expect(r.baseConfidence).toBeLessThanOrEqual(1);
    expect(r.nameHints.some((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true); // Chinese hints
    expect(r.nameHints.some((h) => /^[a-z_]+$/.test(h))).toBe(true); // English/pinyin hints
    for (const p of [...r.patterns, ...(r.hintedPatterns ?? [])]) expect(() => compilePattern(p)).not.toThrow();
    if (r.specializes) expect(PII_ENTITIES).toContain(r.specializes);
    expect(r.labels?.en).toMatch(/\S/);
    expect(r.labels?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(r.severity).toMatch(/^(low|medium|high|critical)$/);
    expect(typeof r.mask).toBe('function');
    expect(r.validation).toMatch(/\S/);
  });

  it('one name per entity in each language: no two entities share a label', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const labels = RECOGNIZERS.map((r) => r.labels![lang]);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(entityLabel('ADDRESS', 'zh-CN')).toBe('地址');
  });

  it('labels, severity, masking and normalizing are read from the recognizer, so a rule-pack entity brings its own', () => {
    const [pack] = parseRulePack(`rules:\n  - entity: EMPLOYEE_ID\n    patterns: ['EMP-\\d{6}']\n    baseConfidence: 0.8\n`, 'employee.yaml');
    const custom = { ...pack, labels: { en: 'employee number', 'zh-CN': '工号' }, severity: 'high' as const, mask: () => 'EMP-******', normalize: (v: string) => v.toUpperCase() };
    setRulePackRecognizers([custom]);
    try {
      expect(entityDefinition('EMPLOYEE_ID')).toBe(custom);
      expect(entityLabel('EMPLOYEE_ID', 'zh-CN')).toBe('工号');
      expect(entitySeverity('EMPLOYEE_ID')).toBe('high');
      expect(maskValue('EMPLOYEE_ID', 'EMP-004211')).toBe('EMP-******');
      expect(normalizeForFingerprint('EMPLOYEE_ID', ' emp-004211 ')).toBe('EMP-004211');
    } finally {
      setRulePackRecognizers([]);
    }
    expect(entityLabel('EMPLOYEE_ID')).toBe('EMPLOYEE_ID');
    expect(entitySeverity('EMPLOYEE_ID')).toBe('low');
    expect(entitySeverity('CN_RESIDENT_ID')).toBe('high');
  });
});
