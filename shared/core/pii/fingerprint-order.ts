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
import { canonicalIP } from './ip-notation.js';

/** Digits kept by the order of a digits-and-separators value: a national and an international form of one phone share them. */
const TAIL_DIGITS = 9;
/** The fewest digits an identifying value other than an e-mail or an IP address has. */
const MIN_IDENTIFYING_DIGITS = 7;
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

/** Index room in a cut's sort key (see FingerprintCandidates.cut). */
const INDEX_SPAN = 2 ** 21;

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

/**
 * The value's place in the fingerprint order: an unsigned 32-bit hash of its loose canonical form
 * (see the module comment); -1 for a value that cannot be an identifying entity.
 *
 * Lineage links fields only on values that identify a person or account (e-mails, phones, ID,
 * card, IBAN, passport, SSN numbers, IP addresses — recognizers marked `identifying`): each
 * has an `@`, seven digits or more (the shortest phone subscriber number, a passport), an IPv4's
 * three dots or an IPv6's colons. Names, words, labels, prices and small counters have none of
 * them and are never fingerprint candidates, which spares the hash on most columns.
 */
export function fingerprintOrder(value: string): number {
  let digits = 0;
  let other = false;
  let at = false;
  let colons = 0;
  let dots = 0;
  let spaces = false;
  // One plain pass (this runs on every value a source offers): ASCII digits first, then the marks.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 64) at = true;
    else if (c === 58) colons++;
    else if (c === 46) dots++;
    else if (c === 32) spaces = true;
    else if (c >= 0xff10 && c <= 0xff19) digits++;
    else if (!other && foldCode(c) >= 0) other = true;
  }
  const ipv4 = dots === 3 && digits >= 4;
  const ipv6 = colons >= 2 && !spaces;
  if (!at && digits < MIN_IDENTIFYING_DIGITS && !ipv4 && !ipv6) return -1;
  // An IPv6 address has many notations (leading zeros, `::`, an IPv4-mapped form): rank its one
  // canonical form, so every store picks the same addresses (ipv6Rank never comes back here twice).
  if (ipv6 && !at) return ipv6Rank(value);
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
  return hashFolded(value);
}

/** What fingerprintOrderOfUtf8 answers for a value whose rank needs its text. */
export const RANK_NEEDS_TEXT = -2;

/**
 * fingerprintOrder of a value given as UTF-8 bytes `[start, end)` (a binlog row image), without
 * making its text: the same number as fingerprintOrder of the text the bytes decode to. It answers
 * RANK_NEEDS_TEXT, and the caller ranks the text, where that is simpler than the bytes: a candidate
 * (rank ≥ 0) with characters beyond ASCII (folded full-width forms), an IPv6-looking value (ranked
 * by its canonical text), a 4-byte or invalid UTF-8 sequence. Most values are decided here: an ASCII
 * e-mail, phone or ID number is ranked, and a name in any script is found to be no candidate.
 */
