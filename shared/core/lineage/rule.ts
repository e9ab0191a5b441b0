import type { Evidence, GraphEdge, GraphNode } from '../model/graph.js';
import type { Phrase } from '../model/phrase.js';

/**
 * What a lineage rule sees: the whole captured graph (nodes, the edges the sources wrote) and the
 * latest live configuration objects (K8s manifests, connector configs) as canonical JSON.
 * Rules are pure functions of this view, so they run the same in the app, the CLI and the bench.
 */
export interface LineageView {
  nodes: GraphNode[];
  byUrn: Map<string, GraphNode>;
  /** Latest configuration objects; `content` is the canonical JSON (Secret values are `{ $hash }`). */
  configs: { urn: string; content: any }[];
  edges: GraphEdge[];
}

/** A hop that replaces values (Debezium column masks, MaskField SMT): PII does not pass it. */
export interface EdgeMask {
  /** e.g. `mask-with-chars`, `hash`, `mask-field`. */
  kind: string;
  detail: string;
  /** `detail` as a phrase, said in the reader's language. */
  phrase?: Phrase;
}

/**
 * Evidence of an inferred edge. `rule` is the rule id (always `lineage.…`, so the analyzer can
 * replace its own edges), `detail` a sentence an auditor can check against the config.
 */
export interface LineageEvidence extends Evidence {
  rule: string;
  detail: string;
  /** On dataset-level edges: which column/field of the source feeds which field of the target. */
  fieldMap?: Record<string, string>;
  /** Set when this hop masks the values: propagation and flows stop here. */
  mask?: EdgeMask;
  /** The configuration object (connector, workload) the edge was read from, if any. */
  config?: string;
  /** Other rules that inferred the same edge (set when edges are merged). */
  corroboratedBy?: string[];
}

export interface InferredEdge extends GraphEdge {
  evidence: LineageEvidence;
}

/** One way of inferring lineage. Adding a rule = one file under rules/ + one line in rules/registry.ts. */
export interface LineageRule {
  /** Unique, starts with `lineage.`. */
  id: string;
  description: string;
  infer(view: LineageView): InferredEdge[];
}

export const defineLineageRule = (rule: LineageRule): LineageRule => rule;

/** Builds a view; edges the lineage rules wrote earlier should be left out by the caller. */
export function buildLineageView(nodes: GraphNode[], edges: GraphEdge[], configs: { urn: string; content: unknown }[]): LineageView {
  return { nodes, byUrn: new Map(nodes.map((n) => [n.urn, n])), configs, edges };
}

/** The mask recorded on an edge's evidence, whoever wrote it. */
export function edgeMask(edge: GraphEdge): EdgeMask | undefined {
  const mask = (edge.evidence as { mask?: unknown }).mask;
  return mask && typeof mask === 'object' && typeof (mask as EdgeMask).kind === 'string' ? (mask as EdgeMask) : undefined;
}
