/**
 * Field classification: a finding is the prevalence of an entity over a sample of a field's values,
 * with a confidence — never a single hit. Also single-value classification for streaming CDC.
 */
import { compileSet, DEFAULT_THRESHOLD, fieldSignals, MAX_VALUE_LENGTH, recognizes, type CompiledSet, type FieldSignal } from './compile.js';
import { maskValue } from './masking.js';
import { countryOfRegion } from './region-country.js';
import { activeRecognizers } from './registry.js';
import type { Recognizer, ValueShape } from './types.js';
import { computeShapeInto, emptyShape } from './value-shape.js';

/** Why a verdict was reached, in data the studio and the report can say in any language. */
export interface VerdictBasis {
  /** `builtin`, or the rule pack file the recognizer came from. */
  recognizer: string;
  /** What the field name said: one of the recognizer's name hints, only a general hint, a context word, or nothing. */
  fieldContext: 'name-hint' | 'weak-hint' | 'context' | 'none';
  /** The field name that was read (a leaf such as `receiver_phone`), when there was one. */
  field?: string;
  /** What every counted value passed: a checksum, a library, a grammar (the recognizer's `validation`). */
  validation?: string;
  /** Country national numbers were read in (from the source's region), when one applied. */
  country?: string;
  /** Of `matches`, the values where the entity was found inside longer text rather than as the whole value. */
  inText: number;
}

export interface FieldVerdict {
  entity: string;
  /** Values that are (or contain, see basis.inText) the entity. */
  matches: number;
  /** Non-empty values looked at. */
  sampled: number;
  /** matches / sampled. */
  prevalence: number;
  confidence: number;
  /** Masked examples, at most 3. */
  examples: string[];
  basis: VerdictBasis;
  /** Raw-value fingerprints are computed by Node code with the workspace key, never here. */
  fingerprints?: never;
}

export interface ClassifyOptions {
  /** Column or field name (`users#id_card`, `payload.user.mobile`): hints lower thresholds and raise confidence. */
  fieldName?: string;
  /**
   * Where the field lives (table, topic, object prefix): its words cancel only general hints, so
   * `name` in `pms_brand` or `ums_member_level` is not read as a person's name.
   */
  container?: string;
  /** The source's region (`cn-north-1`): national phone numbers are read in its country. */
  region?: string;
  /** ISO 3166 country, overriding the region's. */
  country?: string;
  /** Defaults to the built-in recognizers plus the loaded rule packs (activeRecognizers()). */
  recognizers?: Recognizer[];
  /** Per-entity prevalence thresholds, replacing the recognizers' own before name-hint lowering. */
  thresholds?: Partial<Record<string, number>>;
}

export interface ValueMatch {
  entity: string;
  confidence: number;
}

/** A matching field name lowers the prevalence needed: an `id_card` column with 40% valid IDs is still an ID column. */
const HINT_THRESHOLD_FACTOR = 0.6;
const MAX_EXAMPLES = 3;
/** Values masked per entity and field in search of MAX_EXAMPLES distinct examples. */
const MAX_MASK_TRIES = 24;
const MAX_CONFIDENCE = 0.99;
/** Free text is scanned up to this many characters per value: bounded work whatever the value's size. */
export const MAX_TEXT_SCAN = 4096;
/** Candidates checked per recognizer per value, so a text full of digits cannot make one value expensive. */
const MAX_TEXT_CANDIDATES = 16;
/** A text finding needs this many values: one hit in a comment column is a value, not a field (DESIGN: never a single hit). */
const MIN_TEXT_VALUES = 2;
/** Text finds are less sure than whole values: the surrounding words are unknown. */
const TEXT_CONFIDENCE_FACTOR = 0.85;

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Confidence that one value is the entity: the recognizer's base, raised by what the field name says. */
function valueConfidence(base: number, signal: FieldSignal): number {
  let c = base;
  if (signal.hinted) c += (1 - c) * 0.5;
  else if (signal.weak) c += (1 - c) * 0.3;
  else if (signal.context) c += (1 - c) * 0.2;
  return Math.min(c, MAX_CONFIDENCE);
}

/**
 * Confidence of a field verdict: the value confidence scaled by prevalence (a column that is 55% IDs
 * is less surely an ID column than one that is 100%) and by sample size (three values prove less than 300).
 */
