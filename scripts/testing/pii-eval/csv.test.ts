import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv (the evaluation CSV files)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF lines and a NULL token', () => {
    const t = parseCsv('1,"Goroka, ""Airport""",\\N\r\n2,"two\nlines",-6.08\r\n', { header: ['id', 'name', 'lat'], nullToken: '\\N' });
    expect(t.columns).toEqual(['id', 'name', 'lat']);
    expect(t.rows).toEqual([['1', 'Goroka, "Airport"', null], ['2', 'two\nlines', '-6.08']]);
  });

  it('takes the header from the first line when none is given', () => {
    expect(parseCsv('longitude,latitude\n-122.23,37.88\n')).toEqual({ columns: ['longitude', 'latitude'], rows: [['-122.23', '37.88']] });
  });

  it('names the line whose width differs from the header, and an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/line 3 has 1 fields, the header 2/);
    expect(() => parseCsv('a\n"open\n')).toThrow(/unterminated quoted field/);
  });
});
