/**
 * One field profiler for every source: values arrive per field path (a column, a topic field, an
 * object field) and each field is turned into verdicts, counts and keyed fingerprints. Two things
 * are kept per field, separately:
 * - counts over every value offered (seen, nulls, strata), and the fingerprint candidates: the
 *   values first in one fixed hash order (fingerprint-order.ts), so two stores holding the same
 *   people fingerprint the same people;
 * - a bounded sample for classification (a few thousand values), uniform over the stream within
 *   each stratum (partition, object, snapshot vs binlog) and balanced across strata.
 * Raw values live only inside the profiler, in memory; callers get masked examples and
 * fingerprints, never a value.
 */
import { classifyValue, evaluateValue, fieldContext, FieldTally, type ClassifyOptions, type FieldContext, type FieldVerdict, type ValueEvaluation } from './classify.js';
import { MAX_VALUE_LENGTH } from './compile.js';
import { FingerprintCandidates } from './fingerprint-order.js';
import { normalizeForFingerprint } from './normalize.js';
import { seededRandom } from '../model/seeded-random.js';

/** Values kept for classification per field unless a source says otherwise: enough for a prevalence, bounded work. */
export const DEFAULT_MAX_VALUES_PER_FIELD = 2000;
/** Fingerprints kept per field (the bottom-k sketch's k). */
export const DEFAULT_MAX_FINGERPRINTS = 50;
/** Candidates per fingerprint kept: a field where a quarter of the values are the entity still yields a full sketch. */
const CANDIDATES_PER_FINGERPRINT = 4;

/**
 * A non-blank value of at most MAX_VALUE_LENGTH characters whose text is not made yet (FieldSample.addPending):
 * its fingerprint rank (fingerprintOrder of its text) and its text, each computed at most once.
 */
export interface PendingValue {
  rank(): number;
  text(): string;
}

/** How a field's sample was drawn and what it held. */
export interface FieldCounts {
  /** Values offered for the field, nulls and blanks included: every value is counted. */
  seen: number;
  /** Non-blank values kept and classified (the bounded sample). */
  sampled: number;
  nulls: number;
  /** Distinct strata (partitions, objects, tables) the field was seen in. */
  strata: number;
}

export interface FieldProfile {
  path: string;
  verdicts: FieldVerdict[];
  counts: FieldCounts;
  /**
   * Keyed fingerprints of values that are themselves a reported entity (value lineage), at most
   * `maxFingerprints`: those of the candidates first in the fingerprint order, so the same values
   * are chosen in every store.
   */
  fingerprints: string[];
}

export interface FieldProfilerOptions {
  /** Values kept for classification per field (default DEFAULT_MAX_VALUES_PER_FIELD); every value is still counted. */
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


/** A string's FNV-1a hash: each field draws from its own generator, whatever other fields do. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** One stratum's part of the sample: a reservoir (algorithm R) that holds a uniform sample of the stratum's values. */
interface Stratum {
  values: string[];
  /** Evaluations of `values` (same index), filled lazily; undefined until evaluated. */
  evaluations: (ValueEvaluation | undefined)[];
  /** Non-blank values the stratum offered. */
  offered: number;
  /** The reservoir's size once the field's bound made it give way; Infinity while it keeps every value. */
  capacity: number;
}

/**
 * One field's sample, counts and fingerprint candidates. Sources normally use it through
 * FieldProfiler; a source that re-reads a field's verdicts while it keeps streaming (MySQL CDC)
 * holds one per column.
 */
export class FieldSample {
  readonly counts: FieldCounts = { seen: 0, sampled: 0, nulls: 0, strata: 0 };
  private readonly strata = new Map<string, Stratum>();
  private lastStratumName: string | undefined;
  private lastStratum: Stratum | undefined;
  private kept = 0;
  private readonly random: () => number;
  private readonly candidates: FingerprintCandidates;
  /**
   * True while the sample still holds every non-blank value offered (nothing dropped or replaced):
   * the candidates are then drawn from the sample when fingerprints are asked for, and only for a
   * field with a verdict, instead of hashing every value as it arrives. The first value the sample
   * cannot keep hands every kept value to the candidates, which from then on see each value.
   */
  private complete = true;
  /** The context the cached evaluations were made in (the same compiled set, signals and country). */
  private evaluatedIn: FieldContext | undefined;
  /** Bumped whenever the kept sample changes: verdicts asked again of an unchanged sample are not recomputed. */
  private version = 0;
  private cachedVerdicts: { version: number; ctx: FieldContext; verdicts: FieldVerdict[] } | undefined;
  private cachedFingerprints: { version: number; entities: string; fingerprints: string[] } | undefined;

