import type { EdgeKind, GraphEdge, GraphNode, PiiTag } from '../model/graph.js';
import { edgeMask, type EdgeMask, type LineageView } from './rule.js';

/** Edges along which values are copied field to field. */
export const PROPAGATING_EDGES: readonly EdgeKind[] = ['cdc', 'sinks', 'same-values'];
/** Inherited verdicts weaker than this are dropped (a chain of guesses is no longer evidence). */
export const MIN_INHERITED_CONFIDENCE = 0.2;

/** A PII verdict a field holds because an upstream field feeds it. */
export interface InheritedPii extends PiiTag {
  inherited: true;
  /** The field it came from on the last hop. */
  via: string;
  /** The field where the entity was sampled. */
  origin: string;
  /** The rule of the last hop's edge. */
  rule: string;
}

/** An entity that would have flowed but a masked hop replaces the values. */
export interface BlockedPropagation {
  from: string;
  to: string;
  entities: string[];
  mask: EdgeMask;
  rule: string;
}

export interface PropagationResult {
  /** Field URN → inherited verdicts (only entities the field was not sampled as). */
  inherited: Map<string, InheritedPii[]>;
  blocked: BlockedPropagation[];
}

/** A node's own verdicts: inherited ones from an earlier run are not evidence of themselves. */
export function ownPii(node: GraphNode | undefined): PiiTag[] {
  return (node?.pii ?? []).filter((t) => !t.inherited);
}

const isField = (urn: string): boolean => urn.includes('#');

/** Field-level data edges out of each field; same-values runs both ways (equal values are symmetric). */
export function fieldAdjacency(edges: GraphEdge[], kinds: readonly EdgeKind[] = PROPAGATING_EDGES): Map<string, GraphEdge[]> {
  const out = new Map<string, GraphEdge[]>();
  const add = (from: string, e: GraphEdge) => {
    const list = out.get(from);
    if (list) list.push(e);
    else out.set(from, [e]);
  };
  for (const e of edges) {
    if (!kinds.includes(e.kind) || !isField(e.from) || !isField(e.to)) continue;
    add(e.from, e);
    if (e.kind === 'same-values') add(e.to, { ...e, from: e.to, to: e.from });
  }
  return out;
}

/**
 * PII follows the data: a field fed by a PII column (cdc), a PII topic field (sinks) or holding
 * the same values (same-values) holds that entity too, even when its own sample missed it (nulls,
 * a short sample). Confidence multiplies along the way; the best path wins. A masked hop stops
 * it, and is reported as `blocked` with the mask as evidence.
 */
export function propagatePii(view: LineageView, edges: GraphEdge[], options: { minConfidence?: number } = {}): PropagationResult {
  const min = options.minConfidence ?? MIN_INHERITED_CONFIDENCE;
  const adjacency = fieldAdjacency(edges);
  const best = new Map<string, InheritedPii>();
  const passedThrough = new Map<string, number>();
  const own = (urn: string) => ownPii(view.byUrn.get(urn));
  const queue: { urn: string; entity: string; confidence: number; origin: string }[] = [];
  for (const node of view.nodes) {
    for (const tag of ownPii(node)) queue.push({ urn: node.urn, entity: tag.entity, confidence: tag.confidence, origin: node.urn });
  }
  const blocked = new Map<string, BlockedPropagation>();
  // Confidences only shrink along a path, so each improvement is final after finitely many steps.
  for (let i = 0; i < queue.length; i++) {
    const { urn, entity, confidence, origin } = queue[i];
    for (const e of adjacency.get(urn) ?? []) {
      const mask = edgeMask(e);
      if (mask) {
        const key = `${e.from}\n${e.to}`;
        const b = blocked.get(key) ?? { from: e.from, to: e.to, entities: [], mask, rule: e.evidence.rule };
        if (!b.entities.includes(entity)) b.entities.push(entity);
        blocked.set(key, b);
        continue;
      }
      const c = Math.round(confidence * e.confidence * 1000) / 1000;
      const key = `${e.to}\n${entity}`;
      if (own(e.to).some((t) => t.entity === entity)) {
        // Sampled there already: nothing to add, but a stronger chain still passes through it.
        if (c < min || (passedThrough.get(key) ?? 0) >= c) continue;
        passedThrough.set(key, c);
        queue.push({ urn: e.to, entity, confidence: c, origin });
        continue;
      }
      if (c < min || (best.get(key)?.confidence ?? 0) >= c) continue;
      best.set(key, { entity, confidence: c, matches: 0, sampled: 0, examples: [], inherited: true, via: urn, origin, rule: e.evidence.rule });
      queue.push({ urn: e.to, entity, confidence: c, origin });
    }
  }
  const inherited = new Map<string, InheritedPii[]>();
  for (const [key, tag] of best) {
    const urn = key.slice(0, key.indexOf('\n'));
    const list = inherited.get(urn);
    if (list) list.push(tag);
    else inherited.set(urn, [tag]);
  }
  return { inherited, blocked: [...blocked.values()] };
}

/** A node's verdicts after propagation: its own plus what it inherits now (stale inherited ones dropped). */
export function mergePii(node: GraphNode | undefined, inherited: InheritedPii[] | undefined): PiiTag[] {
  return [...ownPii(node), ...(inherited ?? [])];
}
