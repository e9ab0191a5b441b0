/**
 * Checksums and strict validators shared by the built-in recognizers and by rule packs
 * (which name them: `luhn`, `mod97`, `gb11643`). Each cites the standard it implements.
 */

/**
 * Luhn (mod 10) check of ISO/IEC 7812-1 Annex B: from the right, double every second digit.
 * Accepts spaces and dashes between digits.
 */
export function luhnValid(value: string): boolean {
  let sum = 0;
  let double = false;
  let count = 0;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    if (c < 48 || c > 57) return false;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    count++;
  }
  return count >= 2 && sum % 10 === 0;
}

/** IBAN length per country, from the ISO 13616 registry (SWIFT IBAN Registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27,
  MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/**
 * ISO 13616-1 / ISO 7064 MOD 97-10: move the first four characters to the end, letters become
 * 10..35, the number mod 97 must be 1. Also checks the country's registered length.
 * Spaces are allowed (the paper format groups by four).
 */
export function ibanValid(value: string): boolean {
  // Paper and national formats group with spaces, dashes or dots (`NO 44 1850.05.14562`, `ES15-0049-…`).
  const iban = value.replace(/[ .-]/g, '').toUpperCase();
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (ibanRemainder(iban) !== 1) return false;
  const bban = iban.slice(4);
  const shape = BBAN_SHAPES[iban.slice(0, 2)];
  if (shape && !shape.test(bban)) return false;
  return iban.startsWith('ES') ? spanishCccValid(bban) : true;
}

/**
 * BBAN structures of the SWIFT IBAN Registry (n digits, a upper-case letters, c either) for the
 * countries whose accounts Driftline meets most; a number with a letter where the registry has
 * digits (`NL56 3003 0A17…`) passes MOD 97 by chance only.
 */
const BBAN_SHAPES: Readonly<Record<string, RegExp>> = {
  AT: /^\d{16}$/, BE: /^\d{12}$/, BG: /^[A-Z]{4}\d{6}[A-Z0-9]{8}$/, CH: /^\d{5}[A-Z0-9]{12}$/, CY: /^\d{8}[A-Z0-9]{16}$/,
  CZ: /^\d{20}$/, DE: /^\d{18}$/, DK: /^\d{14}$/, EE: /^\d{16}$/, ES: /^\d{20}$/, FI: /^\d{14}$/, FR: /^\d{10}[A-Z0-9]{11}\d{2}$/,
  GB: /^[A-Z]{4}\d{14}$/, GI: /^[A-Z]{4}[A-Z0-9]{15}$/, GR: /^\d{7}[A-Z0-9]{16}$/, HR: /^\d{17}$/, HU: /^\d{24}$/, IE: /^[A-Z]{4}\d{14}$/,
  IS: /^\d{22}$/, IT: /^[A-Z]\d{10}[A-Z0-9]{12}$/, LI: /^\d{5}[A-Z0-9]{12}$/, LT: /^\d{16}$/, LU: /^\d{3}[A-Z0-9]{13}$/, LV: /^[A-Z]{4}[A-Z0-9]{13}$/,
  MC: /^\d{10}[A-Z0-9]{11}\d{2}$/, ME: /^\d{18}$/, MT: /^[A-Z]{4}\d{5}[A-Z0-9]{18}$/, NL: /^[A-Z]{4}\d{10}$/, NO: /^\d{11}$/, PL: /^\d{24}$/,
  PT: /^\d{21}$/, RO: /^[A-Z]{4}[A-Z0-9]{16}$/, SE: /^\d{20}$/, SI: /^\d{15}$/, SK: /^\d{20}$/, SM: /^[A-Z]\d{10}[A-Z0-9]{12}$/,
};

/**
 * The two control digits (DC) of a Spanish account (CCC, Orden EHA/2899/2011) from its 8-digit bank
 * and branch and its 10-digit account: weights 1,2,4,8,5,10,9,7,3,6, mod 11.
 */