  constructor(
    name: string,
    private readonly maxValues = DEFAULT_MAX_VALUES_PER_FIELD,
    readonly maxFingerprints = DEFAULT_MAX_FINGERPRINTS,
  ) {
    this.random = seededRandom(seedOf(name));
    this.candidates = new FingerprintCandidates(maxFingerprints * CANDIDATES_PER_FINGERPRINT);
  }

  /**
   * Offers one value. Every value is counted; a non-blank one enters its stratum's reservoir with
   * the probability that keeps the reservoir uniform over the stratum's stream, and the
   * fingerprint candidates if it is among the first in the fingerprint order.
   */
  add(value: string | null, stratum = ''): void {
    const s = this.stratumOf(stratum);
    if (value === null) {
      this.counts.nulls++;
      return;
    }
    // Cheap blank test first: most values start with a non-space.
    if (value.length === 0 || (value.charCodeAt(0) <= 32 && value.trim().length === 0)) return;
    if (!this.complete && value.length <= MAX_VALUE_LENGTH) this.candidates.offer(value);
    this.offerToReservoir(s, value, undefined);
  }

  /**
   * Offers one value that has no text yet (a binlog row image's bytes), exactly as `add` would offer
   * its text: the text is made only if the sample or the fingerprint candidates keep the value —
   * which, once a long stream has filled the sample, is rare.
   */
  addPending(value: PendingValue, stratum = ''): void {
    const s = this.stratumOf(stratum);
    if (!this.complete && this.candidates.admits(value.rank())) this.candidates.offer(value.text(), value.rank());
    this.offerToReservoir(s, undefined, value);
  }

  /** Counts a value offered to `stratum` and returns the stratum (made on its first value). */
  private stratumOf(stratum: string): Stratum {
    this.counts.seen++;
    // A stream offers most values to the stratum of the value before (one partition, the binlog).
    if (stratum === this.lastStratumName && this.lastStratum !== undefined) return this.lastStratum;
    let s = this.strata.get(stratum);
    if (!s) {
      this.strata.set(stratum, (s = { values: [], evaluations: [], offered: 0, capacity: Infinity }));
      this.counts.strata++;
    }
    this.lastStratumName = stratum;
    this.lastStratum = s;
    return s;
  }

  /** Algorithm R for one non-blank value, given as text or as a pending value (whose text is made only if kept). */
  private offerToReservoir(s: Stratum, text: string | undefined, pending: PendingValue | undefined): void {
    s.offered++;
    if (s.values.length < s.capacity) {
      this.version++;
      s.values.push(text ?? pending!.text());
      s.evaluations.push(undefined);
      if (++this.kept > this.maxValues) this.giveWay();
      return;
    }
    // The n-th value replaces a kept one with probability capacity / n.
    if (this.complete) this.becomeIncomplete(text ?? pending!.text());
    const j = Math.floor(this.random() * s.offered);
    if (j < s.capacity) {
      this.version++;
      s.values[j] = text ?? pending!.text();
      s.evaluations[j] = undefined;
    }
  }

  /**
   * Offers a value for the fingerprint candidates only: counted, never kept for classification (a
   * Kafka message past the classification sample still gives its identifying values to the sketch).
   */
  addCandidate(value: string | null): void {
    this.counts.seen++;
    if (value === null) {
      this.counts.nulls++;
      return;
    }
    if (value.length === 0 || value.length > MAX_VALUE_LENGTH) return;
    if (this.complete) this.becomeIncomplete();
    this.candidates.offer(value);
  }

