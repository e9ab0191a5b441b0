import { describe, expect, it } from 'vitest';
import { normalizeForFingerprint } from './normalize.js';

describe('normalizeForFingerprint: the same value written two ways is equal', () => {
  it.each([
    ['CN_MOBILE', '+86 138-1234-5678', '13812345678'],
    ['CN_MOBILE', '１３８１２３４５６７８', '13812345678'],
    ['EMAIL', ' John.Smith@Example.COM ', 'john.smith@example.com'],
    ['CN_RESIDENT_ID', '110105 19491231 002x', '11010519491231002X'],
    ['BANK_CARD', '4111-1111 1111-1111', '4111111111111111'],
    ['IBAN', 'de89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['US_SSN', '123-45-6789', '123456789'],
    ['IP_ADDRESS', '2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['IP_ADDRESS', '0:0:0:0:0:ffff:c000:0280', '192.0.2.128'],
    ['DATE_OF_BIRTH', '1990年3月5日', '1990-03-05'],
    ['PERSON_NAME', ' John   Smith ', 'john smith'],
    ['GEO_COORDINATE', 'POINT(116.4074 39.9042)', '39.90420,116.40740'],
  ])('%s %s → %s', (entity, value, expected) => expect(normalizeForFingerprint(entity, value)).toBe(expected));

  it('a CN mobile in E.164 (PHONE) meets its national form (CN_MOBILE)', () => {
    expect(normalizeForFingerprint('PHONE', '+86 138 1234 5678')).toBe(normalizeForFingerprint('CN_MOBILE', '13812345678'));
    expect(normalizeForFingerprint('PHONE', '0044 20 7946 0958')).toBe(normalizeForFingerprint('PHONE', '+44 20 7946 0958'));
  });

  it('keeps different values different', () => {
    expect(normalizeForFingerprint('CN_MOBILE', '13812345678')).not.toBe(normalizeForFingerprint('CN_MOBILE', '13812345679'));
    expect(normalizeForFingerprint('DATE_OF_BIRTH', '1990-03-05')).not.toBe(normalizeForFingerprint('DATE_OF_BIRTH', '1990-05-03'));
  });
});
