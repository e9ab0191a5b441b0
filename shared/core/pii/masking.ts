/**
 * Masked examples: enough of a value for an auditor to recognise its kind and format, never the value.
 * Conventions follow common Chinese and PCI DSS practice (138****5678, first 4/last 4 of a card).
 */
import { cnMobileNational, isIPv4 } from './checksums.js';
import { parseCalendarDate } from './recognizers/date-of-birth.js';
import { CN_COMPOUND_SURNAMES } from './recognizers/person-name.js';

const STARS = '****';

function keepEnds(text: string, head: number, tail: number, fill = '*'): string {
  if (text.length <= head + tail) return fill.repeat(Math.max(text.length, 1));
  return text.slice(0, head) + fill.repeat(text.length - head - tail) + text.slice(text.length - tail);
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return STARS;
  return `${value[0]}***@${value.slice(at + 1)}`;
}

function maskCnMobile(value: string): string {
  const national = cnMobileNational(value) ?? value.replace(/\D/g, '').slice(-11);
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

function maskPhone(value: string): string {
  const national = cnMobileNational(value);
  if (national) return maskCnMobile(national);
  const digits = value.replace(/\D/g, '');
  const intl = value.startsWith('+') || value.startsWith('00');
  const body = intl && value.startsWith('00') ? digits.slice(2) : digits;
  // Keep the country code or area prefix (2 digits) and the last 2: a 8-digit number keeps half hidden.
  return `${intl ? '+' : ''}${keepEnds(body, 2, 2)}`;
}

function maskCard(value: string): string {
  const pan = value.replace(/\D/g, '');
  // Fixed groups hide the length as well; first 4 / last 4 stays within PCI DSS 3.4 (first 6 / last 4).
  return `${pan.slice(0, 4)} **** **** ${pan.slice(-4)}`;
}

function maskIban(value: string): string {
  const iban = value.replace(/ /g, '').toUpperCase();
  return `${iban.slice(0, 4)} **** **** ${iban.slice(-4)}`;
}

function maskIp(value: string): string {
  if (isIPv4(value)) {
    const [a, b] = value.split('.');
    return `${a}.${b}.*.*`;
  }
  const groups = value.split(':').filter((g) => g.length > 0);
  return `${groups.slice(0, 2).join(':') || '0'}:****:****`;
}

function maskName(value: string): string {
  if (/^\p{Script=Han}/u.test(value)) {
    const surname = CN_COMPOUND_SURNAMES.includes(value.slice(0, 2)) && value.length > 2 ? value.slice(0, 2) : value[0];
    return surname + '*'.repeat(Math.max(value.length - surname.length, 1));
  }
  return value
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => `${w[0]}***`)
    .join(' ');
}

function maskDate(value: string): string {
  const date = parseCalendarDate(value);
  // The year alone is kept: it is what age checks need and it identifies no one.
  return date ? `${date[0]}-**-**` : '****-**-**';
}

function maskAddress(value: string): string {
  if (/\p{Script=Han}/u.test(value)) {
    // The first administrative unit: a province/region, else a municipality (北京市), else nothing.
    const m = /^[\p{Script=Han}]{2,8}?(?:省|自治区|特别行政区|市)/u.exec(value);
    return m ? `${m[0]}${STARS}` : STARS;
  }
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length < 2) return STARS;
  // English addresses end with the broadest unit (state/country); drop its postcode digits.
  const last = parts[parts.length - 1].replace(/[\d-]+/g, '').trim();
  return last ? `${STARS}, ${last}` : STARS;
}

function maskCoordinate(value: string): string {
  const nums = value.match(/[-+]?\d{1,3}\.\d+/g) ?? [];
  // One decimal is about 11 km: the region stays visible, the place does not.
  return nums.map((n) => `${Number(n).toFixed(1)}*`).join(',') || STARS;
}

function maskGeneric(value: string): string {
  return value.length >= 8 ? keepEnds(value, 1, 2) : '*'.repeat(value.length);
}

const MASKERS: Record<string, (value: string) => string> = {
  EMAIL: maskEmail,
  PHONE: maskPhone,
  CN_MOBILE: maskCnMobile,
  CN_RESIDENT_ID: (v) => keepEnds(v.replace(/[ -]/g, '').toUpperCase(), 4, 4),
  BANK_CARD: maskCard,
  IBAN: maskIban,
  CN_PASSPORT: (v) => keepEnds(v.toUpperCase(), 1, 2),
  US_SSN: (v) => `***-**-${v.replace(/\D/g, '').slice(-4)}`,
  IP_ADDRESS: maskIp,
  PERSON_NAME: maskName,
  DATE_OF_BIRTH: maskDate,
  ADDRESS: maskAddress,
  GEO_COORDINATE: maskCoordinate,
};

/**
 * Masks a value recognised as `entity` (unknown entities, e.g. from rule packs, get a generic mask).
 * Whatever the masker does, the result never contains the raw value or its separator-free form.
 */
export function maskValue(entity: string, value: string): string {
  const raw = value.trim();
  if (raw.length === 0) return '';
  const masker = MASKERS[entity] ?? maskGeneric;
  const masked = masker(raw);
  return leaks(masked, raw) ? '*'.repeat(Math.min(raw.length, 8)) : masked;
}

function leaks(masked: string, raw: string): boolean {
  if (masked.includes(raw)) return true;
  const compact = raw.replace(/[\s-]/g, '');
  return compact.length >= 4 && masked.replace(/[\s-]/g, '').includes(compact);
}
