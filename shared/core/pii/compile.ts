/**
 * Recognizers compiled once for the hot path: anchored regexes, prepared hint lists, and a bounded
 * cache of field-name decisions (streaming CDC classifies millions of values of a few hundred fields).
 */
import { matchesHints, prepareFieldName, prepareHints, type HintMatcher } from './name-hints.js';
import type { PatternSource, Recognizer, ValueContext, ValueShape } from './types.js';
import { computeShape } from './value-shape.js';

/** Values longer than this are not classified: no entity we know is longer, and it bounds regex work. */
export const MAX_VALUE_LENGTH = 256;

/** Default share of sampled values that must match when a recognizer sets no threshold. */
export const DEFAULT_THRESHOLD = 0.6;

export interface CompiledRecognizer {
  recognizer: Recognizer;
  entityIndex: number;
  patterns: RegExp[];
  hinted: RegExp[];
  hints: HintMatcher;
  weakHints: HintMatcher;
  containerHints: HintMatcher;
  context: HintMatcher;
  excluded: HintMatcher;
  /** The recognizer's `textPattern`, global, for finding it inside free text. */
  text: RegExp | undefined;
  /*
   * The recognizer's hot-path members, copied: recognizers are object literals of many shapes, so
   * reading them off `recognizer` on every value is a megamorphic property load; every compiled
   * item has this one shape.
   */
  requiresNameHint: boolean;
  prefilter: Recognizer['prefilter'];
  validate: Recognizer['validate'];
  /** Its text candidates contain an `@` (so texts without one are skipped); otherwise they need digits. */
  textNeedsAt: boolean;
}

/** What a field name says about each recognizer of a set. */
export interface FieldSignal {
  hinted: boolean;
  /** Only a weak hint (`name`): the recognizer is admitted, its validator decides on value evidence. */
  weak: boolean;
  context: boolean;
}

export interface CompiledSet {
  items: CompiledRecognizer[];
  /** Distinct entities in first-seen order; several recognizers may share one (rule packs extend built-ins). */
  entities: string[];
  /** For each entity index, the entity indices that specialize it (PHONE ← CN_MOBILE). */
  specializedBy: number[][];
  /** Indices of the items that can be found inside free text. */
  textItems: number[];
  fieldCache: Map<string, FieldSignal[]>;
}

const FIELD_CACHE_LIMIT = 4096;
const NO_FIELD = '\u0000';

/** Anchors a pattern so it must match the whole value; global/sticky flags are dropped (they make `test` stateful). */
export function compilePattern(p: PatternSource): RegExp {
  const source = typeof p === 'string' ? p : p.source;
  const flags = typeof p === 'string' ? 'u' : p.flags.replace(/[gy]/g, '');
  return new RegExp(`^(?:${source})$`, flags);
}

const setCache = new WeakMap<readonly Recognizer[], CompiledSet>();

/** Compiles a recognizer list, memoized per array so callers can pass the same list on every value. */
export function compileSet(recognizers: readonly Recognizer[]): CompiledSet {
  const cached = setCache.get(recognizers);
  if (cached) return cached;
  const entities: string[] = [];
  const items = recognizers.map((recognizer): CompiledRecognizer => {
    let entityIndex = entities.indexOf(recognizer.entity);
    if (entityIndex < 0) entityIndex = entities.push(recognizer.entity) - 1;
    return {
      recognizer,
      entityIndex,
      patterns: recognizer.patterns.map(compilePattern),
      hinted: (recognizer.hintedPatterns ?? []).map(compilePattern),
      hints: prepareHints(recognizer.nameHints),
      weakHints: prepareHints(recognizer.weakNameHints ?? []),
      containerHints: prepareHints(recognizer.containerHints ?? []),
      context: prepareHints(recognizer.context),
      excluded: prepareHints(recognizer.excludedNameHints ?? []),
      text: recognizer.textPattern && new RegExp(recognizer.textPattern.source, recognizer.textPattern.flags.includes('g') ? recognizer.textPattern.flags : `${recognizer.textPattern.flags}g`),
      textNeedsAt: recognizer.textPattern?.source.includes('@') ?? false,
      requiresNameHint: recognizer.requiresNameHint === true,
      prefilter: recognizer.prefilter,
      validate: recognizer.validate,
    };
  });
  const specializedBy = entities.map(() => [] as number[]);
  for (const item of items) {
    const general = item.recognizer.specializes ? entities.indexOf(item.recognizer.specializes) : -1;
    if (general >= 0 && !specializedBy[general].includes(item.entityIndex)) specializedBy[general].push(item.entityIndex);
  }
  const textItems = items.flatMap((item, i) => (item.text ? [i] : []));
  const set: CompiledSet = { items, entities, specializedBy, textItems, fieldCache: new Map() };
  setCache.set(recognizers, set);
  return set;
}

