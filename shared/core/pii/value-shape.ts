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

/**
 * computeShape into an existing object: the hot path classifies millions of values and reuses one
 * shape per call instead of allocating one per value (allocation showed as a tenth of the time, in GC).
 */
export function computeShapeInto(value: string, out: ValueShape): ValueShape {
  let digits = 0, letters = 0, han = 0, spaces = 0, dashes = 0, dots = 0;
  let colons = 0, commas = 0, at = 0, plus = 0, slashes = 0, fullwidth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) {
      switch (ASCII_CLASS[c]) {
        case Cls.Digit: digits++; break;
        case Cls.Letter: letters++; break;
        case Cls.Space: spaces++; break;
        case Cls.Dash: dashes++; break;
        case Cls.Dot: dots++; break;
        case Cls.Colon: colons++; break;
        case Cls.Comma: commas++; break;
        case Cls.At: at++; break;
        case Cls.Plus: plus++; break;
        case Cls.Slash: slashes++; break;
      }
    } else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 0xff01 && c <= 0xff5e) fullwidth++;
  }
  out.length = value.length; out.digits = digits; out.letters = letters; out.han = han; out.spaces = spaces; out.dashes = dashes;
  out.dots = dots; out.colons = colons; out.commas = commas; out.at = at; out.plus = plus; out.slashes = slashes; out.fullwidth = fullwidth;
  return out;
}

/** One pass over the value; recognizers' prefilters read these counts instead of running regexes. */
export function computeShape(value: string): ValueShape {
  let digits = 0, letters = 0, han = 0, spaces = 0, dashes = 0, dots = 0;
  let colons = 0, commas = 0, at = 0, plus = 0, slashes = 0, fullwidth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) {
      switch (ASCII_CLASS[c]) {
        case Cls.Digit: digits++; break;
        case Cls.Letter: letters++; break;
        case Cls.Space: spaces++; break;
        case Cls.Dash: dashes++; break;
        case Cls.Dot: dots++; break;
        case Cls.Colon: colons++; break;
        case Cls.Comma: commas++; break;
        case Cls.At: at++; break;
        case Cls.Plus: plus++; break;
        case Cls.Slash: slashes++; break;
      }
    } else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 0xff01 && c <= 0xff5e) fullwidth++;
  }
  return { length: value.length, digits, letters, han, spaces, dashes, dots, colons, commas, at, plus, slashes, fullwidth };
}
