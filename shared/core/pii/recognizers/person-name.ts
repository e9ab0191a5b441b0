import { EN_FIRST_NAMES_TEXT } from '../data/en-first-names.js';
import { CN_GIVEN_NAME_CHARS } from '../data/cn-given-name-chars.js';
import type { Recognizer, ValueContext } from '../types.js';

/** Common Chinese single-character surnames (the ~300 most frequent cover well over 95% of the population). */
export const CN_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

/** Compound (two-character) surnames, checked before single ones so 欧阳 is not read as 欧. */
export const CN_COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '令狐', '慕容', '尉迟', '长孙', '宇文', '司徒', '夏侯', '公孙', '端木', '西门', '南宫', '独孤', '澹台', '轩辕'];

const SURNAME_SET = new Set(CN_SURNAMES);
const GIVEN_SET = new Set(CN_GIVEN_NAME_CHARS);
const FIRST_NAMES = new Set(EN_FIRST_NAMES_TEXT.split(' '));

/**
 * Words that make text a label, a business or a product rather than a person: `Main Office`,
 * `Signal Gift Stores`, `Gold Member`, `Atelier graphique`. Company-form words cover the legal forms
 * of the English-speaking world and the EU (GmbH, S.A., B.V., S.r.l., AB, Oy…).
 */
const NOT_NAME_WORDS = new Set([
  'test', 'user', 'admin', 'administrator', 'default', 'office', 'project', 'team', 'group', 'company', 'inc', 'ltd', 'llc',
  'store', 'stores', 'shop', 'shops', 'service', 'services', 'system', 'main', 'new', 'demo', 'sample', 'report', 'account', 'customer',
  'unknown', 'none', 'null', 'guest', 'support', 'sales', 'department', 'center', 'centre', 'bank', 'hotel', 'member', 'members',
  'co', 'corp', 'corporation', 'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'plc', 'ab', 'oy', 'as', 'aps',
  'limited', 'holding', 'holdings', 'partners', 'associates', 'international', 'industries', 'enterprises', 'solutions', 'technologies',
  'gifts', 'gift', 'imports', 'import', 'exports', 'replicas', 'collectables', 'collectibles', 'models', 'model', 'distributors', 'souveniers',
  'souvenirs', 'shopping', 'channel', 'classics', 'wholesale', 'wholesalers', 'traders', 'trading', 'auto', 'autos', 'cars', 'toys',
  'market', 'markets', 'mart', 'supermarket', 'supermarkt', 'restaurant', 'cafe', 'café', 'bar', 'delicatessen', 'delikatessen', 'foods', 'food',
  'markt', 'handel', 'imports', 'importadora', 'comercial', 'comercio', 'alimentos', 'abastos', 'carnes', 'vins', 'alcools', 'fromagerie',
  'boutique', 'atelier', 'magazzini', 'specialities', 'spezialitäten', 'shop', 'stop', 'mini', 'euro', 'online', 'express', 'direct',
  'gold', 'silver', 'platinum', 'bronze', 'diamond', 'vip', 'premium', 'level', 'tier', 'standard', 'basic', 'plus', 'pro', 'free',
  'manager', 'representative', 'assistant', 'director', 'president', 'owner', 'agent', 'coordinator', 'accounting', 'marketing',
  'action', 'animation', 'children', 'classic', 'comedy', 'documentary', 'drama', 'family', 'foreign', 'games', 'horror', 'music', 'sports', 'travel',
  'english', 'french', 'german', 'italian', 'japanese', 'mandarin', 'spanish', 'chinese',
  'street', 'road', 'avenue', 'lane', 'city', 'county', 'state', 'province', 'north', 'south', 'east', 'west', 'the', 'of', 'and', 'for', 'et',
]);

/** Lowercase particles that sit inside Western names (`Ludwig van Beethoven`, `Pedro de Castro`). */
const PARTICLES = new Set(['de', 'da', 'di', 'do', 'dos', 'das', 'del', 'della', 'der', 'den', 'van', 'von', 'le', 'la', 'du', 'bin', 'ibn', 'al', 'y', 'e', 'zu', 'ter', 'ten']);

