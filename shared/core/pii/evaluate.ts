/** Precision and recall of value classification against a labelled corpus (tests and bench/pii.bench.ts). */
import { classifyField, classifyValue } from './classify.js';
import type { Recognizer } from './types.js';

/** One labelled value: what it is (an entity, or null for a decoy) and the field it sits in. */
export interface LabelledValue {
  value: string;
  fieldName?: string;
  label: string | null;
}

export interface EntityScore {
  entity: string;
  /** Values labelled with the entity. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

/** Scores the top prediction of classifyValue for every item; decoys count only as false positives. */
export function evaluateCorpus(corpus: readonly LabelledValue[], recognizers?: Recognizer[]): EntityScore[] {
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const at = (entity: string) => {
    let c = counts.get(entity);
    if (!c) counts.set(entity, (c = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return c;
  };
  for (const item of corpus) {
    const predicted = classifyValue(item.value, { fieldName: item.fieldName, recognizers })[0]?.entity ?? null;
    if (item.label) at(item.label).support++;
    if (predicted === item.label) {
      if (predicted) at(predicted).tp++;
      continue;
    }
    if (predicted) at(predicted).fp++;
    if (item.label) at(item.label).fn++;
  }
  return [...counts.entries()]
    .map(([entity, c]) => ({
      entity,
      support: c.support,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
      recall: c.support === 0 ? 1 : c.tp / c.support,
    }))
    .sort((a, b) => a.entity.localeCompare(b.entity));
}

/** One labelled column or field: its sampled values, where it lives, and what it holds (null: a decoy). */
export interface LabelledColumn {
  id: string;
  values: readonly (string | null)[];
  fieldName: string;
  container?: string;
  region?: string;
  label: string | null;
}

/** The verdicts a column got, for error reports. */
export interface ColumnOutcome {
  id: string;
  label: string | null;
  predicted: string[];
}

/**
 * Column-level precision and recall, as an auditor counts them: a column is found when its entity is
 * among the field verdicts; every other entity reported on it is a false positive (decoys included).
 */
export function evaluateColumns(columns: readonly LabelledColumn[], recognizers?: Recognizer[]): { scores: EntityScore[]; outcomes: ColumnOutcome[] } {
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const at = (entity: string) => {
    let c = counts.get(entity);
    if (!c) counts.set(entity, (c = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return c;
  };
  const outcomes: ColumnOutcome[] = [];
  for (const col of columns) {
    const predicted = classifyField(col.values, { fieldName: col.fieldName, container: col.container, region: col.region, recognizers }).map((v) => v.entity);
    outcomes.push({ id: col.id, label: col.label, predicted });
    if (col.label) {
      at(col.label).support++;
      if (predicted.includes(col.label)) at(col.label).tp++;
      else at(col.label).fn++;
    }
    for (const p of predicted) if (p !== col.label) at(p).fp++;
  }
  return { scores: toScores(counts), outcomes };
}

function toScores(counts: Map<string, { tp: number; fp: number; fn: number; support: number }>): EntityScore[] {
  return [...counts.entries()]
    .map(([entity, c]) => ({
      entity,
      support: c.support,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
      recall: c.support === 0 ? 1 : c.tp / c.support,
    }))
    .sort((a, b) => a.entity.localeCompare(b.entity));
}
