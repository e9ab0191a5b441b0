import { FieldSample, type ClassifyOptions, type PendingValue } from '../../../core/pii/index.js';
import type { PiiTag } from '../../../core/model/graph.js';
import { MAX_FINGERPRINTS } from './config.js';

/** Strata of a column's sample: the bounded snapshot SELECT and the binlog stream, each kept uniform over its own values. */
const SNAPSHOT = 'snapshot';
const BINLOG = 'binlog';

/**
 * The MySQL adapter onto the shared field profiler (shared/core/pii FieldSample): one column's
 * snapshot sample and streamed binlog values, counted in full and classified on a bounded sample
 * that is uniform over each (snapshot, stream) and keeps both represented. Fingerprints are the
 * profiler's (the values first in the fingerprint order, over every value seen), so the same people
 * are fingerprinted here as in a topic or a bucket. Only values whose column is proven at their
 * binlog position reach `observe`: unattributed row images are counted by the binlog readers
 * (`cdc.unattributed`) and never classified or fingerprinted. Raw values stay inside the sample.
 */
export class ColumnProfile {
  private sample: FieldSample;
  private snapshotValues = 0;
  private streamed = 0;

  constructor(
    /** Column name: it is the name hint the recognizers read (`id_card`, `shouji`, `手机号`). */
    readonly name: string,
    readonly binary: boolean,
    private readonly fingerprint: (normalized: string) => string,
  ) {
    this.sample = new FieldSample(name, undefined, MAX_FINGERPRINTS);
  }

  /** Adds the values of the bounded snapshot SELECT (text; nulls counted, not classified). */
  addSample(values: readonly (string | null)[]): void {
    if (this.binary) return;
    for (const v of values) {
      if (v !== null && v.trim() !== '') this.snapshotValues++;
      this.sample.add(v, SNAPSHOT);
    }
  }

  /** Counts one streamed value (binlog row image) and offers it to the sample. */
  observe(value: string | null): void {
    if (this.binary || value === null || value.length === 0) return;
    this.streamed++;
    this.sample.add(value, BINLOG);
  }

  /** Counts one streamed value whose text is not made yet (row-decoder.ts): as `observe`, the text made only if kept. */
  observePending(value: PendingValue): void {
    if (this.binary) return;
    this.streamed++;
    this.sample.addPending(value, BINLOG);
  }

  /** The same profile under a new column name (RENAME COLUMN). */
  renamed(name: string): ColumnProfile {
    return new ColumnProfile(name, this.binary, this.fingerprint).absorb(this);
  }

  /** Adds what another profile of the same column learnt (two names of one column after a rename). */
  absorb(other: ColumnProfile): ColumnProfile {
    this.sample.absorb(other.sample);
    this.snapshotValues += other.snapshotValues;
    this.streamed += other.streamed;
    return this;
  }

  /** Non-blank values of the snapshot sample. */
  get sampled(): number {
    return this.snapshotValues;
  }

  /** Every streamed value counted (non-null, non-empty). */
  get streamedValues(): number {
    return this.streamed;
  }

  /** How many streamed values are in the classified sample now (a uniform sample of the stream). */
  get classifiedValues(): number {
    return this.sample.keptIn(BINLOG);
  }

  private get options(): ClassifyOptions {
    return { fieldName: this.name };
  }

  /** Keyed fingerprints of the column's reported identifying values (the profiler's bottom-k choice). */
  get fingerprints(): string[] {
    if (this.binary) return [];
    return this.sample.fingerprints(this.sample.verdicts(this.options), this.options, this.fingerprint);
  }

  /** Verdicts over snapshot and stream together, as the shared engine gives them (asking again of an unchanged sample is free). */
  verdicts(): PiiTag[] {
    if (this.binary) return [];
    return this.sample.verdicts(this.options).map((v) => ({ entity: v.entity, confidence: v.confidence, matches: v.matches, sampled: v.sampled, examples: [...v.examples], basis: v.basis }));
  }
}