/** Morphemes of Chinese labels that are never a person's name: tiers, roles, shops, products. */
const CN_DECOYS = [
  '会员', '等级', '用户', '管理', '账号', '帐号', '测试', '公司', '集团', '商店', '店', '品牌', '商品', '产品', '手机', '电脑', '专区', '活动',
  '优惠', '系统', '客服', '部门', '中心', '银行', '学校', '医院', '大学', '超市', '旗舰', '官方', '服务', '平台', '科技', '有限', '分类',
  '类别', '男装', '女装', '服装', '家电', '数码', '新品', '推荐', '热销', '促销', '秒杀', '特价', '金卡', '银卡', '普通', '黄金', '白金',
  '钻石', '铂金', '青铜', '专用', '员', '发货点', '仓', '省', '市', '区', '县', '路', '街', '号', '楼',
];

/** A Western name token: a capitalised or upper-case word (accents allowed), `O'Neil`, `McDonald`, `Mary-Jane`. */
const LATIN_TOKEN = /^(?:[A-Z]['’])?\p{Lu}[\p{Ll}\p{Lu}'’]*(?:-\p{Lu}[\p{Ll}\p{Lu}'’]*)*\.?$/u;

/** Splits a Chinese name into surname and given name, compound surnames first; null when it starts with no known surname. */
export function splitChineseName(value: string): [string, string] | null {
  if (value.length >= 3 && CN_COMPOUND_SURNAMES.includes(value.slice(0, 2))) return [value.slice(0, 2), value.slice(2)];
  if (value.length >= 2 && SURNAME_SET.has(value[0])) return [value[0], value.slice(1)];
  return null;
}

/** A Chinese personal name: a common (or compound) surname and a given name of 1–2 characters. */
export function isChineseName(value: string): boolean {
  if (value.length < 2 || value.length > 4) return false;
  const parts = splitChineseName(value);
  return parts !== null && parts[1].length >= 1 && parts[1].length <= 2;
}

const hasCnDecoy = (value: string): boolean => CN_DECOYS.some((d) => value.includes(d));

/** Chinese name evidence: in a name-named field any 2–4 Han characters that are not a label; under a general hint, surname + given-name characters. */
function chineseNameValid(value: string, context: ValueContext): boolean {
  if (!/^[\u4e00-\u9fff]{2,5}(?:·[\u4e00-\u9fff]{1,8})?$/u.test(value) || hasCnDecoy(value)) return false;
  // Minority names are written with a middle dot (阿依古丽·买买提): a person in any name-named field.
  if (value.includes('·')) return true;
  // A compound surname alone (欧阳) is a family name, not a person.
  if (CN_COMPOUND_SURNAMES.includes(value)) return false;
  if (context.hinted) return true;
  const parts = splitChineseName(value);
  // Given names are mostly 1–2 characters; longer ones must be made of given-name characters only.
  if (!parts || parts[1].length < 1 || parts[1].length > 4) return false;
  for (const c of parts[1]) if (!GIVEN_SET.has(c)) return false;
  return true;
}

/** Western name evidence: 1–4 name-shaped words, none a company, tier or label word; under a general hint, a known first name. */
function latinNameValid(value: string, context: ValueContext): boolean {
  const words = value.split(/[ ,]+/).filter((w) => w.length > 0);
  if (words.length === 0 || words.length > 5) return false;
  let known = false;
  let nameWords = 0;
  for (const word of words) {
    const lower = word.toLowerCase().replace(/[.'’]+$/g, '');
    if (NOT_NAME_WORDS.has(lower)) return false;
    if (PARTICLES.has(word)) continue;
    if (!LATIN_TOKEN.test(word)) return false;
    nameWords++;
    if (FIRST_NAMES.has(lower) || FIRST_NAMES.has(lower.split('-')[0])) known = true;
  }
  if (nameWords === 0) return false;
  if (context.hinted) return true;
  // `name`, `contact`, `nickname`: only a value with a first name from the public list, and a full
  // name (two words at least) — a single word under `name` is as often a product or a category.
  return known && nameWords >= 2;
}

/**
 * A person's name, Chinese (`张伟`, `欧阳娜娜`, `阿依古丽·买买提`) or Western (`John Smith`,
 * `Mary-Jane O'Neil`, `PENELOPE`, `de Castro`). Shape alone cannot tell a name from other short
 * text, so the field decides how much value evidence is needed:
 * - a person-name field (`first_name`, `contactLastName`, `receiver_name`, `姓名`) needs the shape
 *   and no label words (a split first/last column holds single words);
 * - a general one (`name`, `nickname`, `contact`) needs a first name from the public list (Moby,
 *   8,400 names) or a Chinese surname with given-name characters;
 * - any other field: never (no hint, no verdict).
 */
export const personNameRecognizer: Recognizer = {
  entity: 'PERSON_NAME',
  patterns: [
    /[\u4e00-\u9fff]{2,5}(?:·[\u4e00-\u9fff]{1,8})?/u,
    /[\p{L}'’.,\- ]{2,60}/u,
  ],
  context: ['customer', 'contact', 'holder', 'recipient', 'employee', 'patient', '客户', '员工'],
  nameHints: [
    'first_name', 'firstname', 'fname', 'given_name', 'givenname', 'forename', 'last_name', 'lastname', 'lname', 'surname',
    'family_name', 'familyname', 'middle_name', 'full_name', 'fullname', 'real_name', 'realname', 'person_name', 'contact_name',
    'contact_first_name', 'contact_last_name', 'cardholder', 'card_holder', 'holder_name', 'account_holder', 'recipient_name', 'receiver_name',
    'consignee', 'employee_name', 'emp_name', 'patient_name', 'legal_name', 'display_name_real', 'xingming', 'xm', 'zhenshixingming',
    'lianxiren', 'shoujianren', 'shouhuoren', 'chikaren', '姓名', '真实姓名', '联系人', '收件人', '收货人', '持卡人', '客户姓名',
    '员工姓名', '姓', '名字',
  ],
  weakNameHints: ['name', 'nickname', 'nick_name', 'contact', 'customer', 'person', 'owner', 'author', 'recipient', 'receiver', 'sender', 'user_name', 'username', '昵称', '用户名', '名称'],
  containerHints: [
    'address', 'receive', 'receiver', 'consignee', 'contact', 'contacts', 'member', 'members', 'user', 'users', 'employee', 'employees',
    'staff', 'person', 'people', 'patient', 'patients', 'student', 'students', 'apply', 'applicant', 'return_apply', 'passenger', 'guest',
    '收货', '联系人', '会员', '用户', '员工', '客户',
  ],
  excludedNameHints: [
    'file', 'host', 'product', 'company', 'app', 'table', 'column', 'domain', 'server', 'service', 'node', 'pod',
    'namespace', 'topic', 'image', 'brand', 'shop', 'store', 'category', 'project', 'team', 'group', 'role',
    'cluster', 'bucket', 'class', 'key', 'event', 'device', 'model', 'job', 'task', 'queue', 'city', 'country',
    'street', 'org', 'dept', 'department', 'bank', 'sku', 'item', 'goods', 'tag', 'label', 'field', 'schema', 'db',
    'title', 'level', 'tier', 'grade', 'rank', 'type', 'status', 'ship', 'address', 'region', 'district', 'province', 'state',
    'language', 'film', 'movie', 'book', 'song', 'album', 'course', 'menu', 'resource', 'permission', 'attribute', 'subject', 'coupon', 'promotion',
    'icon', 'pic', 'url', 'path', 'code', 'password', 'email', 'mail', 'phone',
    '商品', '产品', '公司', '文件', '城市', '部门', '银行', '店铺', '品牌', '分类', '等级', '地址',
  ],
  baseConfidence: 0.7,
  threshold: 0.6,
  requiresNameHint: true,
  prefilter: (s) => s.digits === 0 && s.at === 0 && s.length >= 2 && s.length <= 60 && (s.han > 0) !== (s.letters > 0),
  validate(value, context) {
    if (value.charCodeAt(0) >= 0x4e00) return chineseNameValid(value, context);
    return latinNameValid(value, context);
  },
  validation: 'name shape in a person-name field; a listed first name (Moby, public domain) or a Chinese surname and given-name characters under a general hint; label, tier and company words rejected',
  labels: { en: 'person name', 'zh-CN': '姓名' },
  severity: 'medium',
  mask(value) {
    if (/^\p{Script=Han}/u.test(value)) {
      const surname = CN_COMPOUND_SURNAMES.includes(value.slice(0, 2)) && value.length > 2 ? value.slice(0, 2) : value[0];
      return surname + '*'.repeat(Math.max(value.length - surname.length, 1));
    }
    return value.split(/\s+/).filter((w) => w.length > 0).map((w) => `${w[0]}***`).join(' ');
  },
  normalize: (value) => value.replace(/\s+/g, ' ').toLowerCase(),
  source: 'builtin',
};
