import { describe, expect, it } from 'vitest';
import { entityCoverage } from './coverage.js';

describe('entityCoverage', () => {
  it('says where each entity was found, and for the others how many values of how many fields were looked at', () => {
    const out = entityCoverage([
      { sampled: 1000, entities: ['EMAIL'] },
      { sampled: 400, entities: [] },
      { sampled: 0, entities: [] },
      { sampled: 50, entities: ['EMAIL', 'EMPLOYEE_ID'] },
    ], ['EMAIL', 'PERSON_NAME']);
    expect(out).toEqual([
      { entity: 'EMAIL', found: true, fields: 2 },
      { entity: 'PERSON_NAME', found: false, sampledValues: 1450, fields: 3 },
      { entity: 'EMPLOYEE_ID', found: true, fields: 1 },
    ]);
  });

  it('covers every built-in entity by default, so no entity is silently absent', () => {
    expect(entityCoverage([]).map((c) => c.entity)).toContain('PERSON_NAME');
    expect(entityCoverage([]).every((c) => !c.found && c.sampledValues === 0)).toBe(true);
  });
});