export function fingerprintOrderOfUtf8(bytes: Uint8Array, start: number, end: number): number {
  let digits = 0;
  let other = false;
  let at = false;
  let colons = 0;
  let dots = 0;
  let spaces = false;
  let ascii = true;
  for (let i = start; i < end; i++) {
    let c = bytes[i];
    if (c >= 128) {
      // One character of 2 or 3 bytes (the BMP, as one UTF-16 unit: what charCodeAt gives).
      ascii = false;
      if (c >= 0xc2 && c <= 0xdf && i + 1 < end && (bytes[i + 1] & 0xc0) === 0x80) {
        c = ((c & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
        i += 1;
      } else if (c >= 0xe0 && c <= 0xef && i + 2 < end && (bytes[i + 1] & 0xc0) === 0x80 && (bytes[i + 2] & 0xc0) === 0x80) {
        c = ((c & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
        // Overlong forms and surrogates are invalid UTF-8: the text holds U+FFFD there.
        if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) return RANK_NEEDS_TEXT;
        i += 2;
      } else return RANK_NEEDS_TEXT;
      if (c >= 0xff10 && c <= 0xff19) digits++;
      else if (!other && foldCode(c) >= 0) other = true;
      continue;
    }
    if (c >= 48 && c <= 57) digits++;
    else if (c === 64) at = true;
    else if (c === 58) colons++;
    else if (c === 46) dots++;
    else if (c === 32) spaces = true;
    else if (!other && foldCode(c) >= 0) other = true;
  }
  const ipv4 = dots === 3 && digits >= 4;
  const ipv6 = colons >= 2 && !spaces;
  if (!at && digits < MIN_IDENTIFYING_DIGITS && !ipv4 && !ipv6) return -1;
  if (!ascii || (ipv6 && !at)) return RANK_NEEDS_TEXT;
  let h = 0x811c9dc5;
  if (!other && digits >= MIN_TAIL_DIGITS) {
    for (let i = end - 1, taken = 0; i >= start && taken < TAIL_DIGITS; i--) {
      const c = bytes[i];
      if (c >= 48 && c <= 57) {
        h = step(h, c);
        taken++;
      }
    }
    return finish(h);
  }
  for (let i = start; i < end; i++) {
    const c = foldCode(bytes[i]);
    if (c >= 0) h = step(h, c);
  }
  return finish(h);
}

/** Hex digits, `:` and `.`: the only characters of an IPv6 text form. */
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/** The rank of an IPv6-looking value: that of its canonical form when it is an address (an IPv4-mapped one ranks as its IPv4). */
function ipv6Rank(value: string): number {
  const canonical = value.length <= 45 && IPV6_CHARS.test(value) ? canonicalIP(value) : value;
  if (canonical !== value && canonical.includes(':')) return hashFolded(canonical);
  // An IPv4 (from a mapped address) takes the IPv4 path; a value that is no address is ranked as it is.
  return canonical !== value ? fingerprintOrder(canonical) : hashFolded(value);
}

/** FNV-1a over the folded letters and digits of a value (separators skipped), finished. */
function hashFolded(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const c = foldCode(value.charCodeAt(i));
    if (c >= 0) h = step(h, c);
  }
  return finish(h);
}

/**
 * The `size` distinct values that come first in the fingerprint order, over every value offered
 * (a bottom-k sketch's candidates). Offering a value costs one hash and, once the sketch has a
 * threshold, one comparison; values under it are buffered and the buffer is sorted and cut back to
 * `size` when it doubles, so an insertion costs O(log size) amortized.
 */
export class FingerprintCandidates {
  private ranks: number[] = [];
  private values: string[] = [];
  /** Values ranked at or above this cannot be among the first `size` (Infinity until the first cut). */
  private threshold = Infinity;
  private sorted = true;
  /**
   * A value held (kept or buffered) per rank: a repeat of it (a CDC update of one row, a value many
   * rows share) is dropped on arrival instead of filling the buffer and forcing another sort.
   */
  private held = new Map<number, string>();
  /** Bumped on every change, so fingerprints of unchanged candidates are not recomputed. */
  version = 0;

  constructor(private readonly size: number) {}

  /** Whether a value of this rank would be taken now (a caller can skip making a text that would not). */
  admits(rank: number): boolean {
    return rank >= 0 && rank < this.threshold;
  }

  /** Offers a value; `rank` is its fingerprintOrder when the caller has it already. */
  offer(value: string, rank = fingerprintOrder(value)): void {
    if (rank < 0 || rank >= this.threshold) return;
    const held = this.held.get(rank);
    if (held === value) return;
    if (held === undefined) this.held.set(rank, value);
    this.ranks.push(rank);
    this.values.push(value);
    this.sorted = false;
    this.version++;
    if (this.ranks.length >= Math.min(2 * this.size, INDEX_SPAN - 1)) this.cut();
  }

  /** Sorts by rank, drops repeats (CDC updates of one row, a repeated value take one place) and keeps the first `size`. */
  private cut(): void {
    if (this.sorted) return;
    // One typed sort of rank·2^21 + index (ranks are 32-bit, the buffer holds fewer than 2^21): no comparator calls.
    const keys = new Float64Array(this.ranks.length);
    for (let i = 0; i < keys.length; i++) keys[i] = this.ranks[i] * INDEX_SPAN + i;
    keys.sort();
    const ranks: number[] = [];
    const values: string[] = [];
    for (let k = 0; k < keys.length; k++) {
      const i = keys[k] % INDEX_SPAN;
      const n = ranks.length;
      // Repeats of a value share its rank; equal ranks of different values are rare, so look back a few.
      if (n > 0 && ranks[n - 1] === this.ranks[i] && this.sameRankHolds(ranks, values, this.ranks[i], this.values[i])) continue;
      if (n >= this.size) break;
      ranks.push(this.ranks[i]);
      values.push(this.values[i]);
    }
    if (ranks.length >= this.size) this.threshold = ranks[ranks.length - 1];
    this.ranks = ranks;
    this.values = values;
    this.sorted = true;
    this.held.clear();
    for (let k = 0; k < ranks.length; k++) if (!this.held.has(ranks[k])) this.held.set(ranks[k], values[k]);
  }

  /** Whether `value` is already among the trailing entries of rank `rank`. */
  private sameRankHolds(ranks: number[], values: string[], rank: number, value: string): boolean {
    for (let j = ranks.length - 1; j >= 0 && ranks[j] === rank; j--) if (values[j] === value) return true;
    return false;
  }

  /** The candidates, first in the order first. */
  inOrder(): readonly string[] {
    this.cut();
    return this.values;
  }

  /** Offers every candidate of `other` (two names of one column after a rename). */
  absorb(other: FingerprintCandidates): void {
    for (const v of other.inOrder()) this.offer(v);
  }

  clear(): void {
    this.version++;
    this.ranks = [];
    this.values = [];
    this.threshold = Infinity;
    this.sorted = true;
    this.held.clear();
  }
}
