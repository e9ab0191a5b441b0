import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { cnMobileNational } from '../checksums.js';
import { keepEnds } from '../mask-helpers.js';
import type { Recognizer, ValueContext } from '../types.js';
import { maskCnMobile } from './cn-mobile.js';

/**
 * Whether libphonenumber's metadata (Google's, per country) accepts the number. International forms
 * carry their country; national forms are read in the country the source's region or the field
 * implies. `possible` (the length fits the country's plan) is enough in a phone-named field, where
 * sample and test databases hold fictional 555 numbers; outside one a number must be valid (an
 * allocated range), since order numbers and counters have phone-like lengths too.
 */
function libraryAccepts(value: string, context: ValueContext): boolean {
  // Parsing costs ~30 µs: the same values recur in a column (and across columns), so answers are kept.
  const key = `${context.hinted ? 1 : 0}${context.country ?? ''}|${value}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = parseAccepts(value, context);
  if (answers.size >= MAX_CACHED_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

const MAX_CACHED_ANSWERS = 20_000;
const answers = new Map<string, boolean>();

function parseAccepts(value: string, context: ValueContext): boolean {
  const international = value.startsWith('+') || value.startsWith('00');
  const text = value.startsWith('00') ? `+${value.slice(2)}` : value;
  const country = international ? undefined : (context.country as CountryCode | undefined);
  if (!international && !country) return false;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(text, country);
  } catch {
    return false;
  }
  if (!parsed) return false;
  return parsed.isValid() || (context.hinted && parsed.isPossible());
}

/** Whether bare digits read as a possible number with their leading country code (`4930…` is Berlin). */
function possibleInternational(digits: string): boolean {
  if (digits.length < 8 || digits.length > 15) return false;
  // A parse costs ~30 µs and a phone column repeats its numbers (and CDC its rows): answers are kept.
  const key = `+|${digits}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = parsePossibleInternational(digits);
  if (answers.size >= MAX_CACHED_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

function parsePossibleInternational(digits: string): boolean {
  try {
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    if (!parsed) return false;
    // 11 digits starting with 1 are shaped like a CN mobile: a number on an unallocated CN prefix
    // (10x–12x) is a decoy unless it is a real NANP number (`+1 403…`).
    return parsed.isValid() || (parsed.isPossible() && !(digits.length === 11 && digits[0] === '1'));
  } catch {
    return false;
  }
}

/** A Chinese landline with its area code: 3-digit codes (010, 02x) take 8-digit subscribers, 4-digit ones 7 or 8. */
function cnLandline(digits: string): boolean {
  if (!digits.startsWith('0')) return false;
  const short = /^0(?:10|2\d)/.test(digits);
  const subscriber = digits.slice(short ? 3 : 4);
  return (short ? subscriber.length === 8 : subscriber.length === 7 || subscriber.length === 8) && !/^[01]/.test(subscriber);
}

/**
 * A phone number: international (ITU-T E.164, `+` or `00` and a country code) validated with
 * libphonenumber; a Chinese landline with its area code; and, in a phone-named field, national and
 * digits-only forms (`0171 555 0199`, `7025551838`) read in the source's country. CN mobiles are
 * CN_MOBILE (which specializes this entity).
 */
export const phoneRecognizer: Recognizer = {
  entity: 'PHONE',
  patterns: [
    /(?:\+|00)[1-9]\d{0,3}(?:[ .-]?\(?\d{1,4}\)?){1,6}/,
    /\(?0\d{2,3}\)?[ -]\d{3,4}[ -]?\d{3,4}/,
  ],
  hintedPatterns: [/(?:\+|00)?\(?\d{1,5}\)?(?:[ .\-/]?\(?\d{1,5}\)?){1,6}(?: ?(?:x|ext\.?) ?\d{1,5})?/],
  context: ['contact', 'call', 'fax', 'whatsapp', '联系', '致电'],
  nameHints: [
    'phone', 'telephone', 'tel', 'phone_number', 'phone_no', 'tel_no', 'mobile', 'cell', 'contact_number', 'landline',
    'fax', 'home_phone', 'work_phone', 'phonenumber', 'dianhua', 'lianxidianhua', 'guhua', 'chuanzhen', '电话', '联系电话', '座机', '固话', '传真',
  ],
  baseConfidence: 0.8,
  threshold: 0.6,
  prefilter: (s) => s.digits >= 7 && s.digits <= 17 && s.letters <= 3 && s.han === 0 && s.at === 0,
  validate(value, context) {
    // A CN mobile is a phone (CN_MOBILE, which specializes PHONE, takes it when both pass): no library call needed.
    if (cnMobileNational(value) !== null) return true;
    const digits = value.replace(/\D/g, '');
    const international = value.startsWith('+') || value.startsWith('00');
    if (!international && cnLandline(digits) && (context.hinted || /[ -]/.test(value))) return true;
    if (international && context.hinted) {
      // A phone-named field accepts a possible number (see libraryAccepts), and E.164's length rule
      // decides that without the ~20 µs parse: 8–15 digits after the prefix, NANP (+1) exactly 11.
      const e164 = value.startsWith('+') ? digits : digits.slice(2);
      return e164.length >= 8 && e164.length <= 15 && (!e164.startsWith('1') || e164.length === 11);
    }
    if (libraryAccepts(value, context)) return true;
    if (!context.hinted || international || /^(\d)\1+$/.test(digits)) return false;
    // In a phone-named field a written-out national number whose country we do not know is still a
    // phone when it has a phone's length (ITU-T E.164: at most 15 digits; 7 is the shortest
    // subscriber number). Bare digits are as often counters and timestamps: they must read as an
    // international number the library finds possible (`14033335568` is +1 403…).
    if (/[ ().\-/]/.test(value)) return digits.length >= 7 && digits.length <= 15;
    return possibleInternational(digits);
  },
  validation: 'libphonenumber-js numbering-plan metadata (validity per country; length only in a phone-named field)',
  textPattern: /(?<![\w+])(?:\+|00)[1-9]\d{0,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\d])/g,
  labels: { en: 'phone number', 'zh-CN': '电话号码' },
  severity: 'medium',
  identifying: true,
  mask(value) {
    const national = cnMobileNational(value);
    if (national) return maskCnMobile(national);
    const digits = value.replace(/\D/g, '');
    const intl = value.startsWith('+') || value.startsWith('00');
    const body = intl && value.startsWith('00') ? digits.slice(2) : digits;
    // Keep the country code or area prefix (2 digits) and the last 2: a 8-digit number keeps half hidden.
    return `${intl ? '+' : ''}${keepEnds(body, 2, 2)}`;
  },
  normalize(value) {
    // A CN mobile written in E.164 must meet its national form recorded as CN_MOBILE elsewhere.
    const national = cnMobileNational(value);
    if (national) return national;
    const digits = value.replace(/\D/g, '');
    if (value.startsWith('+')) return `+${digits}`;
    if (value.startsWith('00')) return `+${digits.slice(2)}`;
    return digits;
  },
  source: 'builtin',
};
