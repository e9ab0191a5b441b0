import { CN_PROVINCE_CODES, luhnValid, plausibleBirthDate } from '../checksums.js';
import type { Recognizer } from '../types.js';

/** An issuer range (IIN prefix range) and the PAN lengths it issues, per the card schemes' published ranges. */
interface IssuerRange { from: number; to: number; digits: number; lengths: readonly number[] }

const range = (from: number, to: number, lengths: readonly number[]): IssuerRange => ({ from, to, digits: String(from).length, lengths });
const r16to19 = [16, 17, 18, 19];

/**
 * Without a known issuer range, any 13–19 digit number passing Luhn (1 in 10 random ones)
 * would be a "card": order numbers and trace ids are full of them.
 */
const ISSUER_RANGES: readonly IssuerRange[] = [
  range(4, 4, [13, 16, 19]), // Visa
  range(51, 55, [16]), range(2221, 2720, [16]), // Mastercard
  range(34, 34, [15]), range(37, 37, [15]), // American Express
  range(62, 62, [14, 15, 16, 17, 18, 19]), // China UnionPay (includes 622126–622925 co-branded Discover; 14–15 digit legacy PANs)
  range(955, 955, [19]), // pre-UnionPay domestic debit BINs (e.g. ICBC 9558, ABC 9559)
  range(6011, 6011, r16to19), range(644, 649, r16to19), range(65, 65, r16to19), // Discover
  range(3528, 3589, r16to19), // JCB
  range(300, 305, [14, 15, 16, 17, 18, 19]), range(36, 36, [14, 15, 16, 17, 18, 19]), range(38, 39, [16, 17, 18, 19]), // Diners Club
  range(5018, 5018, [13, 14, 15, 16, 17, 18, 19]), range(5020, 5020, [13, 14, 15, 16, 17, 18, 19]),
  range(5038, 5038, [13, 14, 15, 16, 17, 18, 19]), range(6304, 6304, [13, 14, 15, 16, 17, 18, 19]),
  range(6759, 6759, [13, 14, 15, 16, 17, 18, 19]), range(6761, 6763, [13, 14, 15, 16, 17, 18, 19]),
  range(50, 50, [12, 13, 14, 15, 16, 17, 18, 19]), range(56, 58, [12, 13, 14, 15, 16, 17, 18, 19]), // Maestro (ISO/IEC 7812 50, 56–58)
  range(2200, 2204, r16to19), // Mir
];

/** True when the PAN's prefix and length belong to a known issuer range (ISO/IEC 7812-1 IIN). */
export function knownIssuer(pan: string): boolean {
  // The PAN's first 1–6 digits as numbers, read once (not a slice and a parse per range).
  const prefixes = PREFIXES;
  let n = 0;
  for (let d = 1; d <= 6; d++) prefixes[d] = n = d <= pan.length ? n * 10 + (pan.charCodeAt(d - 1) - 48) : -1;
  for (const r of ISSUER_RANGES) {
    const prefix = prefixes[r.digits];
    if (prefix >= r.from && prefix <= r.to && r.lengths.includes(pan.length)) return true;
  }
  return false;
}

/** Scratch for knownIssuer (synchronous): index d holds the first d digits. */
const PREFIXES = new Float64Array(7);

/**
 * 18-digit PANs are rare, while 18-digit Chinese ID numbers (and ID-derived serials with a bad check
 * character) are everywhere in Chinese data; one that has an ID's province and birth date is not a card.
 */
function residentIdShaped(pan: string): boolean {
  return pan.length === 18 && CN_PROVINCE_CODES.has(pan.slice(0, 2)) &&
    plausibleBirthDate(Number(pan.slice(6, 10)), Number(pan.slice(10, 12)), Number(pan.slice(12, 14)));
}

/** A payment card number (PAN, ISO/IEC 7812): 13–19 digits, known issuer range, Luhn check digit. */
export const bankCardRecognizer: Recognizer = {
  entity: 'BANK_CARD',
  patterns: [/\d{4}(?:[ -]?\d){9,15}/],
  context: ['payment', 'pay', 'billing', 'bank', '支付', '银行', '开户'],
  nameHints: [
    'card', 'card_no', 'card_number', 'bank_card', 'bankcard', 'bank_card_no', 'credit_card', 'debit_card',
    'pan', 'cc_number', 'yinhangka', 'yinhangkahao', 'yhk', 'yhkh', 'kahao', '卡号', '银行卡', '银行卡号', '信用卡', '借记卡',
  ],
  baseConfidence: 0.9,
  threshold: 0.5,
  prefilter: (s) => s.digits >= 13 && s.digits <= 19 && s.letters === 0 && s.han === 0 && s.length <= 23,
  validate(value) {
    const pan = value.replace(/[ -]/g, '');
    return knownIssuer(pan) && luhnValid(pan) && !residentIdShaped(pan);
  },
  validation: 'ISO/IEC 7812 issuer range and Luhn check digit',
  textPattern: /(?<![\d-])\d{4}(?:[ -]?\d){9,15}(?![\d-])/g,
  labels: { en: 'bank card number', 'zh-CN': '银行卡号' },
  severity: 'high',
  identifying: true,
  mask(value) {
    const pan = value.replace(/\D/g, '');
    // Fixed groups hide the length as well; first 4 / last 4 stays within PCI DSS 3.4 (first 6 / last 4).
    return `${pan.slice(0, 4)} **** **** ${pan.slice(-4)}`;
  },
  normalize: (v) => v.replace(/\D/g, ''),
  source: 'builtin',
};
