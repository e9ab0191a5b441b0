import type { ValueShape } from './types.js';

/** One pass over the value; recognizers' prefilters read these counts instead of running regexes. */
export function computeShape(value: string): ValueShape {
  let digits = 0, letters = 0, han = 0, spaces = 0, dashes = 0, dots = 0;
  let colons = 0, commas = 0, at = 0, plus = 0, slashes = 0, fullwidth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c === 32) spaces++;
    else if (c === 45) dashes++;
    else if (c === 46) dots++;
    else if (c === 58) colons++;
    else if (c === 44) commas++;
    else if (c === 64) at++;
    else if (c === 43) plus++;
    else if (c === 47) slashes++;
    else if (c >= 0xff01 && c <= 0xff5e) fullwidth++;
  }
  return { length: value.length, digits, letters, han, spaces, dashes, dots, colons, commas, at, plus, slashes, fullwidth };
}

/** Digits of a value with spaces and dashes removed; `null` if anything else is left. */
export function compactDigits(value: string): string | null {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) out += value[i];
    else if (c !== 32 && c !== 45) return null;
  }
  return out;
}
