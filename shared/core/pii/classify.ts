/**
 * Field classification: a finding is the prevalence of an entity over a sample of a field's values,
 * with a confidence — never a single hit. Also single-value classification for streaming CDC.
 */
import { compileSet, DEFAULT_THRESHOLD, fieldSignals, MAX_VALUE_LENGTH, recognizes, type CompiledSet, type FieldSignal } from './compile.js';
import { maskValue } from './masking.js';
import { activeRecognizers } from './registry.js';
import type { Recognizer } from './types.js';
import { computeShape } from './value-shape.js';

export interface FieldVerdict {
  entity: string;
  matches: number;
  /** Non-empty values looked at. */
  sampled: number;
  /** matches / sampled. */
  prevalence: number;
  confidence: number;
  /** Masked examples, at most 3. */
  examples: string[];
  /** Raw-value fingerprints are computed by Node code with the workspace key, never here. */
  fingerprints?: never;
}

export interface ClassifyOptions {
  /** Column or field name (`users#id_card`, `payload.user.mobile`): hints lower thresholds and raise confidence. */
  fieldName?: string;
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
const MAX_CONFIDENCE = 0.99;

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Confidence that one value is the entity: the recognizer's base, raised by what the field name says. */
function valueConfidence(base: number, signal: FieldSignal): number {
  let c = base;
  if (signal.hinted) c += (1 - c) * 0.5;
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
}

function entityProfiles(set: CompiledSet, signals: FieldSignal[], thresholds?: Partial<Record<string, number>>): EntityProfile[] {
  const profiles = set.entities.map((): EntityProfile => ({ base: 0, threshold: 1, signal: { hinted: false, context: false }, requiresNameHint: true }));
  set.items.forEach((c, i) => {
    const p = profiles[c.entityIndex];
    p.base = Math.max(p.base, c.recognizer.baseConfidence);
    p.threshold = Math.min(p.threshold, c.recognizer.threshold ?? DEFAULT_THRESHOLD);
    p.signal = { hinted: p.signal.hinted || signals[i].hinted, context: p.signal.context || signals[i].context };
    p.requiresNameHint = p.requiresNameHint && c.recognizer.requiresNameHint === true;
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

/** Entities matched by one trimmed value, as entity indices (deduplicated, in set order). */
function matchEntities(set: CompiledSet, signals: FieldSignal[], value: string, out: Uint8Array): boolean {
  out.fill(0);
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH) return false;
  let shape = computeShape(value);
  if (shape.fullwidth > 0) {
    // Fold full-width digits/letters (NFKC) so `１３８１２３４５６７８` is read as the mobile it is.
    value = value.normalize('NFKC');
    shape = computeShape(value);
  }
  let any = false;
  for (let i = 0; i < set.items.length; i++) {
    const c = set.items[i];
    if (out[c.entityIndex]) continue;
    if (recognizes(c, value, shape, signals[i])) {
      out[c.entityIndex] = 1;
      any = true;
    }
  }
  return any;
}

/**
 * Classifies a field from a sample of its values. Returns at most one verdict per entity, only for
 * entities whose prevalence reaches their threshold, sorted by confidence (highest first). When a
 * specific entity (CN_MOBILE) and its general one (PHONE) match the same values, the specific one is
 * reported and the general one only for the values left over.
 */
export function classifyField(values: readonly (string | null | undefined)[], options: ClassifyOptions = {}): FieldVerdict[] {
  const set = compileSet(options.recognizers ?? activeRecognizers());
  const signals = fieldSignals(set, options.fieldName);
  const n = set.entities.length;
  const matches = new Array<number>(n).fill(0);
  const exclusive = new Array<number>(n).fill(0);
  const examples = set.entities.map(() => [] as string[]);
  const exclusiveExamples = set.entities.map(() => [] as string[]);
  const matched = new Uint8Array(n);
  let sampled = 0;

  for (const raw of values) {
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (value.length === 0) continue;
    sampled++;
    if (!matchEntities(set, signals, value, matched)) continue;
    for (let e = 0; e < n; e++) {
      if (!matched[e]) continue;
      matches[e]++;
      // Masking happens here so no raw value outlives this loop iteration.
      const masked = examples[e].length < MAX_EXAMPLES ? maskValue(set.entities[e], value) : undefined;
      if (masked !== undefined && !examples[e].includes(masked)) examples[e].push(masked);
      if (set.specializedBy[e].some((s) => matched[s])) continue;
      exclusive[e]++;
      if (exclusiveExamples[e].length < MAX_EXAMPLES) {
        const m = masked ?? maskValue(set.entities[e], value);
        if (!exclusiveExamples[e].includes(m)) exclusiveExamples[e].push(m);
      }
    }
  }
  if (sampled === 0) return [];

  const profiles = entityProfiles(set, signals, options.thresholds);
  const passes = (e: number, count: number): boolean => count > 0 && count / sampled >= profiles[e].threshold;
  const verdicts: FieldVerdict[] = [];
  for (let e = 0; e < n; e++) {
    // The general entity keeps only values no passing specific entity explains.
    const specificWins = set.specializedBy[e].some((s) => passes(s, matches[s]));
    const count = specificWins ? exclusive[e] : matches[e];
    if (!passes(e, count)) continue;
    const prevalence = count / sampled;
    const p = profiles[e];
    verdicts.push({
      entity: set.entities[e],
      matches: count,
      sampled,
      prevalence: round3(prevalence),
      confidence: fieldConfidence(p.base, p.signal, prevalence, sampled),
      examples: specificWins ? exclusiveExamples[e] : examples[e],
    });
  }
  return verdicts.sort((a, b) => b.confidence - a.confidence || b.prevalence - a.prevalence || a.entity.localeCompare(b.entity));
}

const scratch = new WeakMap<CompiledSet, Uint8Array>();

/**
 * Classifies one value (streaming CDC), highest confidence first. A general entity is dropped when a
 * more specific one matched the same value. `thresholds` does not apply (there is no prevalence).
 */
export function classifyValue(value: string, options: ClassifyOptions = {}): ValueMatch[] {
  const set = compileSet(options.recognizers ?? activeRecognizers());
  const signals = fieldSignals(set, options.fieldName);
  // Classification is synchronous, so one scratch buffer per set is safe and spares an allocation per value.
  const matched = (scratch.get(set) ?? scratch.set(set, new Uint8Array(set.entities.length)).get(set))!;
  if (!matchEntities(set, signals, value.trim(), matched)) return [];
  const out: ValueMatch[] = [];
  for (let e = 0; e < set.entities.length; e++) {
    if (!matched[e] || set.specializedBy[e].some((s) => matched[s])) continue;
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
