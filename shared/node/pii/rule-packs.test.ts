import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { classifyField, setRulePackRecognizers } from '../../core/pii/index.js';
import { loadRulePacks } from './rule-packs.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());
afterEach(() => setRulePackRecognizers([]));
const EXAMPLE = resolve(import.meta.dirname, '..', '..', '..', 'resources', 'rules', 'examples', 'pii-employee-id.yaml');

describe('rule packs from files', () => {
  it('adds a user pack to every classification, without code', () => {
    const dir = tmp.path('packs-ok');
    mkdirSync(dir, { recursive: true });
    copyFileSync(EXAMPLE, join(dir, 'acme.yaml'));
    const values = Array.from({ length: 20 }, (_, i) => `EMP-${String(100000 + i * 37).padStart(6, '0')}`);
    expect(classifyField(values, { fieldName: 'staff' }).map((v) => v.entity)).not.toContain('EMPLOYEE_ID');
    expect(loadRulePacks([dir]).map((r) => r.entity)).toEqual(['EMPLOYEE_ID', 'LOYALTY_CARD']);
    expect(classifyField(values, { fieldName: 'staff' }).map((v) => v.entity)).toContain('EMPLOYEE_ID');
  });

  it('refuses a broken pack with the file and the rule named', () => {
    const dir = tmp.path('packs-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.yaml'), 'version: 1\nrules:\n  - entity: BADGE\n    patterns: ["(unclosed"]\n    baseConfidence: 0.8\n');
    expect(() => loadRulePacks([dir])).toThrowError(/broken\.yaml.*BADGE|BADGE.*broken\.yaml/s);
  });

  it('ignores folders that do not exist', () => {
    expect(loadRulePacks([tmp.path('nope')])).toEqual([]);
  });
});
