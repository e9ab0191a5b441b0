/** How many values of an ascending list are ≤ v: the index of the first value greater than v. */
export function upperBound(sorted: ArrayLike<number>, v: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] <= v) low = mid + 1;
    else high = mid;
  }
  return low;
}