/**
 * Hint and context signals of a field name for every recognizer of the set (cached). Words of the
 * container (table, topic) that a recognizer excludes cancel its weak hints only: `receiver_name`
 * stays a name in any table, `name` in `pms_brand` does not.
 */
export function fieldSignals(set: CompiledSet, fieldName: string | undefined, container?: string): FieldSignal[] {
  const key = container ? `${fieldName ?? NO_FIELD}\u0001${container}` : fieldName ?? NO_FIELD;
  const cached = set.fieldCache.get(key);
  if (cached) return cached;
  let signals: FieldSignal[];
  if (fieldName === undefined || fieldName.length === 0) {
    signals = set.items.map(() => ({ hinted: false, weak: false, context: false }));
  } else {
    const field = prepareFieldName(fieldName);
    const where = container ? prepareFieldName(container) : undefined;
    signals = set.items.map((c) => {
      const excluded = matchesHints(field, c.excluded);
      let hinted = !excluded && matchesHints(field, c.hints);
      const general = !excluded && !hinted && matchesHints(field, c.weakHints);
      // A person-record container (`ums_member_receive_address`) wins over an excluding word beside it.
      const promoted = general && where !== undefined && matchesHints(where, c.containerHints);
      if (promoted) hinted = true;
      const weak = general && !promoted && !(where && matchesHints(where, c.excluded));
      return { hinted, weak, context: !excluded && matchesHints(field, c.context) };
    });
  }
  // A crude bound rather than an LRU: field names are few, and a full reset is cheap.
  if (set.fieldCache.size >= FIELD_CACHE_LIMIT) set.fieldCache.clear();
  set.fieldCache.set(key, signals);
  return signals;
}

/** Whether one trimmed value is this recognizer's entity, given what the field name (and region) says. */
export function recognizes(c: CompiledRecognizer, value: string, shape: ValueShape, signal: FieldSignal, country?: string): boolean {
  if (c.requiresNameHint && !signal.hinted && !signal.weak) return false;
  if (c.prefilter !== undefined && !c.prefilter(shape, value)) return false;
  let matched = false;
  const { patterns, hinted } = c;
  for (let i = 0; i < patterns.length; i++) if (patterns[i].test(value)) { matched = true; break; }
  if (!matched && signal.hinted) for (let i = 0; i < hinted.length; i++) if (hinted[i].test(value)) { matched = true; break; }
  if (!matched) return false;
  if (c.validate === undefined) return true;
  // One context object reused for every call (validators are synchronous and keep nothing): no allocation per value.
  VALUE_CONTEXT.hinted = signal.hinted;
  VALUE_CONTEXT.weak = signal.weak;
  VALUE_CONTEXT.country = country;
  return c.validate(value, VALUE_CONTEXT);
}

const VALUE_CONTEXT: ValueContext = { hinted: false, weak: false, country: undefined };

const singletons = new WeakMap<Recognizer, Recognizer[]>();

/** Whether one value is `recognizer`'s entity on its own (tests, rule-pack previews); uses the same path as classification. */
export function matchesRecognizer(recognizer: Recognizer, value: string, fieldName?: string, country?: string): boolean {
  let list = singletons.get(recognizer);
  if (!list) singletons.set(recognizer, (list = [recognizer]));
  const set = compileSet(list);
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_VALUE_LENGTH) return false;
  const shape = computeShape(v);
  const folded = shape.fullwidth > 0 ? v.normalize('NFKC') : v;
  return recognizes(set.items[0], folded, folded === v ? shape : computeShape(folded), fieldSignals(set, fieldName)[0], country);
}