  /**
   * Over the bound: the largest stratum drops one of its values at random (still a uniform sample of
   * its stream) and keeps that size from now on, so every stratum stays represented.
   */
  private giveWay(): void {
    if (this.complete) this.becomeIncomplete();
    let largest: Stratum | undefined;
    for (const s of this.strata.values()) if (!largest || s.values.length > largest.values.length) largest = s;
    if (!largest || largest.values.length === 0) return;
    const i = Math.floor(this.random() * largest.values.length);
    const last = largest.values.length - 1;
    largest.values[i] = largest.values[last];
    largest.evaluations[i] = largest.evaluations[last];
    largest.values.pop();
    largest.evaluations.pop();
    largest.capacity = largest.values.length;
    this.kept--;
    this.version++;
  }

  /** The sample is about to lose a value: every value it holds (and `arriving`, not kept) becomes a candidate now. */
  private becomeIncomplete(arriving?: string): void {
    this.complete = false;
    for (const s of this.strata.values()) for (const v of s.values) if (v.length <= MAX_VALUE_LENGTH) this.candidates.offer(v);
    if (arriving !== undefined && arriving.length <= MAX_VALUE_LENGTH) this.candidates.offer(arriving);
  }

  /** The candidates in the fingerprint order: drawn from the sample while it holds every value. */
  private candidatesInOrder(): readonly string[] {
    if (!this.complete) return this.candidates.inOrder();
    const all = new FingerprintCandidates(this.maxFingerprints * CANDIDATES_PER_FINGERPRINT);
    for (const s of this.strata.values()) for (const v of s.values) if (v.length <= MAX_VALUE_LENGTH) all.offer(v);
    return all.inOrder();
  }

  /** Values kept for classification now. */
  get sampled(): number {
    return this.kept;
  }

  /**
   * Verdicts over the kept sample. Evaluations are kept per value and per distinct value, so asking
   * again after more values arrived (a live stream) only classifies the values that are new.
   */
  verdicts(options: ClassifyOptions): FieldVerdict[] {
    const ctx = fieldContext(options);
    const prev = this.evaluatedIn;
    const same = prev !== undefined && prev.set === ctx.set && prev.signals === ctx.signals && prev.country === ctx.country && prev.options.thresholds === ctx.options.thresholds;
    if (same && this.cachedVerdicts?.version === this.version) return this.cachedVerdicts.verdicts;
    if (!same) for (const s of this.strata.values()) s.evaluations.fill(undefined);
    this.evaluatedIn = ctx;
    const tally = new FieldTally(ctx);
    const distinct = new Map<string, ValueEvaluation | undefined>();
    for (const s of this.strata.values()) {
      for (let i = 0; i < s.values.length; i++) {
        const value = s.values[i];
        let ev = s.evaluations[i];
        if (ev === undefined) {
          // Kept values are never blank, so every evaluation is defined: one lookup decides.
          ev = distinct.get(value);
          if (ev === undefined) {
            ev = evaluateValue(ctx, value);
            if (distinct.size < this.maxValues) distinct.set(value, ev);
          }
          s.evaluations[i] = ev;
        }
        tally.add(ev, value);
      }
    }
    const verdicts = tally.verdicts();
    this.cachedVerdicts = { version: this.version, ctx, verdicts };
    return verdicts;
  }

  /**
   * Keyed fingerprints of the candidates that are a reported entity, first in the fingerprint
   * order first, at most `maxFingerprints` distinct ones. `fingerprint` is the keyed hash (HMAC with
   * the workspace key, computed by Node code); it receives normalized values only.
   */
  fingerprints(verdicts: readonly FieldVerdict[], options: ClassifyOptions, fingerprint: (normalized: string) => string): string[] {
    if (verdicts.length === 0) return [];
    const entities = verdicts.map((v) => v.entity).sort().join(',');
    // While complete, the candidates follow the sample (its version); afterwards their own.
    const version = this.complete ? this.version : -1 - this.candidates.version;
    const c = this.cachedFingerprints;
    if (c && c.version === version && c.entities === entities) return c.fingerprints;
    const fingerprints = fingerprintsOf(this.candidatesInOrder(), verdicts, options, fingerprint, this.maxFingerprints);
    this.cachedFingerprints = { version, entities, fingerprints };
    return fingerprints;
  }

