import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { cnPassportRecognizer } from './cn-passport.js';

describe('CN_PASSPORT recognizer', () => {
  it.each([
    ['E12345678', undefined],
    ['G87654321', undefined],
    ['EA1234567', undefined],
    ['P1234567', 'passport_no'],
  ])('accepts %s (field %s)', (value, field) => expect(matchesRecognizer(cnPassportRecognizer, value, field)).toBe(true));

  it.each([
    ['E1234567', undefined, 'E + 7 digits is too short'],
    ['A12345678', undefined, 'A is not a passport series letter'],
    ['EI1234567', undefined, 'I is not used after E (confusable with 1)'],
    ['EO1234567', undefined, 'O is not used after E (confusable with 0)'],
    ['P1234567', undefined, 'service passport form only in a passport-like field'],
    ['E20240315', undefined, 'a date-stamped batch code'],
    ['e12345678', undefined, 'lowercase series letter'],
  ])('rejects %s (field %s: %s)', (value, field) => expect(matchesRecognizer(cnPassportRecognizer, value, field)).toBe(false));
});