export function spanishCccDigits(bankBranch: string, account: string): string {
  const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const dc = (digits: string): number => {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (digits.charCodeAt(i) - 48) * weights[i];
    const d = 11 - (sum % 11);
    return d === 11 ? 0 : d === 10 ? 1 : d;
  };
  return `${dc(`00${bankBranch}`)}${dc(account)}`;
}

function spanishCccValid(bban: string): boolean {
  return spanishCccDigits(bban.slice(0, 8), bban.slice(10, 20)) === bban.slice(8, 10);
}

/** The MOD 97-10 remainder of a rearranged IBAN, computed piecewise so no big integers are needed. */
export function ibanRemainder(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else remainder = (remainder * 100 + (c - 55)) % 97; // 'A' (65) → 10
  }
  return remainder;
}

/** Province-level codes of GB/T 2260 (plus 71 Taiwan and 81/82/83 residence permits for HK/Macau/Taiwan residents). */
export const CN_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of GB 11643-1999 for the first 17 digits. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * GB11643_WEIGHTS[i];
  return GB11643_CHECK[sum % 11];
}

/**
 * A Chinese resident identity number per GB 11643-1999: 6-digit area code (valid province prefix),
 * 8-digit birth date (a real date between 1900 and today), 3-digit sequence, MOD 11-2 check (0-9 or X).
 * Spaces and dashes between the parts are tolerated; a lowercase x is accepted as data often has it.
 */
export function gb11643Valid(value: string, today: Date = new Date()): boolean {
  const id = value.replace(/[ -]/g, '').toUpperCase();
  if (id.length !== 18 || !/^\d{17}[\dX]$/.test(id)) return false;
  if (!CN_PROVINCE_CODES.has(id.slice(0, 2))) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (!plausibleBirthDate(year, month, day, today)) return false;
  return gb11643CheckChar(id) === id[17];
}

/** True for a real calendar date (Gregorian leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/** A real date between 1900-01-01 and today: the range in which a living person can have been born. */
export function plausibleBirthDate(year: number, month: number, day: number, today: Date = new Date()): boolean {
  if (year < 1900 || !isCalendarDate(year, month, day)) return false;
  const key = year * 10000 + month * 100 + day;
  const todayKey = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
  return key <= todayKey;
}

/** Strict dotted-quad IPv4 (RFC 791): four decimal octets 0–255, no leading zeros (they mean octal to some parsers). */
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^\d+$/.test(p)) return false;
    if (p.length > 1 && p[0] === '0') return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

/** Strict IPv6 text form (RFC 4291 §2.2): eight 1–4 hex groups, one `::` at most, optional trailing IPv4. */
export function isIPv6(value: string): boolean {
  if (value.length < 2 || value.length > 45) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups: string[] = [];
  const parse = (part: string): string[] | null => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return false;
  groups.push(...head, ...tail);
  let width = groups.length;
  const last = groups[groups.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups.pop();
    width += 1; // an embedded IPv4 takes two groups
  }
  for (const g of groups) if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
  return halves.length === 2 ? width <= 7 : width === 8;
}

/**
 * Three-digit prefixes the MIIT has allocated to Chinese mobile networks (11-digit numbers).
 * 154 and 194 were never allocated; 140–144 are 13-digit IoT numbers.
 */
export const CN_MOBILE_PREFIXES: ReadonlySet<string> = new Set([
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '145', '146', '147', '148', '149',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '162', '165', '166', '167',
  '170', '171', '172', '173', '174', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '190', '191', '192', '193', '195', '196', '197', '198', '199',
]);

/** The 11-digit national number of a CN mobile written with or without +86/0086/86, or null. */
export function cnMobileNational(value: string): string | null {
  let digits = value.replace(/[ -]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length !== 11 || !/^\d{11}$/.test(digits)) return null;
  return CN_MOBILE_PREFIXES.has(digits.slice(0, 3)) ? digits : null;
}
