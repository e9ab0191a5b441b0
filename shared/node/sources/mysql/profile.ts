import { classifyField, classifyValue, maskValue, normalizeForFingerprint, type FieldVerdict } from '../../../core/pii/index.js';
import type { PiiTag } from '../../../core/model/graph.js';
import { MAX_FINGERPRINTS } from './config.js';

/** Share of streamed values an entity needs before CDC alone reports it on a column. */
const STREAM_MIN_PREVALENCE = 0.5;
/**
 * Streamed values are classified on a bounded sample stratified over the stream: the first
 * CLASSIFY_PER_LEVEL values all, then every 2nd, 4th, 8th… (the stride doubles after each further
 * CLASSIFY_PER_LEVEL classified), so a column of n values costs about CLASSIFY_PER_LEVEL·log2(n)
 * classifications and every part of the stream is represented. Every value is still counted.
 */
export const CLASSIFY_PER_LEVEL = 2000;
const MAX_EXAMPLES = 3;

interface StreamEntity {
  matches: number;
  confidenceSum: number;
  examples: string[];
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * What we know about one column's values: the verdicts of the sample, plus values seen in the binlog,
 * classified one at a time as they stream. Holds masked examples and keyed fingerprints only — raw
 * values never outlive the call that classifies them.
 */
export class ColumnProfile {
  private sampleVerdicts: FieldVerdict[] = [];
  private sampleSize = 0;
  private streamed = 0;
  private classified = 0;
  private stride = 1;
  private nextLevelAt = CLASSIFY_PER_LEVEL;
  private readonly streamEntities = new Map<string, StreamEntity>();
  readonly fingerprints = new Set<string>();

  constructor(
    /** Column name: it is the name hint the recognizers read (`id_card`, `shouji`, `手机号`). */
    readonly name: string,
    readonly binary: boolean,
    private readonly fingerprint: (normalized: string) => string,
  ) {}

  /** Classifies a sample of the column's values (text; nulls skipped). */
  addSample(values: readonly (string | null)[]): void {
    if (this.binary) return;
    this.sampleSize += values.filter((v) => v !== null && v.trim() !== '').length;
    this.sampleVerdicts = classifyField(values, { fieldName: this.name });
    if (this.sampleVerdicts.length === 0) return;
    const entities = new Set(this.sampleVerdicts.map((v) => v.entity));
    for (const v of values) {
      if (this.fingerprints.size >= MAX_FINGERPRINTS) break;
      if (v === null || v.trim() === '') continue;
      for (const m of classifyValue(v, { fieldName: this.name })) {
        if (entities.has(m.entity)) this.fingerprints.add(this.fingerprint(normalizeForFingerprint(m.entity, v)));
      }
    }
  }

  /** Classifies one streamed value (binlog row image). */
  observe(value: string | null): void {
    if (this.binary || value === null) return;
    if (value.length === 0) return;
    this.streamed++;
    if (this.streamed % this.stride !== 0) return;
    const v = value.trim();
    if (v === '') { this.streamed--; return; }
    this.classified++;
    if (this.classified >= this.nextLevelAt) {
      this.stride *= 2;
      this.nextLevelAt += CLASSIFY_PER_LEVEL;
    }
    for (const m of classifyValue(v, { fieldName: this.name })) {
      let s = this.streamEntities.get(m.entity);
      if (!s) this.streamEntities.set(m.entity, (s = { matches: 0, confidenceSum: 0, examples: [] }));
      s.matches++;
      s.confidenceSum += m.confidence;
      if (s.examples.length < MAX_EXAMPLES) {
        const masked = maskValue(m.entity, v);
        if (!s.examples.includes(masked)) s.examples.push(masked);
      }
      if (this.fingerprints.size < MAX_FINGERPRINTS) this.fingerprints.add(this.fingerprint(normalizeForFingerprint(m.entity, v)));
    }
  }

  /** The same profile under a new column name (RENAME COLUMN). */
  renamed(name: string): ColumnProfile {
    const p = new ColumnProfile(name, this.binary, this.fingerprint);
    return p.absorb(this);
  }

  /** Adds what another profile of the same column learnt (two names of one column after a rename). */
  absorb(other: ColumnProfile): ColumnProfile {
    if (this.sampleVerdicts.length === 0) { this.sampleVerdicts = other.sampleVerdicts; this.sampleSize = other.sampleSize; }
    this.streamed += other.streamed;
    this.classified += other.classified;
    for (const [entity, s] of other.streamEntities) {
      const mine = this.streamEntities.get(entity);
      if (!mine) this.streamEntities.set(entity, { matches: s.matches, confidenceSum: s.confidenceSum, examples: [...s.examples] });
      else {
        mine.matches += s.matches;
        mine.confidenceSum += s.confidenceSum;
        for (const e of s.examples) if (mine.examples.length < MAX_EXAMPLES && !mine.examples.includes(e)) mine.examples.push(e);
      }
    }
    for (const f of other.fingerprints) if (this.fingerprints.size < MAX_FINGERPRINTS) this.fingerprints.add(f);
    return this;
  }

  get sampled(): number {
    return this.sampleSize;
  }

  get streamedValues(): number {
    return this.streamed;
  }

  /** How many of the streamed values were classified (the stratified sample). */
  get classifiedValues(): number {
    return this.classified;
  }

  /**
   * Verdicts over sample and stream together. Without streamed values these are the sample's verdicts
   * as the PII engine gave them. With them, counts add up; an entity the sample did not report needs
   * STREAM_MIN_PREVALENCE of the streamed values, and its confidence follows the engine's rule
   * (value confidence scaled by prevalence).
   */
  verdicts(): PiiTag[] {
    const tags = new Map<string, PiiTag>();
    for (const v of this.sampleVerdicts) {
      tags.set(v.entity, { entity: v.entity, confidence: v.confidence, matches: v.matches, sampled: this.sampleSize, examples: [...v.examples] });
    }
    if (this.classified > 0) {
      for (const t of tags.values()) t.sampled += this.classified;
      for (const [entity, s] of this.streamEntities) {
        const prevalence = s.matches / this.classified;
        const streamConfidence = round3((s.confidenceSum / s.matches) * (0.5 + 0.5 * prevalence) * (1 - 0.3 / this.classified));
        const tag = tags.get(entity);
        if (tag) {
          tag.matches += s.matches;
          tag.confidence = Math.max(tag.confidence, streamConfidence);
          for (const e of s.examples) if (tag.examples.length < MAX_EXAMPLES && !tag.examples.includes(e)) tag.examples.push(e);
        } else if (prevalence >= STREAM_MIN_PREVALENCE) {
          tags.set(entity, { entity, confidence: streamConfidence, matches: s.matches, sampled: this.sampleSize + this.classified, examples: [...s.examples] });
        }
      }
    }
    return [...tags.values()].sort((a, b) => b.confidence - a.confidence || a.entity.localeCompare(b.entity));
  }
}
