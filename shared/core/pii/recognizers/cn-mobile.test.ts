import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { cnMobileRecognizer } from './cn-mobile.js';

describe('CN_MOBILE recognizer', () => {
  it.each([
    ['13812345678'],
    ['+86 138 1234 5678'],
    ['+8613812345678'],
    ['008613812345678'],
    ['8619912345678'],
    ['138-1234-5678'],
    ['16612345678'],
  ])('accepts %s', (value) => expect(matchesRecognizer(cnMobileRecognizer, value)).toBe(true));

  it.each([
    ['12812345678', 'prefix 12x is not a mobile range'],
    ['10012345678', 'prefix 10x is not a mobile range'],
    ['15412345678', '154 was never allocated'],
    ['19412345678', '194 was never allocated'],
    ['1381234567', '10 digits'],
    ['138123456789', '12 digits'],
    ['+8713812345678', 'wrong country code'],
    ['1700000000000', '13-digit millisecond timestamp'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(cnMobileRecognizer, value)).toBe(false));
});
