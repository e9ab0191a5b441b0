import { gb11643Valid } from '../checksums.js';
import type { Recognizer } from '../types.js';
import { keepEnds } from '../mask-helpers.js';

/**
 * A Chinese resident identity number (GB 11643-1999): area code with a valid province prefix,
 * a real birth date, a sequence and the ISO 7064 MOD 11-2 check character (0-9 or X).
 */
export const cnResidentIdRecognizer: Recognizer = {
  entity: 'CN_RESIDENT_ID',
  patterns: [/\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx]/],
  context: ['kyc', 'identity', 'verify', 'realname', '实名', '认证'],
  nameHints: [
    'id_card', 'idcard', 'id_card_no', 'id_no', 'id_number', 'identity', 'identity_card', 'identity_no',
    'citizen_id', 'resident_id', 'national_id', 'cert_no', 'sfz', 'sfzh', 'sfzhm', 'shenfenzheng',
    'shenfenzhenghao', 'shenfenzhenghaoma', 'zjhm', 'zhengjianhao', 'zhengjianhaoma',
    '身份证', '身份证号', '身份证号码', '证件号', '证件号码', '公民身份号码',
  ],
  baseConfidence: 0.95,
  threshold: 0.5,
  prefilter: (s) => s.length >= 18 && s.length <= 20 && s.digits >= 17 && s.letters <= 1,
  validate: (value) => gb11643Valid(value),
  validation: 'GB 11643-1999 area code, birth date and MOD 11-2 check character',
  textPattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g,
  labels: { en: 'Chinese resident ID number', 'zh-CN': '居民身份证号码' },
  severity: 'high',
  identifying: true,
  mask: (v) => keepEnds(v.replace(/[ -]/g, '').toUpperCase(), 4, 4),
  normalize: (v) => v.replace(/[\s-]/g, '').toUpperCase(),
  source: 'builtin',
};
