import type { Recognizer } from '../../shared/core/pii/types.js';
import { luhnValid } from '../../shared/core/pii/checksums.js';

/**
 * A throwaway recognizer for the one-file extension test: a retailer's loyalty card number, `LC`
 * and 14 digits whose last is a Luhn (ISO/IEC 7812-1 annex B) check digit. Everything Driftline
 * needs of the entity is here: patterns, hints, validator, labels, severity, masker, normalizer.
 */
export const loyaltyCardRecognizer: Recognizer = {
  entity: 'LOYALTY_CARD',
  patterns: [/LC\d{14}/],
  context: ['loyalty', 'member'],
  nameHints: ['loyalty_card', 'member_card', 'huiyuanka', '会员卡'],
  baseConfidence: 0.9,
  validate: (value) => luhnValid(value.slice(2)),
  validation: 'ISO/IEC 7812-1 Luhn check digit',
  labels: { en: 'loyalty card number', 'zh-CN': '会员卡号' },
  severity: 'medium',
  identifying: true,
  mask: (value) => `LC${'*'.repeat(value.length - 6)}${value.slice(-4)}`,
  normalize: (value) => value.trim().toUpperCase().replace(/[\s-]/g, ''),
};