function fieldConfidence(base: number, signal: FieldSignal, prevalence: number, sampled: number): number {
  const sampleFactor = 1 - 0.3 / Math.max(sampled, 1);
  return round3(Math.min(valueConfidence(base, signal) * (0.5 + 0.5 * prevalence) * sampleFactor, MAX_CONFIDENCE));
}

/** Per-entity view of a compiled set: strongest base confidence, weakest threshold, any hint. */
interface EntityProfile {
  base: number;
  threshold: number;
  signal: FieldSignal;
  requiresNameHint: boolean;
  /** The recognizer that speaks for the entity in a verdict (the hinted one when several exist). */
  lead: Recognizer;
}

function entityProfiles(set: CompiledSet, signals: FieldSignal[], thresholds?: Partial<Record<string, number>>): EntityProfile[] {
  const profiles = set.entities.map((): EntityProfile => ({ base: 0, threshold: 1, signal: { hinted: false, weak: false, context: false }, requiresNameHint: true, lead: set.items[0].recognizer }));
  const led = new Uint8Array(set.entities.length);
  set.items.forEach((c, i) => {
    const p = profiles[c.entityIndex];
    p.base = Math.max(p.base, c.recognizer.baseConfidence);
    p.threshold = Math.min(p.threshold, c.recognizer.threshold ?? DEFAULT_THRESHOLD);
    p.signal = { hinted: p.signal.hinted || signals[i].hinted, weak: p.signal.weak || signals[i].weak, context: p.signal.context || signals[i].context };
    p.requiresNameHint = p.requiresNameHint && c.recognizer.requiresNameHint === true;
    if (!led[c.entityIndex] || (signals[i].hinted && !profiles[c.entityIndex].signal.hinted)) p.lead = c.recognizer;
    led[c.entityIndex] = 1;
  });
  set.entities.forEach((entity, e) => {
    const override = thresholds?.[entity];
    const p = profiles[e];
    if (override !== undefined) p.threshold = override;
    // Hint-only recognizers are calibrated for hinted fields already; lowering again would double count.
    if (p.signal.hinted && !p.requiresNameHint) p.threshold *= HINT_THRESHOLD_FACTOR;
  });
  return profiles;
}

/** The one shape the synchronous hot path fills per value (see computeShapeInto). */
const SHAPE = emptyShape();
/** The shape of a candidate found inside text (SHAPE still holds the text's own). */
const CANDIDATE_SHAPE = emptyShape();

/**
 * Folds full-width digits/letters (NFKC) so `１３８１２３４５６７８` is read as the mobile it is; fills
 * SHAPE with the folded value's shape and returns the folded value.
 */
function folded(value: string): string {
  computeShapeInto(value, SHAPE);
  if (SHAPE.fullwidth === 0) return value;
  const v = value.normalize('NFKC');
  computeShapeInto(v, SHAPE);
  return v;
}

/** Entities the whole (trimmed) value is, as flags per entity index (in set order). */
function matchWhole(set: CompiledSet, signals: FieldSignal[], value: string, shape: ValueShape, country: string | undefined, out: Uint8Array): boolean {
  out.fill(0);
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH) return false;
  let any = false;
  for (let i = 0; i < set.items.length; i++) {
    const c = set.items[i];
    if (out[c.entityIndex]) continue;
    if (recognizes(c, value, shape, signals[i], country)) {
      out[c.entityIndex] = 1;
      any = true;
    }
  }
  return any;
}

/** Whether a value is worth reading as free text: long, or words with digits or an `@` a whole-value match did not explain. */
function textLike(shape: ValueShape): boolean {
  if (shape.length > MAX_VALUE_LENGTH) return true;
  return shape.length >= 16 && (shape.spaces >= 2 || shape.han >= 6) && (shape.digits >= 7 || shape.at > 0);
}

const NO_SIGNAL: FieldSignal = { hinted: false, weak: false, context: false };

/**
 * Entities found inside free text: each recognizer's `textPattern` proposes candidates in the first
 * MAX_TEXT_SCAN characters and each candidate must pass the recognizer as a whole value would,
 * without any field hint (a `remark` column says nothing about what is written in it).
 */
