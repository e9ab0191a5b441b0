/**
 * Turns a bucket's object listing into prefix summaries and, per dataset prefix, the objects to
 * sample. Listing is key-by-key (not Delimiter-based) so one pass gives counts and bytes at every
 * level up to prefixDepth; it is bounded by MAX_OBJECTS_LISTED per bucket.
 */
export interface ListedObject {
  key: string;
  size: number;
  lastModified?: Date;
}

export interface PrefixStats {
  count: number;
  bytes: number;
  newest?: Date;
  sampleKeys: string[];
}

/** Keys listed per bucket at most: 1,000 pages of 1,000. Beyond that, the capture says so. */
export const MAX_OBJECTS_LISTED = 1_000_000;
/** Prefix summaries kept per bucket; deeper fan-out (e.g. one prefix per day for years) stops here. */
export const MAX_PREFIXES = 10_000;
const SAMPLE_KEYS = 5;

/**
 * A partition directory, not a dataset: Hive-style `partition=0`, `dt=2024-01-01`, or a
 * date/number path part such as Kafka Connect's TimeBasedPartitioner writes (`2024/01/15`).
 */
export const isPartitionSegment = (seg: string): boolean => /^[^=]+=/.test(seg) || /^\d+([-_]\d+)*$/.test(seg);

/** Directory levels of a key up to `depth`: `a/b/c/x.json`, 2 → [`a`, `a/b`]. */
export function prefixLevels(key: string, depth: number): string[] {
  const dirs = key.split('/').slice(0, -1).filter(Boolean);
  const out: string[] = [];
  for (let i = 1; i <= Math.min(depth, dirs.length); i++) out.push(dirs.slice(0, i).join('/'));
  return out;
}

/**
 * The prefix whose objects share a schema: directories up to the first partition directory,
 * capped at `depth`. `topics/shop.users/partition=0/x.json` → `topics/shop.users`; a key at the
 * bucket's root → '' (its fields belong to the bucket).
 */
export function datasetPrefix(key: string, depth: number): string {
  const dirs = key.split('/').slice(0, -1).filter(Boolean);
  const out: string[] = [];
  for (const d of dirs) {
    if (out.length >= depth || isPartitionSegment(d)) break;
    out.push(d);
  }
  return out.join('/');
}

/** Accumulates one bucket's listing. */
export class BucketIndex {
  objectCount = 0;
  bytes = 0;
  prefixesDropped = 0;
  readonly prefixes = new Map<string, PrefixStats>();
  /** Dataset prefix → the newest objects (most like today's data), at most `perPrefix`. */
  readonly candidates = new Map<string, ListedObject[]>();

  constructor(private readonly depth: number, private readonly perPrefix: number) {}

  add(o: ListedObject): void {
    this.objectCount++;
    this.bytes += o.size;
    for (const p of prefixLevels(o.key, this.depth)) {
      let s = this.prefixes.get(p);
      if (!s) {
        if (this.prefixes.size >= MAX_PREFIXES) {
          this.prefixesDropped++;
          continue;
        }
        this.prefixes.set(p, (s = { count: 0, bytes: 0, sampleKeys: [] }));
      }
      s.count++;
      s.bytes += o.size;
      if (o.lastModified && (!s.newest || o.lastModified > s.newest)) s.newest = o.lastModified;
      if (s.sampleKeys.length < SAMPLE_KEYS) s.sampleKeys.push(o.key);
    }
    // Folder markers and empty objects hold no records.
    if (o.size === 0 || o.key.endsWith('/') || this.perPrefix === 0) return;
    const ds = datasetPrefix(o.key, this.depth);
    if (ds !== '' && !this.prefixes.has(ds)) return;
    let list = this.candidates.get(ds);
    if (!list) this.candidates.set(ds, (list = []));
    list.push(o);
    list.sort(newestFirst);
    if (list.length > this.perPrefix) list.pop();
  }
}

const newestFirst = (a: ListedObject, b: ListedObject): number =>
  (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) || a.key.localeCompare(b.key);

/** One page of a listing and the token for the next. */
export interface ListPage {
  objects: ListedObject[];
  next?: string;
}

/**
 * Pages through a listing (ListObjectsV2 ContinuationToken, or a directory walk) until it ends or
 * `maxObjects` is reached; a token that repeats ends the loop instead of spinning forever.
 */
export async function* paginate(fetchPage: (token: string | undefined) => Promise<ListPage>, maxObjects = MAX_OBJECTS_LISTED): AsyncGenerator<ListedObject[], { truncated: boolean }> {
  let token: string | undefined;
  let listed = 0;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(token);
    const objects = page.objects.slice(0, maxObjects - listed);
    listed += objects.length;
    yield objects;
    if (!page.next) return { truncated: false };
    if (listed >= maxObjects || seen.has(page.next)) return { truncated: true };
    seen.add(page.next);
    token = page.next;
  }
}
