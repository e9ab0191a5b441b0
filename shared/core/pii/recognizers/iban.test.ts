import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { ibanRecognizer } from './iban.js';

describe('IBAN recognizer (ISO 13616, MOD 97-10)', () => {
  it.each([
    ['DE89370400440532013000'],
    ['DE89 3704 0044 0532 0130 00'],
    ['GB29NWBK60161331926819'],
    ['GB29-NWBK-6016-1331-9268-19'], // national forms group with dashes (python-stdnum's registry samples do too)
    ['FR1420041010050500013M02606'],
    ['NO9386011117947'],
    ['gb29nwbk60161331926819'],
  ])('accepts %s', (value) => expect(matchesRecognizer(ibanRecognizer, value)).toBe(true));

  it.each([
    ['DE89370400440532013001', 'last digit changed: mod 97 is not 1'],
    ['DE88370400440532013000', 'check digits changed'],
    ['DE8937040044053201300', 'Germany has 22 characters, this has 21'],
    ['XX89370400440532013000', 'XX is not an IBAN country'],
    ['GB29-NWBK-6016-1331-9268-18', 'grouped with dashes, but the check digits are wrong'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(ibanRecognizer, value)).toBe(false));
});