function matchInText(set: CompiledSet, value: string, shape: ValueShape, country: string | undefined, out: Uint8Array): boolean {
  out.fill(0);
  if (set.textItems.length === 0 || (shape.digits < 7 && shape.at === 0)) return false;
  const text = value.length > MAX_TEXT_SCAN ? value.slice(0, MAX_TEXT_SCAN) : value;
  let any = false;
  for (const i of set.textItems) {
    const c = set.items[i];
    if (out[c.entityIndex]) continue;
    const needsAt = c.textNeedsAt;
    if (needsAt ? shape.at === 0 : shape.digits < 7) continue;
    const pattern = c.text!;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    for (let n = 0; n < MAX_TEXT_CANDIDATES && (m = pattern.exec(text)) !== null; n++) {
      const candidate = m[0].trim();
      if (recognizes(c, candidate, computeShapeInto(candidate, CANDIDATE_SHAPE), NO_SIGNAL, country)) {
        out[c.entityIndex] = 1;
        any = true;
        break;
      }
    }
  }
  return any;
}

/**
 * What one value is, for a field's tally: the entities the whole value is and those found inside it
 * as text (flags per entity index of the compiled set). `null` flags mean none. Values that match
 * nothing share one frozen object, so a sample of plain values costs no allocation per value.
 */
export interface ValueEvaluation {
  whole: Uint8Array | null;
  text: Uint8Array | null;
}

const NOTHING: ValueEvaluation = Object.freeze({ whole: null, text: null });

/** Everything a field's values are classified against: the compiled set, the field's signals, the country. */
export interface FieldContext {
  set: CompiledSet;
  signals: FieldSignal[];
  country: string | undefined;
  options: ClassifyOptions;
}

/** Compiles (memoized) what classifying values of one field needs. */
export function fieldContext(options: ClassifyOptions = {}): FieldContext {
  const set = compileSet(options.recognizers ?? activeRecognizers());
  return { set, signals: fieldSignals(set, options.fieldName, options.container), country: options.country ?? countryOfRegion(options.region), options };
}

const WHOLE = new WeakMap<CompiledSet, Uint8Array>();
const TEXT = new WeakMap<CompiledSet, Uint8Array>();
const scratchOf = (cache: WeakMap<CompiledSet, Uint8Array>, set: CompiledSet): Uint8Array => {
  let s = cache.get(set);
  if (!s) cache.set(set, (s = new Uint8Array(set.entities.length)));
  return s;
};

/** `raw.trim()`, without its scan when both ends are printable ASCII (nearly every value). */
function trimmedOf(raw: string): string {
  const n = raw.length;
  if (n === 0) return raw;
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? raw : raw.trim();
}

/** Whether any of `indices` is set in `flags` (no closure per call: this runs per matching value). */
function anySet(indices: readonly number[], flags: Uint8Array): boolean {
  for (let i = 0; i < indices.length; i++) if (flags[indices[i]]) return true;
  return false;
}

const INTERNED = new WeakMap<CompiledSet, Map<number, ValueEvaluation>>();
/** Sets up to this many entities have their whole-value evaluations shared (a 31-bit mask per combination). */
const MAX_INTERNED_ENTITIES = 31;

/**
 * The evaluation for a combination of whole-value matches, one frozen object per combination and
 * set: a column of 2,000 e-mails then costs no allocation per value (evaluations are never mutated).
 */
function internedWhole(set: CompiledSet, flags: Uint8Array): ValueEvaluation {
  if (flags.length > MAX_INTERNED_ENTITIES) return { whole: flags.slice(), text: null };
  let mask = 0;
  for (let e = 0; e < flags.length; e++) if (flags[e]) mask |= 1 << e;
  let byMask = INTERNED.get(set);
  if (!byMask) INTERNED.set(set, (byMask = new Map()));
  let ev = byMask.get(mask);
  if (!ev) byMask.set(mask, (ev = Object.freeze({ whole: flags.slice(), text: null })));
  return ev;
}

/**
 * Evaluates one value of a field; `undefined` for a blank value (not sampled). The folded value is
 * what examples are masked from (see foldedValue). Synchronous, so scratch buffers are shared.
 */
export function evaluateValue(ctx: FieldContext, raw: string): ValueEvaluation | undefined {
  const trimmed = trimmedOf(raw);
  if (trimmed.length === 0) return undefined;
  const value = folded(trimmed);
  const { set, signals, country } = ctx;
  const whole = scratchOf(WHOLE, set);
  if (matchWhole(set, signals, value, SHAPE, country, whole)) return internedWhole(set, whole);
  if (!textLike(SHAPE)) return NOTHING;
  const text = scratchOf(TEXT, set);
  return matchInText(set, value, SHAPE, country, text) ? { whole: null, text: text.slice() } : NOTHING;
}

/** The trimmed, full-width-folded form of a value that its evaluation was made on (examples are masked from it). */
export function foldedValue(raw: string): string {
  return folded(trimmedOf(raw));
}

