/**
 * Canonical forms for fingerprinting: the same person's value written two ways in two systems
 * (`+86 138-1234-5678` in Kafka, `13812345678` in MySQL) must produce the same keyed hash.
 * The HMAC itself is computed by Node code (shared/node); this module stays pure.
 */
import { cnMobileNational } from './checksums.js';
import { parseCalendarDate } from './recognizers/date-of-birth.js';

function expandIPv6(value: string): string {
  const lower = value.toLowerCase();
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const withV4 = (groups: string[]): string[] => {
    const last = groups[groups.length - 1];
    if (last === undefined || !last.includes('.')) return groups;
    const o = last.split('.').map(Number);
    return [...groups.slice(0, -1), ((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16)];
  };
  const hh = withV4(h);
  const tt = withV4(t);
  const fill = tail === undefined ? [] : Array(Math.max(8 - hh.length - tt.length, 0)).fill('0');
  return [...hh, ...fill, ...tt].map((g) => g.padStart(4, '0')).join(':');
}

/** Canonical form of a value of `entity`; unknown entities are NFKC-normalised and trimmed. */
export function normalizeForFingerprint(entity: string, value: string): string {
  // NFKC folds full-width digits and letters (１３８…) that Chinese input methods produce.
  const v = value.normalize('NFKC').trim();
  switch (entity) {
    case 'EMAIL':
      return v.toLowerCase();
    case 'CN_MOBILE':
      return cnMobileNational(v) ?? v.replace(/\D/g, '');
    case 'PHONE': {
      // A CN mobile written in E.164 must meet its national form recorded as CN_MOBILE elsewhere.
      const national = cnMobileNational(v);
      if (national) return national;
      const digits = v.replace(/\D/g, '');
      if (v.startsWith('+')) return `+${digits}`;
      if (v.startsWith('00')) return `+${digits.slice(2)}`;
      return digits;
    }
    case 'CN_RESIDENT_ID':
    case 'IBAN':
    case 'CN_PASSPORT':
      return v.replace(/[\s-]/g, '').toUpperCase();
    case 'BANK_CARD':
    case 'US_SSN':
      return v.replace(/\D/g, '');
    case 'IP_ADDRESS':
      return v.includes(':') ? expandIPv6(v) : v;
    case 'PERSON_NAME':
    case 'ADDRESS':
      return v.replace(/\s+/g, ' ').toLowerCase();
    case 'DATE_OF_BIRTH': {
      const d = parseCalendarDate(v);
      return d ? `${d[0]}-${String(d[1]).padStart(2, '0')}-${String(d[2]).padStart(2, '0')}` : v;
    }
    case 'GEO_COORDINATE': {
      const nums = (v.match(/[-+]?\d{1,3}\.\d+/g) ?? []).map((n) => Number(n).toFixed(5));
      // WKT writes POINT(lng lat); the canonical order is lat,lng.
      return (/^POINT/i.test(v) ? nums.reverse() : nums).join(',');
    }
    default:
      return v;
  }
}
