import { cnMobileNational } from '../checksums.js';
import type { Recognizer } from '../types.js';

/** A mainland-China mobile number: 11 digits on an allocated 1[3-9]x prefix, optionally with +86/0086/86. */
export const cnMobileRecognizer: Recognizer = {
  entity: 'CN_MOBILE',
  patterns: [/(?:\+86|0086|86)?[ -]?1\d{2}[ -]?\d{4}[ -]?\d{4}/],
  context: ['contact', 'sms', 'verify', '联系', '短信', '验证码'],
  nameHints: ['mobile', 'mobile_phone', 'mobile_no', 'cellphone', 'cell', 'phone', 'tel', 'shouji', 'shoujihao', 'shoujihaoma', 'sjh', 'sjhm', 'dianhua', '手机', '手机号', '手机号码', '电话', '联系方式'],
  baseConfidence: 0.85,
  threshold: 0.5,
  specializes: 'PHONE',
  prefilter: (s) => s.digits >= 11 && s.digits <= 15 && s.letters === 0 && s.han === 0 && s.length <= 19,
  validate: (value) => cnMobileNational(value) !== null,
  validation: 'MIIT-allocated mobile prefix (1[3-9]x), 11 digits',
  textPattern: /(?<![\d+])(?:(?:\+86|0086)[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g,
  labels: { en: 'Chinese mobile number', 'zh-CN': '手机号码' },
  severity: 'medium',
  identifying: true,
  mask: maskCnMobile,
  normalize: (value) => cnMobileNational(value) ?? value.replace(/\D/g, ''),
  source: 'builtin',
};

/** `138****5678`: the network prefix and the last four digits, as Chinese apps show a number. */
export function maskCnMobile(value: string): string {
  const national = cnMobileNational(value) ?? value.replace(/\D/g, '').slice(-11);
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}
