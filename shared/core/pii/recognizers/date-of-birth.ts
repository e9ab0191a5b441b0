import { isCalendarDate, plausibleBirthDate } from '../checksums.js';
import type { Recognizer } from '../types.js';

/** Reads year, month, day from the accepted date forms; null when the value is none of them. */
export function parseDateParts(value: string): [number, number, number][] {
  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(value);
  if (m) return [[Number(m[1]), Number(m[3]), Number(m[4])]];
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(value);
  if (m) return [[Number(m[1]), Number(m[2]), Number(m[3])]];
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m) return [[Number(m[1]), Number(m[2]), Number(m[3])]];
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(value);
  // 03/04/1990 is March 4th in the US and 3 April elsewhere: either reading may be the right one.
  if (m) return [[Number(m[4]), Number(m[1]), Number(m[3])], [Number(m[4]), Number(m[3]), Number(m[1])]];
  m = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(value);
  if (m && monthOf(m[1])) return [[Number(m[3]), monthOf(m[1]), Number(m[2])]];
  m = /^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})$/.exec(value);
  if (m && monthOf(m[2])) return [[Number(m[3]), monthOf(m[2]), Number(m[1])]];
  return [];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 1–12 for an English month name or its abbreviation (`Sept` included), else 0. */
function monthOf(name: string): number {
  const lower = name.toLowerCase();
  const i = MONTHS.indexOf(lower.slice(0, 3));
  if (i < 0) return 0;
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][i];
  return full.startsWith(lower) || (i === 8 && lower === 'sept') ? i + 1 : 0;
}

/** The first reading of a date value that is a real calendar date, as [year, month, day]. */
export function parseCalendarDate(value: string): [number, number, number] | null {
  for (const p of parseDateParts(value)) if (isCalendarDate(p[0], p[1], p[2])) return p;
  return null;
}

/**
 * A date of birth: ISO (`1990-03-15`, with a midnight time as DATETIME columns export it), `1990/3/15`,
 * `19900315`, `1990年3月15日`, `15/03/1990` or `March 15, 1990`, between 1900 and today. Only in a dob-like field:
 * every table has dates that are not birthdays.
 */
export const dateOfBirthRecognizer: Recognizer = {
  entity: 'DATE_OF_BIRTH',
  patterns: [
    /\d{4}([-/.])\d{1,2}\1\d{1,2}(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?/,
    /\d{4}年\d{1,2}月\d{1,2}日?/,
    /\d{8}/,
    /\d{1,2}([/.-])\d{1,2}\1\d{4}/,
    /[A-Za-z]{3,9}\.? \d{1,2},? \d{4}/,
    /\d{1,2} [A-Za-z]{3,9}\.?,? \d{4}/,
  ],
  context: ['age', 'born', 'patient', 'customer', '年龄'],
  nameHints: [
    'dob', 'birthday', 'birth_date', 'birthdate', 'date_of_birth', 'birth_day', 'born_on', 'birth',
    'csrq', 'chusheng', 'chushengriqi', 'shengri', '出生日期', '生日', '出生年月', '出生年月日', '出生',
  ],
  baseConfidence: 0.75,
  threshold: 0.6,
  requiresNameHint: true,
  prefilter: (s) => s.digits >= 5 && s.digits <= 18 && s.length <= 24,
  validate: (value) => parseDateParts(value).some(([y, m, d]) => plausibleBirthDate(y, m, d)),
  validation: 'a real calendar date between 1900 and today',
  labels: { en: 'date of birth', 'zh-CN': '出生日期' },
  severity: 'medium',
  mask(value) {
    const date = parseCalendarDate(value);
    // The year alone is kept: it is what age checks need and it identifies no one.
    return date ? `${date[0]}-**-**` : '****-**-**';
  },
  normalize(value) {
    const d = parseCalendarDate(value);
    return d ? `${d[0]}-${String(d[1]).padStart(2, '0')}-${String(d[2]).padStart(2, '0')}` : value;
  },
  source: 'builtin',
};
