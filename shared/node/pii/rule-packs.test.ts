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

describe('the shipped rule packs', () => {
  it('load by default and find Chinese licence plates and travel permits by their fields', () => {
    const entities = loadRulePacks().map((r) => r.entity);
    expect(entities).toEqual(expect.arrayContaining(['CN_VEHICLE_PLATE', 'CN_HK_MACAO_PERMIT', 'CN_TAIWAN_PERMIT']));
    const plates = ['京A12345', '沪AD12345', '粤B1234挂', '浙C88888', '苏E5F6G7'];
    expect(classifyField(plates, { fieldName: '车牌号' }).map((v) => v.entity)).toContain('CN_VEHICLE_PLATE');
    // Decoys: an 8-digit number is a Taiwan permit only where the field says so.
    expect(classifyField(['12345678', '87654321', '11223344'], { fieldName: 'order_count' }).map((v) => v.entity)).not.toContain('CN_TAIWAN_PERMIT');
    expect(classifyField(['12345678', '87654321', '11223344'], { fieldName: 'taibaozheng' }).map((v) => v.entity)).toContain('CN_TAIWAN_PERMIT');
    expect(classifyField(['C12345678', 'CA1234567'], { fieldName: '港澳通行证' }).map((v) => v.entity)).toContain('CN_HK_MACAO_PERMIT');
  });
});
