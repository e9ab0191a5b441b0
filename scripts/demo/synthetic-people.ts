/**
 * Synthetic people for the demo workspace: seeded, so every run writes the same files, and
 * checksum-valid where real identifiers are (GB 11643-1999 ID numbers, ISO/IEC 7812 Luhn cards),
 * so Driftline's recognizers see what they would see in production. Nobody here is real.
 */
import { seededRandom } from '../../shared/core/model/seeded-random.js';

export { seededRandom };

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const SURNAME_PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '晓东'];
const GIVEN_PINYIN = ['wei', 'fang', 'na', 'min', 'jing', 'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao', 'xiuying', 'xia', 'ping', 'gang', 'guiying', 'jianhua', 'xiaodong'];
const CITIES = [
  { region: '110105', city: '北京市朝阳区', streets: ['建国路', '朝阳北路', '东三环中路', '望京街'] },
  { region: '310115', city: '上海市浦东新区', streets: ['世纪大道', '张杨路', '陆家嘴环路', '浦东南路'] },
  { region: '440305', city: '广东省深圳市南山区', streets: ['科技园路', '深南大道', '南海大道', '后海大道'] },
  { region: '330106', city: '浙江省杭州市西湖区', streets: ['文三路', '天目山路', '西溪路', '古墩路'] },
];
const MOBILE_PREFIXES = ['138', '139', '135', '136', '150', '151', '158', '186', '187', '177', '199'];

/** GB 11643-1999 check character: weights 2^(17-i) mod 11, MOD 11-2. */
export function gb11643CheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return '10X98765432'[sum % 11];
}

/** ISO/IEC 7812 Luhn check digit for the digits before it. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export interface Person {
  id: number;
  name: string;
  phone: string;
  email: string;
  idCard: string;
  birthday: string;
  address: string;
  bankCard: string;
  createdAt: string;
}

export function makePeople(count: number, seed = 20261126): Person[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const people: Person[] = [];
  for (let id = 1; id <= count; id++) {
    const si = Math.floor(rnd() * SURNAMES.length);
    const gi = Math.floor(rnd() * GIVEN.length);
    const city = pick(CITIES);
    const year = 1960 + Math.floor(rnd() * 45);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const birthday = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const id17 = `${city.region}${birthday.replace(/-/g, '')}${digits(3)}`;
    const cardBody = `622202${digits(9)}`;
    people.push({
      id,
      name: SURNAMES[si] + GIVEN[gi],
      phone: pick(MOBILE_PREFIXES) + digits(8),
      email: `${GIVEN_PINYIN[gi]}.${SURNAME_PINYIN[si]}${id}@example.cn`,
      idCard: id17 + gb11643CheckChar(id17),
      birthday,
      address: `${city.city}${pick(city.streets)}${1 + Math.floor(rnd() * 300)}号`,
      bankCard: cardBody + luhnCheckDigit(cardBody),
      createdAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 300) * 86_400_000 + Math.floor(rnd() * 86_400_000)).toISOString(),
    });
  }
  return people;
}

export interface Order {
  orderNo: string;
  userId: number;
  amountCents: number;
  status: string;
  createdAt: string;
}

/** 18-digit order numbers: the classic decoy for ID-card detectors (made to fail the checksum). */
export function makeOrders(people: Person[], count: number, seed = 7): Order[] {
  const rnd = seededRandom(seed);
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    let no = `2025${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(Math.floor(rnd() * 1e11)).padStart(11, '0')}`;
    no = no.slice(0, 17);
    const wrong = String((Number(gb11643CheckChar(no).replace('X', '10')) + 3) % 10);
    orders.push({ orderNo: no + wrong, userId: people[Math.floor(rnd() * people.length)].id, amountCents: 100 + Math.floor(rnd() * 100_000), status: ['paid', 'shipped', 'refunded'][Math.floor(rnd() * 3)], createdAt: new Date(Date.UTC(2025, 5, 1) + Math.floor(rnd() * 150 * 86_400_000)).toISOString() });
  }
  return orders;
}
