/**
 * Marks which lines of two texts differ (longest common subsequence), for the side-by-side
 * desired/live view. Inputs are pretty-printed JSON values at one drift path: small.
 */
export function diffLines(left: string[], right: string[]): { leftChanged: boolean[]; rightChanged: boolean[] } {
  const n = left.length;
  const m = right.length;
  // Past this size the table gets big; mark everything changed rather than freeze the page.
  if (n * m > 250_000) return { leftChanged: left.map(() => true), rightChanged: right.map(() => true) };
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = left[i] === right[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const leftChanged = left.map(() => true);
  const rightChanged = right.map(() => true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (left[i] === right[j]) {
      leftChanged[i++] = false;
      rightChanged[j++] = false;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return { leftChanged, rightChanged };
}

/** Pretty JSON for display; `undefined` (absent on one side) is shown by the caller. */
export const prettyJson = (value: unknown): string[] => (value === undefined ? [] : JSON.stringify(value, null, 2).split('\n'));
