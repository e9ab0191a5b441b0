import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { usSsnRecognizer } from './us-ssn.js';

describe('US_SSN recognizer', () => {
  it.each([
    ['123-45-6789', undefined],
    ['899-99-9999', undefined],
    ['123 45 6789', undefined],
    ['123456789', 'ssn'],
  ])('accepts %s (field %s)', (value, field) => expect(matchesRecognizer(usSsnRecognizer, value, field)).toBe(true));

  it.each([
    ['000-12-3456', undefined, 'area 000 is never issued'],
    ['666-12-3456', undefined, 'area 666 is never issued'],
    ['912-12-3456', undefined, 'areas 900-999 are never issued'],
    ['123-00-4567', undefined, 'group 00 is never issued'],
    ['123-45-0000', undefined, 'serial 0000 is never issued'],
    ['078-05-1120', undefined, 'voided: printed in a 1938 wallet advertisement'],
    ['123456789', undefined, 'undashed 9 digits without an ssn-like field name'],
    ['123-456-789', undefined, 'wrong grouping'],
  ])('rejects %s (field %s: %s)', (value, field) => expect(matchesRecognizer(usSsnRecognizer, value, field)).toBe(false));
});
