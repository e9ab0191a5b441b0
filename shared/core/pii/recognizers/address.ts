import { STARS } from '../mask-helpers.js';
import type { Recognizer } from '../types.js';

/** English street types (USPS Publication 28 suffixes and the common British ones). */
const EN_STREET =
  '(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Circus|Close|Crescent|Cres|Row|Gardens|Walk|Grove|Hill|Mews|Park|Broadway|Alley|Plaza|Trail|Pike|Loop)';

/** Street-type words that open a street name in French, Spanish, Portuguese, Italian, Dutch, Polish… (`rue Royale`, `C/ Araquil`, `Via Roma`). */
const EU_STREET_WORD =
  '(?:rue|avenue|av|avda|boulevard|bd|bld|place|pl|chemin|ch|chaussée|allée|quai|impasse|route|cours|square|calle|c/|carrer|paseo|plaza|pza|camino|carretera|ronda|travesía|gran vía|rua|r|alameda|travessa|largo|praça|estrada|via|viale|corso|piazza|piazzale|strada|vicolo|largo|straat|laan|plein|gracht|weg|ul|al|aleja|ulica|rynek|calea|strada|bulevardul|odos|leof)';

/** German, Dutch and Nordic street names end in their type (`Hauptstr.`, `Kirchgasse`, `Åkergatan`, `Drammensveien`). */
const COMPOUND_STREET_SUFFIX =
  '(?:straße|strasse|str\\.?|gasse|weg|platz|allee|ring|damm|ufer|steig|chaussee|markt|straat|laan|plein|gracht|kade|singel|vägen|väg|gatan|gata|gate|gaten|veien|vei|vej|gade|stræde|katu|tie|kuja|polku|utca|út)';

const NUMBER = '\\d{1,6}(?:[ -]?[A-Za-z](?![A-Za-z]))?(?:[-/]\\d{1,5})?';
const WORD = "[\\p{L}][\\p{L}'’.-]*";

const EN_ADDRESS = new RegExp(`^${NUMBER},? (?:[NSEW]\\.? )?(?:${WORD} ){1,4}${EN_STREET}\\.?(?:$|[ ,])`, 'u');
const EU_WORD_FIRST = new RegExp(`^(?:${NUMBER},? )?${EU_STREET_WORD}\\.? (?:${WORD}[ ,]{1,2}){0,5}(?:${WORD})?,? ?${NUMBER}?`, 'iu');
const EU_WORD_FIRST_NUMBERED = new RegExp(`(?:^${NUMBER},? ${EU_STREET_WORD}\\.? \\p{L})|(?:^${EU_STREET_WORD}\\.? (?:${WORD}[ ,]{1,2}){1,6}${NUMBER}(?:$|[ ,]))`, 'iu');
const COMPOUND_NUMBERED = new RegExp(`(?:^|[ ,])${WORD}${COMPOUND_STREET_SUFFIX}\\.? ?,? ${NUMBER}(?:$|[ ,])|(?:^${NUMBER},? ${WORD}${COMPOUND_STREET_SUFFIX}(?:$|[ ,.]))`, 'iu');
const SEPARATE_STREET_TYPE = new RegExp(`(?:^|[ ,])(?:${WORD} ){1,3}(?:Str\\.|Straße|Strasse|Platz|Weg|Allee|gate|vei|vej|St\\.)? ?${NUMBER}(?:$|[ ,])`, 'u');
/**
 * Any street-type word, as plain ASCII-insensitive text: a cheap gate before the grammars above
 * (their Unicode word classes backtrack on every word of a sentence). Loose on purpose: a false
 * pass only costs the grammar run.
 */
const STREET_WORD_GATE = new RegExp(
  `(?:${EN_STREET.slice(3, -1)}|${EU_STREET_WORD.slice(3, -1)}|${COMPOUND_STREET_SUFFIX.slice(3, -1)})`,
  'i',
);

const UNIT_FIRST = /^(?:Flat|Apt|Apartment|Unit|Suite|Ste|Room|Level|Floor|Building|Bldg|PO Box|P\.O\. Box|Postfach|Apartado|Bte|Boîte)\b/i;

/** Chinese administrative and street units, from province down to room. */
const CN_ADMIN = ['省', '自治区', '特别行政区', '市', '区', '县', '旗', '州', '盟'];
const CN_STREET = ['镇', '乡', '村', '街道', '路', '街', '道', '大道', '巷', '弄', '胡同', '里', '号', '楼', '栋', '幢', '座', '单元', '室', '层', '小区', '花园', '公寓', '大厦', '广场', '园', '苑', '庄', '屯', '社区', '中心', '工业区', '开发区'];

export function countChineseAddressMarkers(value: string): number {
  let n = 0;
  for (const m of CN_ADMIN) if (value.includes(m)) n++;
  for (const m of CN_STREET) if (value.includes(m)) n++;
  return n;
}

