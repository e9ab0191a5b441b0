import { ibanValid } from '../checksums.js';
import type { Recognizer } from '../types.js';

/** An International Bank Account Number (ISO 13616): country length table and MOD 97-10 check. */
export const ibanRecognizer: Recognizer = {
  entity: 'IBAN',
  patterns: [/[A-Za-z]{2} ?\d{2}(?:[ .-]?[A-Za-z0-9]){11,30}/],
  context: ['payment', 'bank', 'sepa', 'transfer', 'beneficiary', '汇款', '银行'],
  nameHints: ['iban', 'iban_no', 'bank_account', 'account_iban', 'beneficiary_account', 'konto', '国际银行账号', '银行账号'],
  baseConfidence: 0.95,
  threshold: 0.5,
  prefilter: (s) => s.length >= 15 && s.length <= 48 && s.letters >= 2 && s.digits >= 2 && s.han === 0,
  validate: (value) => ibanValid(value),
  validation: 'ISO 13616 country length and BBAN structure, ISO 7064 MOD 97-10, Spanish CCC control digits',
  textPattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g,
  labels: { en: 'IBAN', 'zh-CN': '国际银行账号（IBAN）' },
  severity: 'high',
  identifying: true,
  mask(value) {
    const iban = value.replace(/[ .-]/g, '').toUpperCase();
    return `${iban.slice(0, 4)} **** **** ${iban.slice(-4)}`;
  },
  normalize: (v) => v.replace(/[\s-]/g, '').toUpperCase(),
  source: 'builtin',
};
