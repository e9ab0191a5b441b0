/**
 * How deep input nests, measured without recursion — so a hostile input (a JSON dump nested 100 000
 * levels, a bundle row of brackets) cannot overflow the stack of the code that measures it, and is
 * refused as one bad item before the recursive code after it (canonicalization, JSON.stringify,
 * patches) ever sees it.
 */

/** Nesting any Kubernetes object, config value or stored row may have; real objects (CRD schemas included) stay far below. */
export const MAX_NESTING = 128;

/** Depth of a parsed value (a scalar is 0, `{}` and `[]` are 1), counting at most `limit + 1`. */
export function valueDepth(value: unknown, limit = MAX_NESTING): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push({ v: child, d: depth });
  }
  return max;
}

/** Bracket depth of JSON text (strings skipped), counting at most `limit + 1`: checked before JSON.parse. */
export function jsonTextDepth(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
