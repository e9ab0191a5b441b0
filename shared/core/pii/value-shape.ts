import type { ValueShape } from './types.js';

/** ASCII character classes, so the per-character work is one table read and one switch. */
const enum Cls { Other, Digit, Letter, Space, Dash, Dot, Colon, Comma, At, Plus, Slash }
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = Cls.Digit;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = Cls.Letter;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = Cls.Letter;
ASCII_CLASS[32] = Cls.Space;
ASCII_CLASS[45] = Cls.Dash;
ASCII_CLASS[46] = Cls.Dot;
ASCII_CLASS[58] = Cls.Colon;
ASCII_CLASS[44] = Cls.Comma;
ASCII_CLASS[64] = Cls.At;
ASCII_CLASS[43] = Cls.Plus;
ASCII_CLASS[47] = Cls.Slash;

/** An all-zero shape to fill with computeShapeInto. */
export const emptyShape = (): ValueShape => ({ length: 0, digits: 0, letters: 0, han: 0, spaces: 0, dashes: 0, dots: 0, colons: 0, commas: 0, at: 0, plus: 0, slashes: 0, fullwidth: 0 });

/** Per-class counters of one pass (index: Cls), shared: shapes are computed synchronously. */
const COUNTS = new Int32Array(11);

/**
 * computeShape into an existing object: the hot path classifies millions of values and reuses one
 * shape per call instead of allocating one per value (allocation showed as a tenth of the time, in GC).
 * ASCII characters are counted by one table read and one increment (no branch per class).
 */
export function computeShapeInto(value: string, out: ValueShape): ValueShape {
  const counts = COUNTS;
  counts.fill(0);
  let han = 0, fullwidth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) counts[ASCII_CLASS[c]]++;
    else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 0xff01 && c <= 0xff5e) fullwidth++;
  }
  out.length = value.length; out.digits = counts[Cls.Digit]; out.letters = counts[Cls.Letter]; out.han = han;
  out.spaces = counts[Cls.Space]; out.dashes = counts[Cls.Dash]; out.dots = counts[Cls.Dot]; out.colons = counts[Cls.Colon];
  out.commas = counts[Cls.Comma]; out.at = counts[Cls.At]; out.plus = counts[Cls.Plus]; out.slashes = counts[Cls.Slash]; out.fullwidth = fullwidth;
  return out;
}

/** One pass over the value; recognizers' prefilters read these counts instead of running regexes. */
export function computeShape(value: string): ValueShape {
  return computeShapeInto(value, emptyShape());
}
