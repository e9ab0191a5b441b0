import type { Recognizer } from '../types.js';
import { STARS } from '../mask-helpers.js';

/** An e-mail address (RFC 5321 sizes: local part ≤ 64, whole address ≤ 254). */
export const emailRecognizer: Recognizer = {
  entity: 'EMAIL',
  patterns: [/[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}/],
  context: ['contact', 'notify', 'login', 'account', '联系', '账号'],
  nameHints: ['email', 'e_mail', 'mail', 'email_address', 'mail_address', 'youxiang', 'dianziyoujian', '邮箱', '电子邮件', '邮件', '电邮'],
  baseConfidence: 0.9,
  threshold: 0.5,
  prefilter: (s) => s.at === 1 && s.spaces === 0 && s.length >= 6 && s.length <= 254,
  validate(value) {
    const local = value.slice(0, value.indexOf('@'));
    // Dots may not start, end or double up in an unquoted local part (RFC 5322 dot-atom).
    return local.length <= 64 && local[0] !== '.' && !local.endsWith('.') && !local.includes('..');
  },
  validation: 'RFC 5321/5322 address syntax',
  textPattern: /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}/g,
  labels: { en: 'email address', 'zh-CN': '电子邮箱' },
  severity: 'medium',
  identifying: true,
  mask(value) {
    const at = value.lastIndexOf('@');
    return at <= 0 ? STARS : `${value[0]}***@${value.slice(at + 1)}`;
  },
  normalize: (value) => value.toLowerCase(),
  source: 'builtin',
};
