import { describe, expect, it } from 'vitest';
import { parseQuantityNanos, quantitiesEqual } from './quantity.js';

describe('quantitiesEqual', () => {
  it.each<[string | number, string, boolean, string]>([
    ['1000m', '1', true, 'milli-cores are thousandths'],
    ['0.5', '500m', true, 'the server rewrites decimals in milli form'],
    [2, '2000m', true, 'YAML numbers are quantities too'],
    ['1Gi', '1024Mi', true, 'binary suffixes'],
    ['1G', '1000M', true, 'decimal suffixes'],
    ['1e3', '1k', true, 'exponent notation'],
    ['128Mi', '128M', false, 'Mi is 2^20, M is 10^6'],
    ['100m', '200m', false, 'a real change'],
  ])('%s vs %s → %s (%s)', (a, b, expected) => {
    expect(quantitiesEqual(a, b)).toBe(expected);
  });

  it.each([
    ['abc', 'not a quantity'],
    ['1.5.5', 'two decimal points'],
    ['1Zi', 'unknown suffix'],
    ['1n5', 'suffix in the middle'],
  ])('%s is not a quantity (%s)', (text) => {
    expect(parseQuantityNanos(text)).toBeUndefined();
    expect(quantitiesEqual(text, '1')).toBeUndefined();
  });

  it('computes exact nano values', () => {
    expect(parseQuantityNanos('1.5Gi')).toBe(1_610_612_736_000_000_000n);
    expect(parseQuantityNanos('-250m')).toBe(-250_000_000n);
  });
});
