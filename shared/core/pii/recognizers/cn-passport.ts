import type { Recognizer } from '../types.js';
import { keepEnds } from '../mask-helpers.js';

/**
 * A PRC ordinary passport number: E or G + 8 digits, or the newer E + letter (no I/O) + 7 digits.
 * No checksum exists for the number itself (only the MRZ has one), so it relies on shape and hints.
 * Diplomatic/service passports (D/P/S + 7 digits) are too generic without a hint.
 */
export const cnPassportRecognizer: Recognizer = {
  entity: 'CN_PASSPORT',
  patterns: [/[EG]\d{8}/, /E[A-HJ-NP-Z]\d{7}/],
  hintedPatterns: [/[DPS]E?\d{7}/],
  context: ['travel', 'visa', 'border', 'foreigner', '出境', '签证'],
  nameHints: ['passport', 'passport_no', 'passport_number', 'huzhao', 'huzhaohao', 'huzhaohaoma', 'hzh', 'hzhm', '护照', '护照号', '护照号码'],
  baseConfidence: 0.7,
  threshold: 0.7,
  prefilter: (s) => s.length >= 8 && s.length <= 9 && s.letters >= 1 && s.letters <= 2 && s.digits >= 7,
  // Batch and SKU codes embed dates (E20240315); a random 8-digit passport serial almost never reads as one.
  validate: (value) => !/^[EG](?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(value),
  validation: 'shape only (the number has no check digit; a batch-code date is rejected)',
  labels: { en: 'Chinese passport number', 'zh-CN': '护照号码' },
  severity: 'high',
  identifying: true,
  mask: (v) => keepEnds(v.toUpperCase(), 1, 2),
  normalize: (v) => v.replace(/[\s-]/g, '').toUpperCase(),
  source: 'builtin',
};