/** `北京市朝阳区建国路88号`: an administrative unit and a street-level unit, or a road and a house number. */
function chineseAddress(value: string, hinted: boolean): boolean {
  if (!hinted && !CN_ADMIN.some((m) => value.includes(m))) return false;
  if (/[会员品牌商品公司发货点]$/u.test(value)) return false;
  const admin = CN_ADMIN.some((m) => value.includes(m));
  const street = CN_STREET.some((m) => value.includes(m));
  const numbered = /(?:路|街|道|巷|弄|胡同|村)[\d０-９一二三四五六七八九十]+(?:号|弄|栋|幢)/u.test(value);
  // Without a hint: a numbered road, or an administrative unit with a road-level unit and a number (`…市…区…路88号`).
  const road = /\p{Script=Han}(?:路|街|大道|巷|弄|胡同|村|镇|乡|街道)/u.test(value);
  if (numbered || (admin && road && /[\d０-９]|号|室|栋/u.test(value))) return true;
  // In an address-named field a street or place name alone is the detail line (`东晓街道`, `科兴科学园`).
  return hinted && street && value.length >= 3;
}

/** Latin-script street grammar: house number with a street type, in English or a major EU language. */
function latinAddress(value: string, hinted: boolean): boolean {
  // Every unhinted shape has a house number and a street-type word: text without them is settled cheaply.
  if (!hinted && (!/\d/.test(value) || !STREET_WORD_GATE.test(value))) return false;
  if (EN_ADDRESS.test(value) || EU_WORD_FIRST_NUMBERED.test(value) || COMPOUND_NUMBERED.test(value)) return true;
  if (!hinted) return false;
  // In an address-named field: a unit line (`Suite 101`, `Level 3`), a street word, or words with a house number.
  return UNIT_FIRST.test(value) || EU_WORD_FIRST.test(value) || (/\d/.test(value) && SEPARATE_STREET_TYPE.test(value)) ||
    new RegExp(`(?:^|[ ,])${EN_STREET}\\.?(?:$|[ ,])`, 'u').test(value) || new RegExp(`${COMPOUND_STREET_SUFFIX}\\.?(?:$|[ ,])`, 'iu').test(value);
}

/**
 * A postal address, by street grammar: English (`221 Baker Street`, `8489 Strong St.`), French,
 * Spanish, Portuguese, Italian (`54, rue Royale`, `C/ Araquil, 67`, `Rua Orós, 92`, `Via Roma 1`),
 * German, Dutch and Nordic (`Lyonerstr. 34`, `Åkergatan 24`), and Chinese (`北京市朝阳区建国路88号`).
 * Strong shapes need no hint; in an address-named field a detail line (`东晓街道`, `Suite 101`,
 * `Mataderos 2312`) is enough. A postal code in the value is support, never enough on its own.
 */
export const addressRecognizer: Recognizer = {
  entity: 'ADDRESS',
  // The alphabet gate is loose on purpose (the grammar in `validate` decides) and cheap: no Unicode classes.
  patterns: [/[^@\n\r\t]{3,160}/],
  context: ['shipping', 'delivery', 'billing', 'home', 'mailing', 'residence', '收货', '配送', '家庭'],
  nameHints: [
    'address', 'addr', 'street', 'street_address', 'home_address', 'shipping_address', 'billing_address', 'ship_address',
    'mailing_address', 'delivery_address', 'residence', 'address_line', 'address_line1', 'address_line2', 'addressline', 'address1', 'address2',
    'detail_address', 'full_address', 'dizhi', 'zhuzhi', 'jiatingzhuzhi', 'shouhuodizhi', 'hujidizhi', 'juzhudi', 'xiangxidizhi',
    '地址', '住址', '家庭住址', '收货地址', '通讯地址', '户籍地址', '居住地址', '联系地址', '详细地址',
  ],
  excludedNameHints: ['email', 'mail', 'ip', 'mac', 'wallet', 'url', 'web', 'server', 'contract', 'memory', 'host', 'ipv4', 'ipv6', 'ip地址', 'name', 'status', 'id', 'type', 'count'],
  baseConfidence: 0.75,
  threshold: 0.6,
  prefilter: (s) => s.length >= 3 && s.at === 0 && (s.han >= 3 || (s.letters >= 4 && (s.digits >= 1 || s.spaces >= 1))),
  validate(value, context) {
    if (/\p{Script=Han}/u.test(value)) return chineseAddress(value, context.hinted);
    return latinAddress(value, context.hinted);
  },
  validation: 'street grammar: house number and street type (EN, FR, ES, PT, IT, DE, NL, Nordic) or Chinese administrative and street units',
  labels: { en: 'street address', 'zh-CN': '地址' },
  severity: 'medium',
  mask(value) {
    if (/\p{Script=Han}/u.test(value)) {
      // The first administrative unit: a province/region, else a municipality (北京市), else nothing.
      const m = /^[\p{Script=Han}]{2,8}?(?:省|自治区|特别行政区|市)/u.exec(value);
      return m ? `${m[0]}${STARS}` : STARS;
    }
    const parts = value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    // Only a trailing state or country is kept (its postcode digits dropped); a street part never is.
    if (parts.length < 3) return STARS;
    const last = parts[parts.length - 1].replace(/[\d-]+/g, '').trim();
    return last ? `${STARS}, ${last}` : STARS;
  },
  normalize: (value) => value.replace(/\s+/g, ' ').toLowerCase(),
  source: 'builtin',
};
