import { describe, expect, it } from 'vitest';
import { PII_ENTITIES } from '../model/finding.js';
import { compilePattern } from './compile.js';
import { RECOGNIZERS } from './registry.js';

describe('RECOGNIZERS', () => {
  it('has exactly one built-in recognizer per PII entity of the findings model', () => {
    expect(RECOGNIZERS.map((r) => r.entity).sort()).toEqual([...PII_ENTITIES].sort());
  });

  it.each(RECOGNIZERS.map((r) => [r.entity, r] as const))('%s is well-formed', (_, r) => {
    expect(r.patterns.length).toBeGreaterThan(0);
    expect(r.baseConfidence).toBeGreaterThan(0);
    expect(r.baseConfidence).toBeLessThanOrEqual(1);
    expect(r.nameHints.some((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true); // Chinese hints
    expect(r.nameHints.some((h) => /^[a-z_]+$/.test(h))).toBe(true); // English/pinyin hints
    for (const p of [...r.patterns, ...(r.hintedPatterns ?? [])]) expect(() => compilePattern(p)).not.toThrow();
    if (r.specializes) expect(PII_ENTITIES).toContain(r.specializes);
  });
});
