import { describe, expect, it } from 'vitest';
import { cnMobileNational, gb11643CheckChar, gb11643Valid, ibanValid, isCalendarDate, isIPv4, isIPv6, luhnValid, plausibleBirthDate } from './checksums.js';

describe('luhnValid (ISO/IEC 7812-1 Annex B)', () => {
  it.each([['79927398713'], ['4111111111111111'], ['4111 1111 1111 1111'], ['0000000000000000']])('accepts %s', (v) => expect(luhnValid(v)).toBe(true));
  it.each([
    ['79927398710', 'last digit changed'],
    ['4111111111111121', 'two digits swapped'],
    ['4111a11111111111', 'a letter'],
    ['0', 'a single digit is not a number with a check digit'],
  ])('rejects %s (%s)', (v) => expect(luhnValid(v)).toBe(false));
});

describe('ibanValid (ISO 13616 MOD 97-10)', () => {
  it.each([['DE89370400440532013000'], ['GB82 WEST 1234 5698 7654 32'], ['CH9300762011623852957'], ['SA0380000000608010167519']])('accepts %s', (v) => expect(ibanValid(v)).toBe(true));
  it.each([
    ['GB82WEST12345698765433', 'checksum off by one'],
    ['GB82WEST123456987654', 'too short for GB (22)'],
    ['ZZ82WEST12345698765432', 'unknown country'],
    ['GB82WEST1234569876543!', 'punctuation'],
  ])('rejects %s (%s)', (v) => expect(ibanValid(v)).toBe(false));
});

describe('gb11643 (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('computes the standard example check character X', () => expect(gb11643CheckChar('11010519491231002')).toBe('X'));
  it('accepts the standard example', () => expect(gb11643Valid('11010519491231002X')).toBe(true));
  it.each([
    ['110105194912310020', 'check character 0 instead of X'],
    ['11010519491231002X1', '19 characters'],
    ['00010519491231002X', 'province 00 does not exist'],
  ])('rejects %s (%s)', (v) => expect(gb11643Valid(v)).toBe(false));
  it('rejects a birth date after "today"', () => expect(gb11643Valid('11010519491231002X', new Date(1949, 11, 30))).toBe(false));
});

describe('calendar', () => {
  it.each([[2000, 2, 29, true], [1900, 2, 29, false], [2024, 2, 29, true], [2023, 2, 29, false], [2023, 4, 31, false], [2023, 12, 31, true], [2023, 0, 1, false]])(
    '%i-%i-%i is a date: %s', (y, m, d, ok) => expect(isCalendarDate(y, m, d)).toBe(ok),
  );
  it('a plausible birth date is between 1900 and today', () => {
    const today = new Date(2025, 5, 1);
    expect(plausibleBirthDate(1900, 1, 1, today)).toBe(true);
    expect(plausibleBirthDate(1899, 12, 31, today)).toBe(false);
    expect(plausibleBirthDate(2025, 6, 1, today)).toBe(true);
    expect(plausibleBirthDate(2025, 6, 2, today)).toBe(false);
  });
});

describe('IP parsing', () => {
  it.each([['0.0.0.0', true], ['1.2.3.4', true], ['01.2.3.4', false], ['1.2.3.256', false], ['1.2.3.4.5', false], ['1..3.4', false]])('isIPv4(%s) = %s', (v, ok) => expect(isIPv4(v)).toBe(ok));
  it.each([['::', true], ['1::', true], ['1:2:3:4:5:6:7:8', true], ['1:2:3:4:5:6:7::', true], ['::1.2.3.4', true], ['1:2:3:4:5:6:1.2.3.4', true], ['1:2:3:4:5:6:7:1.2.3.4', false], [':1:2:3:4:5:6:7', false], ['1:2:3:4:5:6:7', false]])(
    'isIPv6(%s) = %s', (v, ok) => expect(isIPv6(v)).toBe(ok),
  );
});

describe('cnMobileNational', () => {
  it.each([['+86 138 1234 5678', '13812345678'], ['0086-13812345678', '13812345678'], ['8613812345678', '13812345678'], ['12812345678', null], ['+8612812345678', null]])(
    '%s → %s', (v, out) => expect(cnMobileNational(v)).toBe(out),
  );
});
