import { datasetUrn } from '../../model/urn.js';
import { defineLineageRule, type InferredEdge } from '../rule.js';

export const RULE_ID = 'lineage.value-fingerprints';

/** Below these, shared values are more likely coincidence (a common test number) than a copy. */
export const MIN_SHARED = 3;
export const MIN_JACCARD = 0.2;
/** A fingerprint held by more fields than this is a common value, not a trace of one dataset. */
export const MAX_HOLDERS = 50;

/** Upstream-first order for the edge direction: databases feed topics feed object stores. */
const SCHEME_RANK: Record<string, number> = { mysql: 0, kafka: 1, s3: 2 };
const rank = (urn: string): number => SCHEME_RANK[urn.slice(0, urn.indexOf(':'))] ?? 3;

/**
 * Columns and fields in different datasets holding the same keyed fingerprints (HMACs of
 * normalized PII values) hold copies of the same values: a `same-values` edge with the overlap.
 * Only fingerprints are compared — the values were never kept.
 */
export const valueFingerprints = defineLineageRule({
  id: RULE_ID,
  description: `Fields/columns in different datasets sharing ≥${MIN_SHARED} keyed value fingerprints with Jaccard ≥${MIN_JACCARD} → same-values edges`,
  infer(view) {
    const sets = new Map<string, Set<string>>();
    const holders = new Map<string, string[]>();
    for (const node of view.nodes) {
      const fps = (node.props as { fingerprints?: unknown }).fingerprints;
      if ((node.kind !== 'field' && node.kind !== 'column') || !Array.isArray(fps) || fps.length === 0) continue;
      const set = new Set(fps.filter((f): f is string => typeof f === 'string'));
      sets.set(node.urn, set);
      for (const fp of set) {
        const list = holders.get(fp);
        if (list) list.push(node.urn);
        else holders.set(fp, [node.urn]);
      }
    }
    // Count shared fingerprints per pair through the inverted index: work grows with overlaps, not pairs.
    const shared = new Map<string, number>();
    for (const list of holders.values()) {
      if (list.length < 2 || list.length > MAX_HOLDERS) continue;
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = list[i] < list[j] ? [list[i], list[j]] : [list[j], list[i]];
          if (datasetUrn(a) === datasetUrn(b)) continue;
          const key = `${a}\n${b}`;
          shared.set(key, (shared.get(key) ?? 0) + 1);
        }
      }
    }
    const out: InferredEdge[] = [];
    for (const [key, count] of shared) {
      if (count < MIN_SHARED) continue;
      const [a, b] = key.split('\n');
      const union = sets.get(a)!.size + sets.get(b)!.size - count;
      const jaccard = count / union;
      if (jaccard < MIN_JACCARD) continue;
      const [from, to] = rank(a) <= rank(b) ? [a, b] : [b, a];
      out.push({
        from, to, kind: 'same-values',
        confidence: Math.round(Math.min(0.95, 0.5 + jaccard / 2) * 1000) / 1000,
        evidence: { rule: RULE_ID, detail: `${count} keyed value fingerprints in common (Jaccard ${jaccard.toFixed(2)} of ${sets.get(from)!.size} and ${sets.get(to)!.size} sampled)`, shared: count, jaccard: Math.round(jaccard * 1000) / 1000 },
      });
    }
    return out;
  },
});
