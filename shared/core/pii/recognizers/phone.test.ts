import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { phoneRecognizer } from './phone.js';

describe('PHONE recognizer (E.164 and CN landline)', () => {
  it.each([
    ['+14155550123', undefined],
    ['+1 (415) 555-0123', undefined],
    ['+44 20 7946 0958', undefined],
    ['0044 20 7946 0958', undefined],
    ['+81 3-1234-5678', undefined],
    ['010-65123456', undefined],
    ['0755-86123456', undefined],
    ['(415) 555-0123', 'phone'],
    ['01065123456', 'tel'],
  ])('accepts %s (field %s)', (value, field) => expect(matchesRecognizer(phoneRecognizer, value, field)).toBe(true));

  it.each<[string, string | undefined, string]>([
    ['+1415555012', undefined, 'NANP number with 9 digits after +1'],
    ['+1234', undefined, 'too short for E.164'],
    ['+1234567890123456', undefined, 'more than 15 digits (E.164 maximum)'],
    ['(415) 555-0123', undefined, 'national form without a phone-like field name'],
    ['010-05123456', undefined, 'CN subscriber number cannot start with 0'],
    ['010-6512345', undefined, 'Beijing subscriber numbers have 8 digits'],
    ['1700000000', 'phone', 'unix timestamp: NANP area code cannot start with 1'],
    ['+44 20 7946 095a', undefined, 'contains a letter'],
  ])('rejects %s (field %s: %s)', (value, field) => expect(matchesRecognizer(phoneRecognizer, value, field)).toBe(false));
});
