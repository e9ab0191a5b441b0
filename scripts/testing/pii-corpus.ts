/**
 * A deterministic, labelled corpus of synthetic values for tests and benchmarks: every built-in entity
 * in Chinese and English forms, plus decoys (label null) that look like PII and are not — order
 * numbers failing GB 11643, numbers failing Luhn, 11-digit numbers on unallocated mobile prefixes,
 * UUIDs, hashes, timestamps, versions, prices. Every value is generated; none belongs to a person.
 */
import { gb11643CheckChar, ibanRemainder, spanishCccDigits } from '../../shared/core/pii/checksums.js';
import { CN_COMPOUND_SURNAMES, CN_SURNAMES } from '../../shared/core/pii/recognizers/person-name.js';

import type { LabelledValue } from '../../shared/core/pii/evaluate.js';
import { seededRandom } from '../../shared/core/model/seeded-random.js';

/** One generated value with its label (null for a decoy). */
export type CorpusItem = LabelledValue;


class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const group = (s: string, size: number, sep: string): string => s.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);

const LATIN_FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Susan', 'Richard', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Emma', 'Oliver', 'Sophie', 'Lucas', 'Anna', 'Noah', 'Wei', 'Fang', 'Lei', 'Mei'];
const LATIN_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore', 'Martin', 'Clark', 'Lewis', 'Walker', 'Young', 'Allen', 'Wright', 'Zhang', 'Wang', 'Li', 'Chen', 'Liu', 'Huang', 'Schmidt', 'Dubois', 'Rossi', 'McDonald', "O'Neil"];
const CN_GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅文辉鹏飞宇浩然子涵欣怡思雨嘉俊博晨阳';
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.cn', 'corp.example.com', 'test.example.co.uk'];
const CN_ADMIN: readonly [string, string, readonly string[]][] = [
  ['', '北京市', ['朝阳区', '海淀区', '东城区', '西城区', '丰台区']],
  ['', '上海市', ['浦东新区', '徐汇区', '静安区', '黄浦区']],
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区']],
  ['广东省', '广州市', ['天河区', '越秀区', '番禺区']],
  ['浙江省', '杭州市', ['西湖区', '余杭区', '滨江区']],
  ['江苏省', '南京市', ['鼓楼区', '玄武区', '建邺区']],
  ['四川省', '成都市', ['武侯区', '锦江区', '高新区']],
  ['湖北省', '武汉市', ['洪山区', '江汉区', '武昌区']],
  ['内蒙古自治区', '呼和浩特市', ['新城区', '赛罕区']],
];
const CN_ROADS = ['建国路', '中山路', '人民路', '解放路', '长安街', '科技园路', '世纪大道', '南京西路', '文三路', '天府大道', '学院路', '和平街'];
const EN_STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Baker', 'High', 'Church', 'Sunset', 'River'];
const EN_SUFFIXES = ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Lane', 'Drive', 'Blvd', 'Court', 'Way'];
const EN_CITIES = ['Springfield', 'Riverside', 'Fairview', 'London', 'Manchester', 'Portland', 'Madison'];
const US_STATES = ['IL', 'CA', 'TX', 'NY', 'WA', 'OR', 'WI'];
const PROVINCES = ['11', '12', '13', '14', '21', '31', '32', '33', '35', '37', '41', '42', '43', '44', '50', '51', '61', '62', '65'];
const MOBILE_PREFIXES = ['130', '131', '133', '135', '136', '137', '138', '139', '147', '150', '152', '157', '158', '159', '166', '176', '177', '180', '181', '186', '187', '188', '189', '191', '198', '199'];
/** BBAN formats (n digits, a letters, c alphanumerics) of some ISO 13616 countries. */
const IBAN_FORMATS: Record<string, string> = {
  DE: '18n', GB: '4a14n', FR: '10n11c2n', ES: '20n', IT: '1a10n12c', NL: '4a10n', BE: '12n', CH: '5n12c', AT: '16n',
  PL: '24n', SE: '20n', NO: '11n', DK: '14n', FI: '14n', IE: '4a14n', PT: '21n', LU: '3n13c', SA: '2n18c',
};

