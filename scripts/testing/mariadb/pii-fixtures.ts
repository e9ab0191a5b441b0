/**
 * Synthetic PII and decoys for MariaDB tests: deterministic (seeded), valid where it must be
 * (GB 11643-1999 check character, ISO/IEC 7812 Luhn digit) and invalid where a decoy must be.
 */
import { gb11643CheckChar, luhnCheckDigit, seededRandom } from '../../demo/synthetic-people.js';

export { seededRandom };
/** GB 11643-1999 MOD 11-2 check character of the first 17 digits. */
export const residentIdCheck = gb11643CheckChar;
/** ISO/IEC 7812 Luhn check digit for a number without its last digit. */
export const luhnCheck = luhnCheckDigit;
/** The MOD 11-2 check characters, by remainder (GB 11643-1999). */
const CHECK = '10X98765432';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const AREAS = ['110105', '310104', '440305', '330106', '510107', '420106'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟'];
const STREETS = ['北京市朝阳区建国路', '上海市徐汇区漕溪北路', '深圳市南山区科技园路', '杭州市西湖区文三路', '成都市武侯区人民南路'];
const MOBILE_PREFIXES = ['138', '139', '150', '151', '186', '187', '133', '177'];

export interface Person {
  name: string;
  mobile: string;
  email: string;
  idCard: string;
  bankCard: string;
  address: string;
  /** 18 digits shaped like an ID that fails the GB 11643 check: an order number. */
  orderNo: string;
  requestId: string;
  createdAt: string;
}

export function residentId(r: () => number): string {
  const year = 1950 + Math.floor(r() * 50);
  const first17 = `${pick(r, AREAS)}${year}${pad(1 + Math.floor(r() * 12), 2)}${pad(1 + Math.floor(r() * 28), 2)}${digits(r, 3)}`;
  return first17 + residentIdCheck(first17);
}

export function bankCard(r: () => number): string {
  const body = `622202${digits(r, 12)}`; // 19 digits with the check digit (China UnionPay BIN range)
  return body + luhnCheck(body);
}

/** An 18-digit order number that is not a resident ID (wrong check character and impossible date). */
export function orderNumber(r: () => number): string {
  const first17 = `2024${digits(r, 13)}`;
  const right = residentIdCheck(first17);
  const wrong = CHECK[(CHECK.indexOf(right) + 1 + Math.floor(r() * 9)) % 11].replace('X', '7');
  return first17 + (wrong === right ? String((Number(right) + 1) % 10) : wrong);
}

export function uuid(r: () => number): string {
  const h = () => Math.floor(r() * 16).toString(16);
  const s = (n: number) => Array.from({ length: n }, h).join('');
  return `${s(8)}-${s(4)}-4${s(3)}-a${s(3)}-${s(12)}`;
}

export function person(r: () => number, i: number): Person {
  return {
    name: pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.5 ? pick(r, GIVEN) : ''),
    mobile: pick(r, MOBILE_PREFIXES) + digits(r, 8),
    email: `user${i}.${digits(r, 4)}@example.com`,
    idCard: residentId(r),
    bankCard: bankCard(r),
    address: `${pick(r, STREETS)}${1 + Math.floor(r() * 300)}号${1 + Math.floor(r() * 20)}栋${pad(101 + Math.floor(r() * 1800), 4)}室`,
    orderNo: orderNumber(r),
    requestId: uuid(r),
    createdAt: `2025-${pad(1 + Math.floor(r() * 12), 2)}-${pad(1 + Math.floor(r() * 28), 2)} ${pad(Math.floor(r() * 24), 2)}:${pad(Math.floor(r() * 60), 2)}:00`,
  };
}

export function people(n: number, seed = 42): Person[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => person(r, i));
}
