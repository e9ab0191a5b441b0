import { datasetUrn } from '../../model/urn.js';
import { entityDefinition } from '../../pii/registry.js';
import { phrase, spokenDetail } from '../../i18n/phrase.js';
import { defineLineageRule, type InferredEdge } from '../rule.js';

export const RULE_ID = 'lineage.value-fingerprints';

/**
 * THE TEST. Two fields that hold independent values still share some by coincidence (common test
 * numbers, a shared customer base, small value spaces). Under that null hypothesis each of the
 * n = |A ∪ B| fingerprints compared is shared with probability at most CHANCE_SHARE, so the shared
 * count X ~ Binomial(n, CHANCE_SHARE). An edge needs P(X ≥ shared) below SIGNIFICANCE divided by the
 * number of field pairs compared (Bonferroni: many pairs are tested in one graph), and at least
 * MIN_SHARED shared values. E.g. 3 shared of 50 compared: p ≈ 0.014 — no edge; 10 of 50: p ≈ 1e-11.
 * The fingerprints of a field are a bottom-k sketch (shared/core/pii/fingerprint-order.ts: the values
 * first in one fixed hash order), so two copies of the same values share most of theirs; a value
 * shared by coincidence is in both sketches only if it comes first in both fields, which happens
 * for at most a share CHANCE_SHARE of the k values of the smaller-threshold sketch — fewer than the
 * test's n = |A ∪ B| ≥ k allows, so the test stays conservative.
 */
export const CHANCE_SHARE = 0.01;
export const SIGNIFICANCE = 0.001;
export const MIN_SHARED = 3;
/** The Jaccard below which an overlap is reported as weak (it must still pass the test). */
export const MIN_JACCARD = 0.2;
/**
 * Only values that identify a person or account are evidence of a copy: names, dates of birth,
 * addresses and coordinates repeat across unrelated datasets and small value spaces. Each
 * recognizer says so itself (`identifying`), so a new one needs no line here.
 */
export const isIdentifyingEntity = (entity: string): boolean => entityDefinition(entity)?.identifying === true;

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (n is at most a few hundred). */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let logC = 0; // log C(n, i), built up from i = 0
  for (let i = 1; i < k; i++) logC += Math.log((n - i + 1) / i);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    logC += Math.log((n - i + 1) / i);
    sum += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return Math.min(1, sum);
}
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
  description: `Fields/columns in different datasets sharing more keyed value fingerprints of identifying values than chance allows (binomial test, p < ${SIGNIFICANCE} / pairs compared) → same-values edges`,
  infer(view) {
    const sets = new Map<string, Set<string>>();
    const holders = new Map<string, string[]>();
    for (const node of view.nodes) {
      const fps = (node.props as { fingerprints?: unknown }).fingerprints;
      if ((node.kind !== 'field' && node.kind !== 'column') || !Array.isArray(fps) || fps.length === 0) continue;
      // Values from a decode that is not certain (unproven schema, undecoded payload) link nothing.
      if ((node.props as { decodeUncertain?: unknown }).decodeUncertain) continue;
      // Fields without a verdict (tests, legacy nodes) are compared; fields whose verdicts are all
      // non-identifying are not: their overlaps are expected by chance.
      const entities = (node.pii ?? []).filter((t) => !t.inherited).map((t) => t.entity);
      if (entities.length > 0 && !entities.some(isIdentifyingEntity)) continue;
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
    const threshold = SIGNIFICANCE / Math.max(1, shared.size);
    for (const [key, count] of shared) {
      if (count < MIN_SHARED) continue;
      const [a, b] = key.split('\n');
      const union = sets.get(a)!.size + sets.get(b)!.size - count;
      const jaccard = count / union;
      const p = binomialTail(count, union, CHANCE_SHARE);
      if (p >= threshold) continue;
      const [from, to] = rank(a) <= rank(b) ? [a, b] : [b, a];
      out.push({
        from, to, kind: 'same-values',
        confidence: Math.round(Math.min(0.95, 0.5 + jaccard / 2) * 1000) / 1000,
        evidence: { rule: RULE_ID, ...spokenDetail(phrase('ev.lineage.fingerprints', { count: String(count), jaccard: jaccard.toFixed(2), from: String(sets.get(from)!.size), to: String(sets.get(to)!.size), p: p.toExponential(1), threshold: threshold.toExponential(1), weak: jaccard < MIN_JACCARD ? phrase('ev.lineage.weakOverlap') : '' })), shared: count, jaccard: Math.round(jaccard * 1000) / 1000, pValue: p },
      });
    }
    return out;
  },
});