type Generator = (r: Random) => CorpusItem;
const maybe = (r: Random, names: readonly (string | undefined)[]): string | undefined => r.pick(names);

function luhnComplete(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = partial.charCodeAt(partial.length - 1 - i) - 48;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

function cardNumber(r: Random): string {
  const brand = r.int(0, 9);
  if (brand <= 3) { // UnionPay, the bulk of cards in China
    const bin = r.pick(['622202', '621700', '622848', '621661', '622588', '623668', '621483', '625807']);
    return luhnComplete(bin + r.digits(r.chance(0.6) ? 9 : 12));
  }
  if (brand <= 5) return luhnComplete('4' + r.digits(14));
  if (brand === 6) return luhnComplete(String(r.int(51, 55)) + r.digits(13));
  if (brand === 7) return luhnComplete(String(r.pick([34, 37])) + r.digits(12));
  if (brand === 8) return luhnComplete(String(r.int(3528, 3589)) + r.digits(11));
  return luhnComplete(r.pick(['6011', String(r.int(2221, 2720))]) + r.digits(11));
}

function formatCard(r: Random, pan: string): string {
  const f = r.int(0, 9);
  if (f < 6) return pan;
  return group(pan, 4, f < 9 ? ' ' : '-');
}

function residentId(r: Random): string {
  const area = r.pick(PROVINCES) + pad(r.int(1, 20), 2) + pad(r.int(1, 30), 2);
  const year = r.int(1935, 2012);
  const month = r.int(1, 12);
  const day = r.int(1, 28);
  const first17 = area + year + pad(month, 2) + pad(day, 2) + r.digits(3);
  return first17 + gb11643CheckChar(first17);
}

function iban(r: Random): string {
  const country = r.pick(Object.keys(IBAN_FORMATS));
  let bban = '';
  for (const [, count, kind] of IBAN_FORMATS[country].matchAll(/(\d+)([nac])/g)) {
    for (let i = 0; i < Number(count); i++) {
      const alphabet = kind === 'n' ? '0123456789' : kind === 'a' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      bban += alphabet[r.int(0, alphabet.length - 1)];
    }
  }
  // A Spanish BBAN carries its own control digits (CCC): a random pair would make an invalid account.
  if (country === 'ES') bban = `${bban.slice(0, 8)}${spanishCccDigits(bban.slice(0, 8), bban.slice(10, 20))}${bban.slice(10)}`;
  const check = 98 - ibanRemainder(`${country}00${bban}`);
  return `${country}${pad(check, 2)}${bban}`;
}

function mobile(r: Random): string {
  return r.pick(MOBILE_PREFIXES) + r.digits(8);
}

function birthDate(r: Random): [number, number, number] {
  return [r.int(1940, 2010), r.int(1, 12), r.int(1, 28)];
}

function ssn(r: Random): string {
  let area = r.int(1, 899);
  if (area === 666) area = 665;
  return `${pad(area, 3)}-${pad(r.int(1, 99), 2)}-${pad(r.int(1, 9999), 4)}`;
}

function chineseName(r: Random): string {
  const surname = r.chance(0.05) ? r.pick(CN_COMPOUND_SURNAMES) : CN_SURNAMES[r.int(0, 79)];
  let given = CN_GIVEN[r.int(0, CN_GIVEN.length - 1)];
  if (r.chance(0.6)) given += CN_GIVEN[r.int(0, CN_GIVEN.length - 1)];
  return surname + given;
}

function latinName(r: Random): string {
  const first = r.pick(LATIN_FIRST);
  const last = r.pick(LATIN_LAST);
  const name = r.chance(0.1) ? `${first} ${String.fromCharCode(r.int(65, 90))}. ${last}` : `${first} ${last}`;
  return r.chance(0.05) ? name.toUpperCase().replace(/[.']/g, '') : name;
}

function ipv6(r: Random): string {
  const groups = Array.from({ length: 8 }, () => r.hex(r.int(1, 4)).replace(/^0+(?=.)/, ''));
  if (r.chance(0.5)) groups[0] = '2001';
  if (r.chance(0.5)) groups[1] = 'db8';
  if (r.chance(0.5)) {
    const start = r.int(2, 5);
    const len = r.int(2, 3);
    return `${groups.slice(0, start).join(':')}::${groups.slice(start + len).join(':')}`;
  }
  return groups.join(':');
}

/** Positive examples, one generator per built-in entity. */
const POSITIVE: Record<string, Generator> = {
  EMAIL: (r) => {
    const local = `${r.pick(LATIN_FIRST).toLowerCase()}${r.pick(['.', '_', '', ''])}${r.pick(LATIN_LAST).toLowerCase().replace("'", '')}${r.chance(0.4) ? r.int(1, 999) : ''}`;
    const value = `${r.chance(0.1) ? local.toUpperCase() : local}${r.chance(0.05) ? '+news' : ''}@${r.pick(EMAIL_DOMAINS)}`;
    return { value, fieldName: maybe(r, ['email', 'user_email', 'contactEmail', '邮箱', 'youxiang', undefined, undefined, 'c3']), label: 'EMAIL' };
  },
  PHONE: (r) => {
    const f = r.int(0, 7);
    let value: string;
    if (f === 0) value = `+1 ${r.int(2, 9)}${r.digits(2)}-555-01${r.digits(2)}`;
    else if (f === 1) value = `+1${r.int(2, 9)}${r.digits(2)}55501${r.digits(2)}`;
    else if (f === 2) value = `+44 20 7946 0${r.digits(3)}`;
    else if (f === 3) value = `+49 30 ${r.int(2, 9)}${r.digits(7)}`;
    else if (f === 4) value = `+81 3-${r.int(2, 9)}${r.digits(3)}-${r.digits(4)}`;
    else if (f === 5) value = `0044 20 7946 0${r.digits(3)}`;
    else if (f === 6) value = `${r.pick(['010', '021', '020'])}-${r.int(2, 8)}${r.digits(7)}`;
    else value = `${r.pick(['0755', '0571', '0512'])}-${r.int(2, 8)}${r.digits(r.chance(0.5) ? 6 : 7)}`;
    return { value, fieldName: maybe(r, ['phone', 'tel', 'contact_number', '电话', 'lianxidianhua', undefined, undefined]), label: 'PHONE' };
  },
  CN_MOBILE: (r) => {
    const m = mobile(r);
    const f = r.int(0, 9);
    const value = f < 5 ? m
      : f === 5 ? `+86 ${m}`
      : f === 6 ? `+86${m}`
      : f === 7 ? `0086${m}`
      : f === 8 ? `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`
      : `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`;
    return { value, fieldName: maybe(r, ['mobile', 'shouji', '手机号', 'phone', 'userMobile', undefined, undefined, 'col_7']), label: 'CN_MOBILE' };
  },
  CN_RESIDENT_ID: (r) => {
    let value = residentId(r);
    if (value.endsWith('X') && r.chance(0.2)) value = value.slice(0, 17) + 'x';
    return { value, fieldName: maybe(r, ['id_card', 'sfzh', '身份证号', 'idNo', 'cert_no', undefined, undefined]), label: 'CN_RESIDENT_ID' };
  },
  BANK_CARD: (r) => ({ value: formatCard(r, cardNumber(r)), fieldName: maybe(r, ['card_no', 'bank_card', '银行卡号', 'pan', undefined, undefined]), label: 'BANK_CARD' }),
  IBAN: (r) => {
    const value = iban(r);
    return { value: r.chance(0.4) ? group(value, 4, ' ') : value, fieldName: maybe(r, ['iban', 'bank_account', 'beneficiary_account', undefined, undefined]), label: 'IBAN' };
  },
  CN_PASSPORT: (r) => {
    const f = r.int(0, 2);
    const value = f === 0 ? `E${r.digits(8)}` : f === 1 ? `G${r.digits(8)}` : `E${r.pick('ABCDEFGHJKLMNPQRSTUVWXYZ'.split(''))}${r.digits(7)}`;
    return { value, fieldName: maybe(r, ['passport_no', '护照号', 'huzhao', 'passport', undefined]), label: 'CN_PASSPORT' };
  },
  US_SSN: (r) => {
    const value = ssn(r);
    if (r.chance(0.15)) return { value: value.replace(/-/g, ''), fieldName: r.pick(['ssn', 'social_security_number']), label: 'US_SSN' };
    return { value, fieldName: maybe(r, ['ssn', 'tax_ssn', undefined, undefined]), label: 'US_SSN' };
  },
  IP_ADDRESS: (r) => {
    const value = r.chance(0.7) ? `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}` : ipv6(r);
    return { value, fieldName: maybe(r, ['client_ip', 'ip', 'remote_addr', 'loginIp', undefined, undefined]), label: 'IP_ADDRESS' };
  },
  PERSON_NAME: (r) => ({
    value: r.chance(0.55) ? chineseName(r) : latinName(r),
    fieldName: r.pick(['name', 'full_name', '姓名', 'xingming', 'customer_name', 'contact_name', 'real_name', '收货人']),
    label: 'PERSON_NAME',
  }),
  DATE_OF_BIRTH: (r) => {
    const [y, m, d] = birthDate(r);
    const f = r.int(0, 6);
    const value = f <= 1 ? `${y}-${pad(m, 2)}-${pad(d, 2)}`
      : f === 2 ? `${y}/${m}/${d}`
      : f === 3 ? `${y}${pad(m, 2)}${pad(d, 2)}`
      : f === 4 ? `${y}年${m}月${d}日`
      : f === 5 ? `${pad(d, 2)}/${pad(m, 2)}/${y}`
      : `${y}-${pad(m, 2)}-${pad(d, 2)} 00:00:00`;
    return { value, fieldName: r.pick(['dob', 'birthday', 'birth_date', '出生日期', 'shengri', 'date_of_birth', 'birthDate']), label: 'DATE_OF_BIRTH' };
  },
  ADDRESS: (r) => {
    if (r.chance(0.55)) {
      const [province, city, districts] = r.pick(CN_ADMIN);
      let value = `${province}${city}${r.pick(districts)}${r.pick(CN_ROADS)}${r.int(1, 999)}号`;
      if (r.chance(0.5)) value += `${r.int(1, 30)}栋${r.int(1, 30)}0${r.int(1, 9)}室`;
      if (r.chance(0.2)) return { value: `${r.pick(districts)}${r.pick(['望京', '花园', '阳光'])}小区${r.int(1, 20)}号楼${r.int(1, 6)}单元${r.int(1, 30)}0${r.int(1, 4)}`, fieldName: r.pick(['address', '收货地址', 'dizhi']), label: 'ADDRESS' };
      return { value, fieldName: maybe(r, ['address', '收货地址', 'dizhi', 'home_address', undefined, undefined]), label: 'ADDRESS' };
    }
    let value = `${r.int(1, 9999)} ${r.pick(EN_STREETS)} ${r.pick(EN_SUFFIXES)}`;
    if (r.chance(0.5)) value += `, ${r.pick(EN_CITIES)}`;
    if (r.chance(0.4)) value += `, ${r.pick(US_STATES)} ${r.digits(5)}`;
    return { value, fieldName: maybe(r, ['address', 'shipping_address', 'street', 'billing_address', undefined, undefined]), label: 'ADDRESS' };
  },
  GEO_COORDINATE: (r) => {
    const lat = (r.next() * 130 - 60).toFixed(r.int(4, 6));
    const lng = (r.next() * 360 - 180).toFixed(r.int(4, 6));
    const f = r.int(0, 5);
    if (f === 0) return { value: lat, fieldName: r.pick(['lat', 'latitude', '纬度', 'weidu']), label: 'GEO_COORDINATE' };
    if (f === 1) return { value: lng, fieldName: r.pick(['lng', 'longitude', '经度', 'jingdu']), label: 'GEO_COORDINATE' };
    const value = f === 2 ? `${lat},${lng}` : f === 3 ? `${lat}, ${lng}` : f === 4 ? `(${lat}, ${lng})` : `POINT(${lng} ${lat})`;
    return { value, fieldName: maybe(r, ['location', 'gps', 'coordinates', '坐标', undefined, undefined]), label: 'GEO_COORDINATE' };
  },
};

/** Decoys: values shaped like PII that are not (label null). */
const DECOYS: Generator[] = [
  // 18-digit order numbers: date-prefixed, and ID-shaped ones with a wrong check character.
  (r) => ({ value: `20${r.int(15, 25)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}${r.digits(10)}`, fieldName: maybe(r, ['order_no', '订单号', 'trade_no', undefined]), label: null }),
  (r) => {
    const id = residentId(r);
    const wrong = '0123456789X'.replace(id[17], '');
    return { value: id.slice(0, 17) + wrong[r.int(0, wrong.length - 1)], fieldName: maybe(r, ['order_no', 'serial', undefined]), label: null };
  },
  // Card-shaped numbers failing Luhn.
  (r) => {
    const pan = cardNumber(r);
    const bad = pan.slice(0, -1) + String((Number(pan.slice(-1)) + r.int(1, 9)) % 10);
    return { value: formatCard(r, bad), fieldName: maybe(r, ['ref_no', 'txn_id', 'card_no', undefined]), label: null };
  },
  // 11-digit numbers on prefixes no mobile network has.
  (r) => ({ value: `${r.pick(['10', '11', '12'])}${r.digits(9)}`.slice(0, 11).padEnd(11, '0'), fieldName: maybe(r, ['account_id', 'member_no', 'mobile', undefined]), label: null }),
  (r) => ({ value: `${r.pick(['154', '194', '140', '160'])}${r.digits(8)}`, fieldName: maybe(r, ['account_id', undefined]), label: null }),
  (r) => {
    const u = `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`;
    return { value: r.chance(0.2) ? u.toUpperCase() : u, fieldName: maybe(r, ['id', 'trace_id', 'request_id', undefined]), label: null };
  },
  (r) => ({ value: r.hex(r.pick([32, 40, 64])), fieldName: maybe(r, ['checksum', 'sha', 'etag', 'password_hash', undefined]), label: null }),
  (r) => ({ value: r.chance(0.5) ? String(r.int(1_500_000_000, 1_800_000_000)) : String(r.int(1_500_000_000, 1_800_000_000)) + r.digits(3), fieldName: maybe(r, ['ts', 'created_at', 'timestamp', undefined]), label: null }),
  (r) => ({
    value: r.pick([`${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 40)}`, `v${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`, `10.0.${r.int(10000, 22631)}.${r.int(1, 999)}`, `6.1.7601.${r.int(17000, 24000)}`, `${r.int(1, 4)}.${r.int(0, 12)}.${r.int(0, 9)}-beta.${r.int(1, 5)}`]),
    fieldName: maybe(r, ['version', 'app_version', 'os_version', undefined]), label: null,
  }),
  (r) => {
    const amount = r.int(1, 99999);
    const cents = pad(r.int(0, 99), 2);
    return {
      value: r.pick([`¥${amount.toLocaleString('en-US')}.${cents}`, `$${amount}.${cents}`, `${amount}.${cents}`, `€ ${amount},${cents}`, String(amount), `${amount.toLocaleString('en-US')}.00`]),
      fieldName: maybe(r, ['price', 'amount', '金额', 'total', undefined]), label: null,
    };
  },
  // Dates that are not birthdays (no dob hint), and text in name-like fields that is not a person.
  (r) => ({ value: `20${r.int(10, 25)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}`, fieldName: maybe(r, ['created_at', 'updated_at', 'order_date', '下单日期', undefined]), label: null }),
  (r) => ({
    value: r.pick(['Blue Widget', 'Deluxe Coffee Maker', 'Smart Watch', 'Green Tea', '华为手机', '智能手表', 'Office Chair', 'Annual Report']),
    fieldName: r.pick(['product_name', 'item_name', 'file_name', '商品名称', 'category']), label: null,
  }),
  // IBAN, SSN and IP look-alikes failing their rules.
  (r) => {
    const v = iban(r);
    const i = r.int(4, v.length - 1);
    const c = v[i];
    const swapped = /\d/.test(c) ? String((Number(c) + r.int(1, 9)) % 10) : c === 'A' ? 'B' : 'A';
    return { value: v.slice(0, i) + swapped + v.slice(i + 1), fieldName: maybe(r, ['iban', 'ref', undefined]), label: null };
  },
  (r) => ({ value: r.pick([`000-${pad(r.int(1, 99), 2)}-${pad(r.int(1, 9999), 4)}`, `666-${pad(r.int(1, 99), 2)}-${pad(r.int(1, 9999), 4)}`, `9${r.digits(2)}-${pad(r.int(1, 99), 2)}-${pad(r.int(1, 9999), 4)}`, `${pad(r.int(1, 899), 3)}-00-${pad(r.int(1, 9999), 4)}`, `${pad(r.int(1, 665), 3)}-${pad(r.int(1, 99), 2)}-0000`]), fieldName: maybe(r, ['ssn', 'code', undefined]), label: null }),
  (r) => ({ value: r.pick([`${r.int(256, 999)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(0, 255)}`, `192.168.0${r.int(1, 9)}.${r.int(1, 254)}`, `${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}`, `${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}:${pad(r.int(0, 59), 2)}`]), fieldName: maybe(r, ['mac', 'time', 'ip', undefined]), label: null }),
  (r) => ({ value: r.pick(['ACTIVE', 'pending', 'shipped', '已发货', '待支付', 'true', 'N/A', String(r.int(1, 999999)), `SKU-${r.digits(6)}`, `INV${r.digits(8)}`]), fieldName: maybe(r, ['status', 'code', 'sku', 'name', undefined]), label: null }),
];

/**
 * Hard cases, kept so the scores are not a generator grading itself: PII in forms the recognizers do
 * not claim to catch (recall losses) and non-PII indistinguishable by shape (precision losses).
 */
const HARD: Generator[] = [
  (r) => ({ value: `${r.pick(LATIN_LAST).toLowerCase()} ${r.pick(LATIN_FIRST).toLowerCase()}`, fieldName: 'name', label: 'PERSON_NAME' }),
  (r) => ({ value: chineseName(r), fieldName: r.pick(['c1', 'value', undefined]), label: 'PERSON_NAME' }),
  (r) => ({ value: `(${r.int(2, 9)}${r.digits(2)}) 555-01${r.digits(2)}`, fieldName: r.pick(['phone', undefined]), label: 'PHONE' }),
  (r) => ({ value: mobile(r).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), fieldName: r.pick(['mobile', undefined]), label: 'CN_MOBILE' }),
  (r) => ({ value: `${r.pick(['海淀区', '南山区', '西湖区'])}${r.pick(CN_ROADS)}${r.int(1, 99)}号`, fieldName: r.pick(['address', undefined]), label: 'ADDRESS' }),
  (r) => ({ value: `${r.pick(['March', 'July', 'Oct.'])} ${r.int(1, 28)}, ${r.int(1950, 2005)}`, fieldName: 'dob', label: 'DATE_OF_BIRTH' }),
  (r) => ({ value: `${(r.next() * 60).toFixed(2)},${(r.next() * 180).toFixed(2)}`, fieldName: undefined, label: 'GEO_COORDINATE' }),
  (r) => ({ value: r.pick(['王老吉', '李宁', '周大福', 'Default Project', 'Main Office', 'Test User']), fieldName: 'name', label: null }),
  (r) => ({ value: r.digits(r.pick([13, 15, 16, 19])).replace(/^0/, '1'), fieldName: maybe(r, ['tracking_no', 'waybill', undefined]), label: null }),
  (r) => ({ value: `E${r.int(2015, 2025)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}`, fieldName: maybe(r, ['sku', 'batch', undefined]), label: null }),
  (r) => ({ value: mobile(r), fieldName: r.pick(['order_id', 'uid']), label: null }),
];

/**
 * Generates `size` labelled values (20,000 or more for the precision/recall figures to mean much),
 * half of them PII spread evenly over the built-in entities, 42% decoys and 8% hard cases.
 */
export function generateCorpus(seed: number, size = 20_000): CorpusItem[] {
  const r = new Random(seededRandom(seed));
  const positives = Object.values(POSITIVE);
  const out: CorpusItem[] = [];
  for (let i = 0; i < size; i++) {
    const roll = r.next();
    out.push(roll < 0.5 ? r.pick(positives)(r) : roll < 0.92 ? r.pick(DECOYS)(r) : r.pick(HARD)(r));
  }
  return out;
}
