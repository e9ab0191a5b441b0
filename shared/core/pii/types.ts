/**
 * The shape of a PII recognizer: data (patterns, words, hints), an optional validator, and everything
 * else the rest of Driftline needs to know about its entity (labels, severity, masker, normalizer).
 * Adding a recognizer is one file under recognizers/ and one line in registry.ts.
 */
import type { Severity } from '../model/finding.js';

/** Counts of character classes in a value, computed once per value so every recognizer can reject it cheaply. */
export interface ValueShape {
  length: number;
  digits: number;
  /** ASCII letters only. */
  letters: number;
  /** CJK unified ideographs (Han characters). */
  han: number;
  spaces: number;
  dashes: number;
  dots: number;
  colons: number;
  commas: number;
  at: number;
  plus: number;
  slashes: number;
  /** Full-width forms (U+FF01–FF5E) that Chinese input methods produce: `１３８…`. */
  fullwidth: number;
}

/** A pattern as a RegExp or as a regex source string (strings are compiled with the `u` flag). */
export type PatternSource = RegExp | string;

/** An entity's name as a reader sees it, in every language of the studio and the report. */
export interface EntityLabels {
  en: string;
  'zh-CN': string;
}

/** What the field (and where it lives) says about a value, handed to validators. */
export interface ValueContext {
  /** The field name carries one of the recognizer's `nameHints`. */
  hinted: boolean;
  /** The field name carries only one of its `weakNameHints` (`name`, `nickname`): value evidence must decide. */
  weak: boolean;
  /** ISO 3166-1 alpha-2 country implied by the source's region or the field (phones in national form). */
  country?: string;
}

export interface Recognizer {
  /** Entity name, e.g. `CN_MOBILE` (the names in PII_ENTITIES, or a rule pack's own). */
  entity: string;
  /**
   * Patterns a whole (trimmed) value must match. They are anchored when compiled, so a field value
   * *is* the entity rather than merely containing one.
   */
  patterns: readonly PatternSource[];
  /** Looser patterns trusted only when the field name carries one of `nameHints` (e.g. a bare 9-digit SSN in an `ssn` column). */
  hintedPatterns?: readonly PatternSource[];
  /** Words that make the entity more likely when they appear in the field name (a small confidence boost, no threshold change). */
  context: readonly string[];
  /** Column/field-name hints in English, Chinese and pinyin (`id_card`, `sfzh`, `身份证`). */
  nameHints: readonly string[];
  /**
   * Hints too general to decide alone (`name`, `contact`): they admit the recognizer only with value
   * evidence (a validator that reads `ValueContext.weak`).
   */
  weakNameHints?: readonly string[];
  /**
   * Words of the container (table, topic, prefix) that make a weak hint a name hint: `name` in
   * `ums_member_receive_address` is the receiver's name, as `name` in `pms_brand` is not.
   */
  containerHints?: readonly string[];
  /** Field-name words that cancel a hint (`product_name` is not a person's name). */
  excludedNameHints?: readonly string[];
  /** Confidence that one matching value is this entity, 0–1. */
  baseConfidence: number;
  /** Share of sampled values that must match before a field is reported (default 0.6). */
  threshold?: number;
  /**
   * Checksum or semantic check on a value that already matched a pattern. `context` is valid for
   * the call only (the hot path reuses one object): read it, never keep it.
   */
  validate?(value: string, context: ValueContext): boolean;
  /** What `validate` checks, said in every verdict (`GB 11643-1999 MOD 11-2 check character`). */
  validation?: string;
  /**
   * Finds candidates inside free text (a `remark` column, a JSON message): a global regex whose
   * matches are then checked like whole values. Only entities whose check is strong enough to trust
   * a hit without a field-name hint have one.
   */
  textPattern?: RegExp;
  /** The entity is only considered when the field name hints at it (names, birth dates). */
  requiresNameHint?: boolean;
  /** Entity this one is a strict subtype of (CN_MOBILE specializes PHONE): the specific one wins on shared values. */
  specializes?: string;
  /** Cheap rejection before any regex runs; must never reject a value the patterns would accept. */
  prefilter?(shape: ValueShape, value: string): boolean;
  /** Where the recognizer comes from: `builtin` or a rule pack's file name. */
  source?: string;
  /** The entity's name in every UI language; built-in recognizers must have it. */
  labels?: EntityLabels;
  /** Severity of a finding of this entity (PIPL "sensitive personal information" is high); default low. */
  severity?: Severity;
  /**
   * A value identifies one person or account (an email, a card number), so the same keyed
   * fingerprints in two datasets are evidence of a copy (lineage rule value-fingerprints). Names,
   * birth dates and coordinates repeat across unrelated data: they leave it unset.
   */
  identifying?: boolean;
  /** Masked example of a value (never the value); default keeps the first and last characters. */
  mask?(value: string): string;
  /** Canonical form for keyed fingerprints, so one value written two ways hashes the same; default NFKC + trim. */
  normalize?(value: string): string;
}