/**
 * Adds up evaluations of a field's values into verdicts (classifyField's arithmetic). Values are
 * offered with their evaluation and a way to get their folded form, which is only asked for when
 * an example is still wanted — so raw values need not outlive the caller's sample.
 */
export class FieldTally {
  private readonly n: number;
  private readonly matches: number[];
  private readonly exclusive: number[];
  private readonly inText: number[];
  private readonly examples: string[][];
  private readonly exclusiveExamples: string[][];
  /** Masks computed per entity for `examples` and for `exclusiveExamples` (bounded by MAX_MASK_TRIES). */
  private readonly maskTries: Uint16Array;
  private readonly exclusiveMaskTries: Uint16Array;
  sampled = 0;

  constructor(private readonly ctx: FieldContext) {
    this.n = ctx.set.entities.length;
    this.matches = new Array<number>(this.n).fill(0);
    this.exclusive = new Array<number>(this.n).fill(0);
    this.inText = new Array<number>(this.n).fill(0);
    this.examples = ctx.set.entities.map(() => []);
    this.exclusiveExamples = ctx.set.entities.map(() => []);
    this.maskTries = new Uint16Array(this.n);
    this.exclusiveMaskTries = new Uint16Array(this.n);
  }

  add(ev: ValueEvaluation | undefined, raw: string): void {
    if (ev === undefined) return;
    this.sampled++;
    const { set } = this.ctx;
    const { whole, text } = ev;
    if (whole) {
      let folded: string | undefined;
      for (let e = 0; e < this.n; e++) {
        if (!whole[e]) continue;
        this.matches[e]++;
        const specificToo = anySet(set.specializedBy[e], whole);
        if (!specificToo) this.exclusive[e]++;
        // Masking happens here so no raw value outlives this call; a bounded number of tries per
        // entity, since a column whose values all mask alike (`****`) would otherwise mask every value.
        const wantsExample = this.examples[e].length < MAX_EXAMPLES && this.maskTries[e] < MAX_MASK_TRIES;
        const wantsExclusive = !specificToo && this.exclusiveExamples[e].length < MAX_EXAMPLES && this.exclusiveMaskTries[e] < MAX_MASK_TRIES;
        if (!wantsExample && !wantsExclusive) continue;
        const masked = maskValue(set.entities[e], (folded ??= foldedValue(raw)));
        if (wantsExample) {
          this.maskTries[e]++;
          if (!this.examples[e].includes(masked)) this.examples[e].push(masked);
        }
        if (wantsExclusive) {
          this.exclusiveMaskTries[e]++;
          if (!this.exclusiveExamples[e].includes(masked)) this.exclusiveExamples[e].push(masked);
        }
      }
      return;
    }
    if (!text) return;
    for (let e = 0; e < this.n; e++) {
      if (!text[e] || anySet(set.specializedBy[e], text)) continue;
      this.inText[e]++;
      // A text's example is the entity's kind, never a piece of the text around it.
      if (this.examples[e].length < MAX_EXAMPLES && !this.examples[e].includes(TEXT_EXAMPLE)) this.examples[e].push(TEXT_EXAMPLE);
    }
  }

  /** At most one verdict per entity whose prevalence reaches its threshold, highest confidence first. */
  verdicts(): FieldVerdict[] {
    const { sampled, matches, exclusive, inText, examples, exclusiveExamples } = this;
    if (sampled === 0) return [];
    const { set, signals, country, options } = this.ctx;
    const profiles = entityProfiles(set, signals, options.thresholds);
    const passes = (e: number, count: number): boolean => count > 0 && count / sampled >= profiles[e].threshold;
    const verdicts: FieldVerdict[] = [];
    for (let e = 0; e < this.n; e++) {
      // The general entity keeps only values no passing specific entity explains.
      const specificWins = set.specializedBy[e].some((s) => passes(s, matches[s]));
      const count = specificWins ? exclusive[e] : matches[e];
      const p = profiles[e];
      const whole = passes(e, count);
      const text = !whole && inText[e] >= MIN_TEXT_VALUES;
      if (!whole && !text) continue;
      const total = whole ? count + inText[e] : inText[e];
      const prevalence = total / sampled;
      const confidence = whole
        ? fieldConfidence(p.base, p.signal, count / sampled, sampled)
        : round3(fieldConfidence(p.base, NO_SIGNAL, 1, inText[e]) * TEXT_CONFIDENCE_FACTOR);
      verdicts.push({
        entity: set.entities[e],
        matches: total,
        sampled,
        prevalence: round3(prevalence),
        confidence,
        examples: whole ? [...(specificWins ? exclusiveExamples[e] : examples[e])] : [TEXT_EXAMPLE],
        basis: {
          recognizer: p.lead.source ?? 'builtin',
          fieldContext: !whole ? 'none' : p.signal.hinted ? 'name-hint' : p.signal.weak ? 'weak-hint' : p.signal.context ? 'context' : 'none',
          ...(options.fieldName && { field: options.fieldName }),
          ...(p.lead.validation && { validation: p.lead.validation }),
          ...(country && { country }),
          inText: inText[e],
        },
      });
    }
    return verdicts.sort((a, b) => b.confidence - a.confidence || b.prevalence - a.prevalence || a.entity.localeCompare(b.entity));
  }
}

