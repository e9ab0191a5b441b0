/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { isAppError } from '../api/errors.js';
import { classifyField, classifyValue } from './classify.js';
import { RECOGNIZERS } from './registry.js';
import { BUILTIN_RULE_PACK_DIR, parseRulePack } from './rule-pack.js';

// Imported as text through Vite (`?raw`) so shared/core stays free of Node modules, tests included.
import exampleText from '../../../resources/rules/examples/pii-employee-id.yaml?raw';

const examplePath = `${BUILTIN_RULE_PACK_DIR}/example-employee-id.yaml`;

describe('parseRulePack', () => {
  it('parses the shipped example pack into working recognizers', () => {
    const pack = parseRulePack(exampleText, examplePath);
    expect(pack.map((r) => r.entity)).toEqual(['EMPLOYEE_ID', 'LOYALTY_CARD']);
    expect(pack[0].source).toBe(examplePath);
    const recognizers = [...RECOGNIZERS, ...pack];
    expect(classifyValue('EMP-004211', { recognizers })[0].entity).toBe('EMPLOYEE_ID');
    expect(classifyValue('004211', { recognizers })).toEqual([]); // hinted pattern needs the field name
    expect(classifyValue('004211', { recognizers, fieldName: '工号' })[0].entity).toBe('EMPLOYEE_ID');
    const [verdict] = classifyField(['EMP-000001', 'EMP-000002', 'EMP-000003'], { recognizers });
    expect(verdict).toMatchObject({ entity: 'EMPLOYEE_ID', matches: 3 });
  });

  it('applies the named validator (luhn)', () => {
    const [, loyalty] = parseRulePack(exampleText, examplePath);
    const recognizers = [loyalty];
    expect(classifyValue('7788 0000 0000 0000 003', { recognizers })[0]?.entity).toBe('LOYALTY_CARD');
    expect(classifyValue('7788 0000 0000 0000 004', { recognizers })).toEqual([]); // fails Luhn
  });

  const rule = (fields: string): string => `rules:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;
  it.each([
    ['broken YAML syntax', 'not: [valid', 'YAML'],
    ['an empty pack', 'rules: []', 'rules'],
    ['no rules key', 'something: else', 'rules'],
    ['missing entity', rule("patterns: ['A\\d+']\nbaseConfidence: 0.5"), 'missing `entity`'],
    ['missing patterns', rule("entity: X_ID\nbaseConfidence: 0.5"), 'patterns'],
    ['unbalanced parenthesis in the regex', rule("entity: X_ID\npatterns: ['A(\\d+']\nbaseConfidence: 0.5"), 'not a valid regular expression'],
    ['a validator outside the fixed set', rule("entity: X_ID\npatterns: ['A\\d+']\nbaseConfidence: 0.5\nvalidator: crc32"), 'unknown validator `crc32`'],
    ['entity not in UPPER_SNAKE_CASE', rule("entity: x-id\npatterns: ['A\\d+']\nbaseConfidence: 0.5"), 'UPPER_SNAKE_CASE'],
    ['confidence above 1', rule("entity: X_ID\npatterns: ['A\\d+']\nbaseConfidence: 1.5"), 'baseConfidence'],
    ['misspelt field', rule("entity: X_ID\npatterns: ['A\\d+']\nbaseConfidence: 0.5\npaterns: ['B']"), 'unknown field'],
    ['hint required but none given', rule("entity: X_ID\npatterns: ['A\\d+']\nbaseConfidence: 0.5\nrequiresNameHint: true"), 'nameHints is empty'],
    ['a pattern too long to trust', rule(`entity: X_ID\npatterns: ['${'a'.repeat(501)}']\nbaseConfidence: 0.5`), 'longer than 500'],
  ])('rejects %s with CONFIG_INVALID naming the file and the fix', (_reason, text, mentions) => {
    let error: unknown;
    try {
      parseRulePack(text, 'packs/broken.yaml');
    } catch (err) {
      error = err;
    }
    expect(isAppError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('packs/broken.yaml');
    expect((error as Error).message).toContain(mentions);
  });

  it('names the failing rule by position and entity', () => {
    const text = "rules:\n  - entity: GOOD_ID\n    patterns: ['G\\d+']\n    baseConfidence: 0.5\n  - entity: BAD_ID\n    patterns: ['(']\n    baseConfidence: 0.5\n";
    expect(() => parseRulePack(text, 'p.yaml')).toThrow(/p\.yaml: rule #2 \(BAD_ID\): patterns\[0\]/);
  });

  it('a rule may name its entity in both languages and set its severity, which the studio and report then use', () => {
    const [r] = parseRulePack(`rules:\n  - entity: EMPLOYEE_ID\n    patterns: ['EMP-\\d{6}']\n    baseConfidence: 0.8\n    labels: { en: employee number, zh-CN: 工号 }\n    severity: high\n`, 'emp.yaml');
    expect(r).toMatchObject({ labels: { en: 'employee number', 'zh-CN': '工号' }, severity: 'high' });
    expect(() => parseRulePack(`rules:\n  - entity: EMPLOYEE_ID\n    patterns: ['x']\n    baseConfidence: 0.8\n    severity: urgent\n`, 'emp.yaml')).toThrow(/emp\.yaml: rule #1 \(EMPLOYEE_ID\): field `severity`/);
  });
});
