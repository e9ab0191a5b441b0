import type { Recognizer } from '../types.js';

/** Numbers the SSA voided after they were printed in advertising (Woolworth wallet card, 1938; and 219-09-9999). */
const VOIDED = new Set(['078051120', '219099999']);

/**
 * SSA rules for a US Social Security number (AAA-GG-SSSS): area not 000, 666 or 900–999,
 * group not 00, serial not 0000. Undashed 9-digit numbers only count in an `ssn`-like field.
 */
export function ssnValid(value: string): boolean {
  const d = value.replace(/[ -]/g, '');
  if (!/^\d{9}$/.test(d)) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return !VOIDED.has(d);
}

export const usSsnRecognizer: Recognizer = {
  entity: 'US_SSN',
  patterns: [/\d{3}-\d{2}-\d{4}/, /\d{3} \d{2} \d{4}/],
  hintedPatterns: [/\d{9}/],
  context: ['tax', 'payroll', 'w2', 'employee', 'benefits'],
  nameHints: ['ssn', 'ssn_no', 'social_security', 'social_security_number', 'social_security_no', 'soc_sec_no', 'us_ssn', 'tax_ssn', '社会安全号', '社保号'],
  baseConfidence: 0.8,
  threshold: 0.6,
  prefilter: (s) => s.digits === 9 && s.length <= 11 && s.letters === 0,
  validate: ssnValid,
  validation: 'SSA area/group/serial rules (no 000, 666, 9xx; voided numbers)',
  textPattern: /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g,
  labels: { en: 'US Social Security number', 'zh-CN': '美国社会安全号码' },
  severity: 'high',
  identifying: true,
  mask: (v) => `***-**-${v.replace(/\D/g, '').slice(-4)}`,
  normalize: (v) => v.replace(/\D/g, ''),
  source: 'builtin',
};
