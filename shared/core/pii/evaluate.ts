/** Precision and recall of value classification against a labelled corpus (tests and bench/pii.bench.ts). */
import { classifyValue } from './classify.js';
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