/**
 * Classifies a field from a sample of its values. Returns at most one verdict per entity, only for
 * entities whose prevalence reaches their threshold, sorted by confidence (highest first). When a
 * specific entity (CN_MOBILE) and its general one (PHONE) match the same values, the specific one is
 * reported and the general one only for the values left over. Values that are free text (long, or
 * words around digits) are scanned for entities inside them; those count toward `basis.inText`.
 */
export function classifyField(values: readonly (string | null | undefined)[], options: ClassifyOptions = {}): FieldVerdict[] {
  const ctx = fieldContext(options);
  const tally = new FieldTally(ctx);
  // A column repeats its values (statuses, cities, a CDC row updated twice): each distinct one is evaluated once, within this call only.
  const seen = new Map<string, ValueEvaluation | undefined>();
  for (const raw of values) {
    if (raw === null || raw === undefined) continue;
    let ev: ValueEvaluation | undefined;
    if (seen.has(raw)) ev = seen.get(raw);
    else seen.set(raw, (ev = evaluateValue(ctx, raw)));
    tally.add(ev, raw);
  }
  return tally.verdicts();
}

/** What a masked example of an entity found inside text shows: that it was text, nothing of the text. */
export const TEXT_EXAMPLE = '(in text)';

const scratches = new WeakMap<CompiledSet, Uint8Array>();

/**
 * Classifies one value (streaming CDC), highest confidence first. A general entity is dropped when a
 * more specific one matched the same value. `thresholds` does not apply (there is no prevalence).
 * Only whole values are matched: a fingerprint of a value stands for the value, not for a text around it.
 */
export function classifyValue(value: string, options: ClassifyOptions = {}): ValueMatch[] {
  const set = compileSet(options.recognizers ?? activeRecognizers());
  const signals = fieldSignals(set, options.fieldName, options.container);
  const country = options.country ?? countryOfRegion(options.region);
  // Classification is synchronous, so one scratch buffer per set is safe and spares an allocation per value.
  const matched = (scratches.get(set) ?? scratches.set(set, new Uint8Array(set.entities.length)).get(set))!;
  const v = folded(trimmedOf(value));
  if (!matchWhole(set, signals, v, SHAPE, country, matched)) return [];
  const out: ValueMatch[] = [];
  for (let e = 0; e < set.entities.length; e++) {
    if (!matched[e] || anySet(set.specializedBy[e], matched)) continue;
    let confidence = 0;
    for (let i = 0; i < set.items.length; i++) {
      const c = set.items[i];
      if (c.entityIndex === e) confidence = Math.max(confidence, valueConfidence(c.recognizer.baseConfidence, signals[i]));
    }
    out.push({ entity: set.entities[e], confidence: round3(confidence) });
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.entity.localeCompare(b.entity));
}

export interface CoverageInput {
  sampled: number;
  total?: number;
  /** How the sample was drawn, e.g. `random, bounded SELECT` or `first 200 messages per partition`. */
  method: string;
  /** What was counted; default `rows`. */
  unit?: string;
}

const thousands = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A sentence for reports: "sampled 1,000 of 52,311 rows (random, bounded SELECT)". */
export function describeCoverage({ sampled, total, method, unit = 'rows' }: CoverageInput): string {
  const how = method ? ` (${method})` : '';
  if (total === undefined) return `sampled ${thousands(sampled)} ${unit}${how}`;
  if (sampled >= total) return `scanned all ${thousands(total)} ${unit}${how}`;
  return `sampled ${thousands(sampled)} of ${thousands(total)} ${unit}${how}`;
}
