/** A run of consecutive offsets to read from one partition. */
export interface SampleWindow {
  partition: number;
  start: bigint;
  count: number;
}

const MAX_WINDOWS_PER_PARTITION = 10;

/**
 * Spreads `n` samples over the non-empty partitions (evenly, leftovers to the first ones) and,
 * inside a partition, over its whole offset range [low, high) in up to 10 evenly spaced windows —
 * so a sample sees old and new messages, not only the head of the log.
 */
export function planSamples(partitions: { partition: number; low: bigint; high: bigint }[], n: number): SampleWindow[] {
  const live = partitions.filter((p) => p.high > p.low).sort((a, b) => a.partition - b.partition);
  const windows: SampleWindow[] = [];
  let remaining = n;
  for (let i = 0; i < live.length && remaining > 0; i++) {
    const p = live[i];
    const size = p.high - p.low;
    const fair = Math.ceil(remaining / (live.length - i));
    const quota = Number(size < BigInt(fair) ? size : BigInt(fair));
    remaining -= quota;
    const k = Math.min(quota, MAX_WINDOWS_PER_PARTITION);
    for (let w = 0; w < k; w++) {
      const count = Math.floor(quota / k) + (w < quota % k ? 1 : 0);
      windows.push({ partition: p.partition, start: p.low + (size * BigInt(w)) / BigInt(k), count });
    }
  }
  return windows;
}
