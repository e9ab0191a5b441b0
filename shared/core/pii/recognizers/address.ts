import type { Recognizer } from '../types.js';

const STREET_SUFFIX =
  '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Close|Crescent|Row|Gardens|Walk)';

/** Chinese address markers, from province down to room. Two different ones make text address-like. */
const CN_MARKERS = ['省', '自治区', '市', '区', '县', '旗', '镇', '乡', '村', '街道', '路', '街', '道', '巷', '弄', '胡同', '号', '楼', '栋', '幢', '单元', '室', '小区'];

export function countChineseAddressMarkers(value: string): number {
  let n = 0;
  for (const m of CN_MARKERS) if (value.includes(m)) n++;
  return n;
}

/**
 * A postal address. Strong shapes need no hint: a Chinese address going city → district → road → number
 * (`北京市朝阳区建国路88号`), or a number + street name + street suffix (`221 Baker Street, London`).
 * Looser text (`朝阳区望京小区3栋`, `Flat 2, 10 Elm Grove`) counts only in an address-like field.
 */
export const addressRecognizer: Recognizer = {
  entity: 'ADDRESS',
  patterns: [
    /(?:\p{Script=Han}{2,8}(?:省|自治区))?\p{Script=Han}{1,8}市\p{Script=Han}{1,8}(?:区|县|市|旗)[\p{Script=Han}\d]{1,20}?(?:路|街|道|巷|弄|胡同)[\d-]+号.{0,40}/u,
    new RegExp(
      `\\d{1,6}[A-Za-z]? (?:[NSEW]\\.? )?(?:[A-Z][a-z]+ ){1,4}${STREET_SUFFIX}\\.?(?:,? (?:Apt|Suite|Unit|Flat|#) ?[\\w-]+)?(?:, ?[A-Z][A-Za-z.' -]{1,40}){0,3}(?:,? [A-Z]{2} \\d{5}(?:-\\d{4})?)?`,
    ),
  ],
  hintedPatterns: [/[\p{Script=Han}\dA-Za-z#()（）·\- ]{4,120}/u, /[A-Za-z0-9 .,'#/-]{6,150}/],
  context: ['shipping', 'delivery', 'billing', 'home', 'mailing', 'residence', '收货', '配送', '家庭'],
  nameHints: [
    'address', 'addr', 'street', 'street_address', 'home_address', 'shipping_address', 'billing_address',
    'mailing_address', 'delivery_address', 'residence', 'address_line', 'address_line1', 'dizhi', 'zhuzhi',
    'jiatingzhuzhi', 'shouhuodizhi', 'hujidizhi', 'juzhudi', '地址', '住址', '家庭住址', '收货地址',
    '通讯地址', '户籍地址', '居住地址', '联系地址', '详细地址',
  ],
  excludedNameHints: ['email', 'mail', 'ip', 'mac', 'wallet', 'url', 'web', 'server', 'contract', 'memory', 'host', 'ipv4', 'ipv6', 'ip地址'],
  baseConfidence: 0.7,
  threshold: 0.6,
  prefilter: (s) => s.length >= 6 && s.at === 0 && (s.han >= 4 || (s.digits >= 1 && s.letters >= 4 && s.spaces >= 2)),
  validate(value) {
    const first = value.charCodeAt(0);
    if (value.length > 0 && /\p{Script=Han}/u.test(value)) return countChineseAddressMarkers(value) >= 2;
    // Latin text in a hinted field still has to start with a house number or Flat/Apt/Unit.
    return (first >= 48 && first <= 57) || /^(?:Flat|Apt|Unit|Suite|Room)\b/i.test(value);
  },
  source: 'builtin',
};
