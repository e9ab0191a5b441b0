/**
 * IP address notation: one address has many text forms (`2001:DB8:0:0::0001`, `2001:db8::1`;
 * `::ffff:192.0.2.128`, `::ffff:c000:280`). Fingerprints, distinct counts and the fingerprint order
 * must not depend on which one a system wrote, so everything that compares addresses reads them
 * through canonicalIP.
 */
import { isIPv6 } from './checksums.js';

/** The eight 16-bit groups of a valid IPv6 text form (RFC 4291 §2.2, embedded IPv4 included); null when it is not one. */
export function ipv6Groups(value: string): number[] | null {
  if (!isIPv6(value)) return null;
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const o = g.split('.').map(Number);
        out.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const [head, tail] = value.split('::');
  const h = toGroups(head);
  if (tail === undefined) return h;
  const t = toGroups(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** `::ffff:192.0.2.128` in any notation (RFC 4291 §2.5.5.2, prefix ::ffff:0:0/96) → `192.0.2.128`; null for any other address. */
export function mappedIPv4(value: string): string | null {
  const g = ipv6Groups(value);
  return g && mappedOf(g);
}

/** The IPv4 address of IPv4-mapped groups (`::ffff:0:0/96`), else null. */
function mappedOf(g: readonly number[]): string | null {
  if (g[5] !== 0xffff || g[0] !== 0 || g[1] !== 0 || g[2] !== 0 || g[3] !== 0 || g[4] !== 0) return null;
  return `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
}

/**
 * RFC 5952 §4 text form of IPv6 groups: lowercase hex without leading zeros, the longest run of two
 * or more zero groups (the first of equal runs) shortened to `::`, a lone zero group kept as `0`.
 */
export function rfc5952(groups: readonly number[]): string {
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (gs: readonly number[]): string => gs.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(groups);
  return `${hex(groups.slice(0, bestAt))}::${hex(groups.slice(bestAt + bestLen))}`;
}

/**
 * One canonical form per address, so a fingerprint or a distinct count does not depend on how a
 * system wrote it: IPv6 in its RFC 5952 form (`2001:DB8:0:0::0001` → `2001:db8::1`), and an
 * IPv4-mapped IPv6 address as the IPv4 address it maps (`::ffff:c000:280` → `192.0.2.128`): a
 * dual-stack server logs an IPv4 client that way, and it is the same client another system logs as
 * `192.0.2.128`. IPv4 stays dotted-quad (the validator admits no leading zeros, so it has one form).
 */
export function canonicalIP(value: string): string {
  if (!value.includes(':')) return value;
  const groups = ipv6Groups(value);
  if (!groups) return value.toLowerCase();
  return mappedOf(groups) ?? rfc5952(groups);
}
