import type { Recognizer } from '../types.js';

/**
 * A phone number in international form (ITU-T E.164: `+` or `00`, country code, at most 15 digits)
 * or a Chinese landline with its area code (`010-12345678`, `0755 8123 4567`).
 * Bare national numbers are too ambiguous without a field-name hint.
 */
export const phoneRecognizer: Recognizer = {
  entity: 'PHONE',
  patterns: [
    /(?:\+|00)[1-9]\d{0,3}(?:[ .-]?\(?\d{1,4}\)?){1,6}/,
    /\(?0\d{2,3}\)?[ -]\d{3,4}[ -]?\d{3,4}/,
  ],
  hintedPatterns: [/0\d{9,11}/, /\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}/],
  context: ['contact', 'call', 'fax', 'whatsapp', '联系', '致电'],
  nameHints: ['phone', 'telephone', 'tel', 'phone_number', 'phone_no', 'tel_no', 'mobile', 'cell', 'contact_number', 'landline', 'dianhua', 'lianxidianhua', 'guhua', '电话', '联系电话', '座机', '固话'],
  baseConfidence: 0.8,
  threshold: 0.6,
  prefilter: (s) => s.digits >= 7 && s.digits <= 17 && s.letters === 0 && s.han === 0 && s.at === 0,
  validate(value) {
    const digits = value.replace(/\D/g, '');
    if (value.startsWith('+') || value.startsWith('00')) {
      const national = value.startsWith('+') ? digits : digits.slice(2);
      if (national.length < 8 || national.length > 15) return false;
      // North American Numbering Plan: +1 and exactly ten digits.
      if (national.startsWith('1') && national.length !== 11) return false;
      return true;
    }
    if (digits.startsWith('0')) {
      // CN landline: 3-digit area codes (010, 02x) take 8-digit subscribers; 4-digit ones 7 or 8.
      const short = /^0(?:10|2\d)/.test(digits);
      const subscriber = digits.slice(short ? 3 : 4);
      return (short ? subscriber.length === 8 : subscriber.length === 7 || subscriber.length === 8) && !/^[01]/.test(subscriber);
    }
    // NANP national form (hinted only): area and exchange codes start with 2–9.
    return digits.length === 10 && /^[2-9]\d{2}[2-9]/.test(digits);
  },
  source: 'builtin',
};
