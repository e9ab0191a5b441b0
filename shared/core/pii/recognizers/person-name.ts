import type { Recognizer } from '../types.js';

/** Common Chinese single-character surnames (the ~150 most frequent cover over 90% of the population). */
export const CN_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

/** Compound (two-character) surnames, checked before single ones so 欧阳 is not read as 欧. */
export const CN_COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '令狐', '慕容', '尉迟', '长孙', '宇文', '司徒', '夏侯', '公孙', '端木', '西门', '南宫', '独孤', '澹台', '轩辕'];

const SURNAME_SET = new Set(CN_SURNAMES);

/** Words that make capitalised text a label, not a person (`Main Office`, `Test User`). */
const NOT_NAME_WORDS = new Set([
  'test', 'user', 'admin', 'default', 'office', 'project', 'team', 'group', 'company', 'inc', 'ltd', 'llc',
  'store', 'shop', 'service', 'system', 'main', 'new', 'demo', 'sample', 'report', 'account', 'customer',
  'unknown', 'none', 'null', 'guest', 'support', 'sales', 'department', 'center', 'centre', 'bank', 'hotel',
]);

/** A Chinese personal name: 2–4 Han characters starting with a common (or compound) surname, given name 1–2 characters. */
export function isChineseName(value: string): boolean {
  if (value.length < 2 || value.length > 4) return false;
  const compound = CN_COMPOUND_SURNAMES.includes(value.slice(0, 2));
  if (!compound && !SURNAME_SET.has(value[0])) return false;
  // A compound surname needs a given name too (欧阳 alone is a surname, not a person).
  return value.length - (compound ? 2 : 1) >= 1;
}

/**
 * A person's name, Chinese (`张伟`, `欧阳娜娜`) or Latin (`John Smith`, `Mary-Jane O'Neil`, `ZHANG WEI`).
 * Names are indistinguishable from other short text by shape alone, so a name hint is required.
 */
export const personNameRecognizer: Recognizer = {
  entity: 'PERSON_NAME',
  patterns: [
    /[\u4e00-\u9fff]{2,4}/,
    /(?:[A-Z]['’]?)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: [A-Z]\.)?(?: (?:[A-Z]['’]|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}/,
    /[A-Z]{2,}(?: [A-Z]\.?)?(?: [A-Z]{2,}){1,2}/,
  ],
  context: ['customer', 'contact', 'holder', 'recipient', 'employee', 'patient', '客户', '员工'],
  nameHints: [
    'name', 'full_name', 'fullname', 'real_name', 'realname', 'person_name', 'customer_name', 'contact_name',
    'cardholder', 'holder_name', 'recipient', 'receiver_name', 'consignee', 'employee_name', 'patient_name',
    'xingming', 'xm', 'zhenshixingming', 'lianxiren', 'shoujianren', 'shouhuoren', 'chikaren',
    '姓名', '名字', '真实姓名', '联系人', '收件人', '收货人', '持卡人', '客户姓名',
  ],
  excludedNameHints: [
    'file', 'host', 'product', 'company', 'app', 'table', 'column', 'domain', 'server', 'service', 'node', 'pod',
    'namespace', 'topic', 'image', 'brand', 'shop', 'store', 'category', 'project', 'team', 'group', 'role',
    'cluster', 'bucket', 'class', 'key', 'event', 'device', 'model', 'job', 'task', 'queue', 'city', 'country',
    'street', 'org', 'dept', 'department', 'bank', 'sku', 'item', 'goods', 'tag', 'label', 'field', 'schema', 'db',
    '商品', '产品', '公司', '文件', '城市', '部门', '银行', '店铺',
  ],
  baseConfidence: 0.6,
  threshold: 0.6,
  requiresNameHint: true,
  prefilter: (s) => s.digits === 0 && s.at === 0 && s.length >= 2 && s.length <= 40 && (s.han > 0) !== (s.letters > 0),
  validate(value) {
    if (value.charCodeAt(0) >= 0x4e00) return isChineseName(value);
    return !value.toLowerCase().split(/[ .'’-]+/).some((w) => NOT_NAME_WORDS.has(w));
  },
  source: 'builtin',
};
