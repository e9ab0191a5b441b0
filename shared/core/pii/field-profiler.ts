/**
 * One field profiler for every source: values arrive per field path (a column, a topic field, an
 * object field), a bounded and stratified sample is kept per field, and each field is then turned
 * into verdicts, counts and keyed fingerprints. Raw values live only inside the profiler, in memory,
 * until `profile` has run; callers get masked examples and fingerprints, never a value.
 */
import { classifyField, classifyValue, type ClassifyOptions, type FieldVerdict } from './classify.js';
import { normalizeForFingerprint } from './normalize.js';

/** How a field's sample was drawn and what it held. */
export interface FieldCounts {
  /** Values offered for the field (before the bound), nulls included. */
  seen: number;
  /** Values kept and classified. */
  sampled: number;
  nulls: number;
  /** Distinct strata (partitions, objects, tables) the field was seen in. */
  strata: number;
}

export interface FieldProfile {
  path: string;
  verdicts: FieldVerdict[];
  counts: FieldCounts;
  /** Keyed fingerprints of values that are themselves a reported entity (value lineage), at most `maxFingerprints`. */
  fingerprints: string[];
}

export interface FieldProfilerOptions {
  /** Values kept per field (default 1000). */
  maxValuesPerField?: number;
  /** Distinct fields kept; later ones are counted in `fieldsDropped` (default 500). */
  maxFields?: number;
  /** Fingerprints kept per field (default 50). */
  maxFingerprints?: number;
  /** The source's region: national phone numbers are read in its country. */
  region?: string;
  /** Table, topic or prefix the fields live in (cancels general hints such as `name` in `pms_brand`). */
  container?: string;
  /** The field-name hint of a path (default: its last segment, `after.user.mobile` → `mobile`). */
  fieldNameOf?: (path: string) => string;
}

interface FieldSample {
  /** Kept values per stratum, in arrival order; the largest stratum gives way first when the bound is hit. */
  byStratum: Map<string, (string | null)[]>;
  kept: number;
  counts: FieldCounts;
}

/** `after.address.city` → `city`; `items[].email` → `email`; `$key` → `key`. */
export function leafName(path: string): string {
  const seg = path.split('.').pop() ?? path;
  return seg.replace(/(\[\])+$/g, '').replace(/^\$/, '');
}

export class FieldProfiler {
  fieldsDropped = 0;
  private readonly fields = new Map<string, FieldSample>();
  private readonly maxValues: number;
  private readonly maxFields: number;

  constructor(private readonly options: FieldProfilerOptions = {}) {
    this.maxValues = options.maxValuesPerField ?? 1000;
    this.maxFields = options.maxFields ?? 500;
  }

  /**
   * Offers one value of `path`. `stratum` names where it came from (a partition, an object): the
   * sample keeps every stratum represented by evicting from the largest one once the field is full,
   * so a field's first object or partition cannot fill the whole sample.
   */
  add(path: string, value: string | null, stratum = ''): void {
    let f = this.fields.get(path);
    if (!f) {
      if (this.fields.size >= this.maxFields) {
        this.fieldsDropped++;
        return;
      }
      this.fields.set(path, (f = { byStratum: new Map(), kept: 0, counts: { seen: 0, sampled: 0, nulls: 0, strata: 0 } }));
    }
    f.counts.seen++;
    if (value === null) f.counts.nulls++;
    let list = f.byStratum.get(stratum);
    if (!list) {
      f.byStratum.set(stratum, (list = []));
      f.counts.strata++;
    }
    if (f.kept < this.maxValues) {
      list.push(value);
      f.kept++;
      return;
    }
    // Full: make room in the largest stratum (deterministically, its oldest value) when this one is smaller.
    let largest: (string | null)[] | undefined;
    for (const l of f.byStratum.values()) if (!largest || l.length > largest.length) largest = l;
    if (largest && largest !== list && largest.length > list.length + 1) {
      largest.shift();
      list.push(value);
    }
  }

  get fieldCount(): number {
    return this.fields.size;
  }

  paths(): string[] {
    return [...this.fields.keys()].sort((a, b) => a.localeCompare(b));
  }

  /**
   * Classifies every field (sorted by path) and forgets the raw values. `fingerprint` is the keyed
   * hash (HMAC with the workspace key, computed by Node code); it receives normalized values only.
   */
  profile(fingerprint: (normalized: string) => string, classify: Omit<ClassifyOptions, 'fieldName'> = {}): FieldProfile[] {
    const out: FieldProfile[] = [];
    for (const path of this.paths()) {
      const f = this.fields.get(path)!;
      const values = [...f.byStratum.values()].flat();
      const fieldName = (this.options.fieldNameOf ?? leafName)(path);
      const options: ClassifyOptions = { region: this.options.region, container: this.options.container, ...classify, fieldName };
      const verdicts = classifyField(values, options);
      out.push({ path, verdicts, counts: { ...f.counts, sampled: values.length }, fingerprints: fingerprintsOf(values, verdicts, options, fingerprint, this.options.maxFingerprints ?? 50) });
    }
    this.fields.clear();
    return out;
  }
}

/** Keyed fingerprints of the values that are themselves a reported entity: lineage matches the same value across stores without keeping it. */
export function fingerprintsOf(values: readonly (string | null | undefined)[], verdicts: readonly FieldVerdict[], options: ClassifyOptions, fingerprint: (normalized: string) => string, max = 50): string[] {
  const reported = new Set(verdicts.map((v) => v.entity));
  const out = new Set<string>();
  if (reported.size === 0) return [];
  for (const raw of values) {
    if (out.size >= max) break;
    if (raw === null || raw === undefined) continue;
    const hit = classifyValue(raw, options).find((m) => reported.has(m.entity));
    if (hit) out.add(fingerprint(normalizeForFingerprint(hit.entity, raw)));
  }
  return [...out];
}
