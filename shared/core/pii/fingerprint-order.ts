/**
 * The order in which a field's values are considered for keyed fingerprints (value lineage).
 *
 * Lineage compares fingerprints of two fields; if each store fingerprinted the first values it met,
 * two stores holding the same people would pick different people and share nothing. Instead every
 * store takes the values that come first in one fixed hash order — a bottom-k sketch — so the same
 * people are picked everywhere, whatever order, size or format the stores hold them in.
 *
 * The order must not depend on the entity (it is computed for every value, before classification,
 * and must be cheap: CDC streams every value through it), yet it must agree for the formats that an
 * entity's normalizer makes equal (`+86 138-1234-5678` and `13812345678`; `Alice@Example.com` and
 * `alice@example.com`). So it hashes a loose canonical form: for values made of digits and
 * separators, their last 9 digits; for any other value, its letters and digits, lower-cased (NFKC's
 * full-width forms folded). Two different values may share a rank — that only decides which of
 * them is looked at first, never whether they are the same.
 *
 * The order is an unkeyed hash: it only picks which values are fingerprinted; the fingerprints
 * themselves are the keyed HMACs computed with the workspace key.
 */

/** Digits kept by the order of a digits-and-separators value: a national and an international form of one phone share them. */
const TAIL_DIGITS = 9;
/** Fewer digits than this and a digits-only value is hashed whole (an IPv4 address, a short code). */
const MIN_TAIL_DIGITS = 7;

/** Folds a character code: full-width digits and letters to ASCII, ASCII letters to lower case; -1 for a separator. */
function foldCode(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
  if (c >= 48 && c <= 57) return c;
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  // Non-ASCII letters (Han, accented) count; ASCII punctuation, spaces and the ideographic space do not.
  return c >= 128 && c !== 0x3000 && c !== 0x00a0 ? c : -1;
}

/** FNV-1a step. */
const step = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

/** murmur3's finalizer: FNV's low bits are weak, and the order compares whole 32-bit numbers. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The value's place in the fingerprint order: an unsigned 32-bit hash of its loose canonical form (see the module comment). */
export function fingerprintOrder(value: string): number {
  let digits = 0;
  let other = false;
  for (let i = 0; i < value.length; i++) {
    const c = foldCode(value.charCodeAt(i));
    if (c < 0) continue;
    if (c >= 48 && c <= 57) digits++;
    else {
      other = true;
      break;
    }
  }
  let h = 0x811c9dc5;
  if (!other && digits >= MIN_TAIL_DIGITS) {
    for (let i = value.length - 1, taken = 0; i >= 0 && taken < TAIL_DIGITS; i--) {
      const c = foldCode(value.charCodeAt(i));
      if (c >= 48 && c <= 57) {
        h = step(h, c);
        taken++;
      }
    }
    return finish(h);
  }
  for (let i = 0; i < value.length; i++) {
    const c = foldCode(value.charCodeAt(i));
    if (c >= 0) h = step(h, c);
  }
  return finish(h);
}

/**
 * The `size` distinct values that come first in the fingerprint order, over every value offered
 * (a bottom-k sketch's candidates). Offering a value costs one hash and, once full, one comparison;
 * an insertion (rare after the first values: about size·ln(n/size) of n) is a binary search.
 */
export class FingerprintCandidates {
  private readonly ranks: number[] = [];
  private readonly values: string[] = [];
  /** Bumped on every change, so fingerprints of unchanged candidates are not recomputed. */
  version = 0;

  constructor(private readonly size: number) {}

  offer(value: string): void {
    const rank = fingerprintOrder(value);
    const n = this.ranks.length;
    if (n >= this.size && rank >= this.ranks[n - 1]) return;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranks[mid] < rank) lo = mid + 1;
      else hi = mid;
    }
    // The same value again (CDC updates of one row, a repeated value) takes one place.
    for (let i = lo; i < n && this.ranks[i] === rank; i++) if (this.values[i] === value) return;
    this.version++;
    this.ranks.splice(lo, 0, rank);
    this.values.splice(lo, 0, value);
    if (this.ranks.length > this.size) {
      this.ranks.pop();
      this.values.pop();
    }
  }

  /** The candidates, first in the order first. */
  inOrder(): readonly string[] {
    return this.values;
  }

  /** Offers every candidate of `other` (two names of one column after a rename). */
  absorb(other: FingerprintCandidates): void {
    for (const v of other.values) this.offer(v);
  }

  clear(): void {
    this.version++;
    this.ranks.length = 0;
    this.values.length = 0;
  }
}
