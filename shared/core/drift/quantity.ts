/**
 * Kubernetes resource quantities ("100m", "0.1", "1Gi", "1e3", 2) compared by value, because the
 * API server rewrites them into its canonical form ("0.1" becomes "100m", "1000m" becomes "1").
 * Format: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const NANO_EXPONENT = 9;

// Suffix → multiplier as [base, exponent]: the value is mantissa × base^exponent.
const SUFFIXES: Record<string, [bigint, number]> = {
  n: [10n, -9], u: [10n, -6], m: [10n, -3], '': [10n, 0],
  k: [10n, 3], M: [10n, 6], G: [10n, 9], T: [10n, 12], P: [10n, 15], E: [10n, 18],
  Ki: [2n, 10], Mi: [2n, 20], Gi: [2n, 30], Ti: [2n, 40], Pi: [2n, 50], Ei: [2n, 60],
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/**
 * The value of a quantity in nano-units (10^-9), exactly, or undefined when the text is not a
 * quantity or is finer than a nano-unit (then callers fall back to comparing the text).
 */
export function parseQuantityNanos(quantity: string | number): bigint | undefined {
  const text = typeof quantity === 'number' ? (Number.isFinite(quantity) ? String(quantity) : '') : quantity.trim();
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, exponentPart, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  let decimalExponent = NANO_EXPONENT - fraction.length;
  let binaryExponent = 0;
  if (exponentPart) decimalExponent += Number(exponentPart.slice(1));
  else {
    const [base, exponent] = SUFFIXES[suffix];
    if (base === 2n) binaryExponent = exponent;
    else decimalExponent += exponent;
  }
  let value = BigInt((whole || '0') + fraction) * 2n ** BigInt(binaryExponent);
  if (decimalExponent >= 0) value *= 10n ** BigInt(decimalExponent);
  else {
    const divisor = 10n ** BigInt(-decimalExponent);
    if (value % divisor !== 0n) return undefined;
    value /= divisor;
  }
  return sign === '-' ? -value : value;
}

/** True/false when both sides are quantities; undefined when either is not, so the caller compares them as plain values. */
export function quantitiesEqual(a: unknown, b: unknown): boolean | undefined {
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number')) return undefined;
  const left = parseQuantityNanos(a);
  const right = parseQuantityNanos(b);
  if (left === undefined || right === undefined) return undefined;
  return left === right;
}