  /** The whole profile of the field (non-destructive). */
  profile(path: string, fingerprint: (normalized: string) => string, options: ClassifyOptions): FieldProfile {
    const verdicts = this.verdicts(options);
    return { path, verdicts, counts: { ...this.counts, sampled: this.kept }, fingerprints: this.fingerprints(verdicts, options, fingerprint) };
  }

  /**
   * Takes in what another sample of the same field learnt (two names of one column after a rename):
   * counts add up and its kept values join the strata of the same name. A rename is rare; the
   * merged reservoir weighs the other sample's stream by what it kept, not by all it saw.
   */
  absorb(other: FieldSample): void {
    const { seen, nulls } = this.counts;
    for (const [name, s] of other.strata) {
      for (const v of s.values) this.add(v, name);
    }
    if (!other.complete) {
      if (this.complete) this.becomeIncomplete();
      this.candidates.absorb(other.candidates);
    }
    this.counts.seen = seen + other.counts.seen;
    this.counts.nulls = nulls + other.counts.nulls;
    this.version++;
  }

  /** Values kept now from one stratum. */
  keptIn(stratum: string): number {
    return this.strata.get(stratum)?.values.length ?? 0;
  }

  /** Forgets every raw value (after profiling). */
  clear(): void {
    this.strata.clear();
    this.lastStratum = undefined;
    this.candidates.clear();
    this.complete = true;
    this.kept = 0;
    this.version++;
    this.cachedVerdicts = undefined;
    this.cachedFingerprints = undefined;
  }
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
    this.maxValues = options.maxValuesPerField ?? DEFAULT_MAX_VALUES_PER_FIELD;
    this.maxFields = options.maxFields ?? 500;
  }

  /**
   * Offers one value of `path`. `stratum` names where it came from (a partition, an object): each
   * stratum keeps a uniform sample of its own values and the largest gives way when the field's
   * bound is reached, so a field's first object or partition cannot fill the whole sample.
   */
  add(path: string, value: string | null, stratum = ''): void {
    let f = this.fields.get(path);
    if (!f) {
      if (this.fields.size >= this.maxFields) {
        this.fieldsDropped++;
        return;
      }
      this.fields.set(path, (f = new FieldSample(path, this.maxValues, this.options.maxFingerprints)));
    }
    f.add(value, stratum);
  }

  /** Offers a value of a field already seen for its fingerprint candidates only (FieldSample.addCandidate); unknown fields are ignored. */
  addCandidate(path: string, value: string | null): void {
    this.fields.get(path)?.addCandidate(value);
  }

  /** Verdicts of one field over what its sample holds now (a source deciding mid-stream); undefined for a field not seen. */
  verdictsOf(path: string, classify: Omit<ClassifyOptions, 'fieldName'> = {}): FieldVerdict[] | undefined {
    const f = this.fields.get(path);
    const fieldName = (this.options.fieldNameOf ?? leafName)(path);
    return f?.verdicts({ region: this.options.region, container: this.options.container, ...classify, fieldName });
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
      const fieldName = (this.options.fieldNameOf ?? leafName)(path);
      const options: ClassifyOptions = { region: this.options.region, container: this.options.container, ...classify, fieldName };
      out.push(f.profile(path, fingerprint, options));
      f.clear();
    }
    this.fields.clear();
    return out;
  }
}

/**
 * Keyed fingerprints of the values that are themselves a reported entity, in the order given (for a
 * profile: the fingerprint order), at most `max` distinct: lineage matches the same value across
 * stores without keeping it.
 */
export function fingerprintsOf(values: readonly (string | null | undefined)[], verdicts: readonly FieldVerdict[], options: ClassifyOptions, fingerprint: (normalized: string) => string, max = DEFAULT_MAX_FINGERPRINTS): string[] {
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
