/**
 * Building blocks for maskers. Each recognizer masks its own entity (its `mask`); these keep the
 * conventions shared: `****` for hidden parts, and never more than a few characters of a value.
 */

export const STARS = '****';

/** Keeps `head` characters at the start and `tail` at the end, hiding the rest. */
export function keepEnds(text: string, head: number, tail: number, fill = '*'): string {
  if (text.length <= head + tail) return fill.repeat(Math.max(text.length, 1));
  return text.slice(0, head) + fill.repeat(text.length - head - tail) + text.slice(text.length - tail);
}

/** The mask of an entity without a masker of its own (rule packs): first and last two characters of long values. */
export function maskGeneric(value: string): string {
  return value.length >= 8 ? keepEnds(value, 1, 2) : '*'.repeat(value.length);
}
