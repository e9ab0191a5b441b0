import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../scripts/testing/pii-corpus.js';
import { maskValue } from './masking.js';

describe('maskValue', () => {
  it.each([
    ['CN_MOBILE', '13812345678', '138****5678'],
    ['CN_MOBILE', '+86 138 1234 5678', '138****5678'],
    ['PHONE', '+8613812345678', '138****5678'],
    ['PHONE', '+44 20 7946 0958', '+44********58'],
    ['EMAIL', 'john.smith@example.com', 'j***@example.com'],
    ['CN_RESIDENT_ID', '11010519491231002X', '1101**********002X'],
    ['BANK_CARD', '6222 0212 3456 7890 128', '6222 **** **** 0128'],
    ['BANK_CARD', '4111111111111111', '4111 **** **** 1111'],
    ['IBAN', 'DE89 3704 0044 0532 0130 00', 'DE89 **** **** 3000'],
    ['CN_PASSPORT', 'E12345678', 'E******78'],
    ['US_SSN', '123-45-6789', '***-**-6789'],
    ['IP_ADDRESS', '192.168.1.10', '192.168.*.*'],
    ['IP_ADDRESS', '2001:db8::1', '2001:db8:****:****'],
    ['PERSON_NAME', '张三', '张*'],
    ['PERSON_NAME', '欧阳娜娜', '欧阳**'],
    ['PERSON_NAME', 'John Smith', 'J*** S***'],
    ['DATE_OF_BIRTH', '1990年3月15日', '1990-**-**'],
    ['ADDRESS', '广东省深圳市南山区科技园路1号', '广东省****'],
    ['ADDRESS', '北京市朝阳区建国路88号', '北京市****'],
    ['ADDRESS', '1600 Pennsylvania Avenue, Washington, DC 20500', '****, DC'],
    ['GEO_COORDINATE', '39.9042,116.4074', '39.9*,116.4*'],
    ['EMPLOYEE_ID', 'EMP-004211', 'E*******11'],
  ])('%s %s → %s', (entity, value, masked) => expect(maskValue(entity, value)).toBe(masked));

  it('falls back to stars when a masker would echo the value (a 1-digit-long "coordinate")', () => {
    expect(maskValue('GEO_COORDINATE', '1.0*')).not.toContain('1.0*');
  });

  it('never contains the raw value, or its separator-free form, for any labelled corpus value', () => {
    const corpus = generateCorpus(7, 20_000).filter((item) => item.label !== null);
    expect(corpus.length).toBeGreaterThan(9_000);
    const leaks: string[] = [];
    for (const { label, value } of corpus) {
      const masked = maskValue(label!, value);
      const compact = value.replace(/[\s-]/g, '');
      if (masked.includes(value) || masked.replace(/[\s-]/g, '').includes(compact) || masked.length === 0) leaks.push(label!);
    }
    expect(leaks).toEqual([]);
  });
});
