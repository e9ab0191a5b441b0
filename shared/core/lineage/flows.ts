import type { GraphEdge, GraphNode } from '../model/graph.js';
import type { Severity } from '../model/finding.js';
import { datasetUrn } from '../model/urn.js';
import { ownPii, PROPAGATING_EDGES } from './propagate.js';
import { EXPORT_LAWS, jurisdictionOf } from './regions.js';
import { edgeMask, type LineageView } from './rule.js';

/** One hop of a flow, with why we believe it. */
export interface FlowHop {
  from: string;
  to: string;
  kind: GraphEdge['kind'];
  rule: string;
  detail: string;
  confidence: number;
}

/** PII leaving one jurisdiction for another, from the dataset where it lives to where it lands. */
export interface CrossBorderFlow {
  from: string;
  to: string;
  fromRegion: string;
  toRegion: string;
  fromJurisdiction: string;
  toJurisdiction: string;
  entities: string[];
  /** Dataset-level URNs along the way (table → topic → prefix, or a workload). */
  path: string[];
  /** Field pairs: the origin field and where its values land. */
  fieldPairs: { from: string; to: string; entities: string[] }[];
  hops: FlowHop[];
  /** Product of the hops' confidences on the first path found. */
  confidence: number;
  severity: Severity;
  /** The law restricting this transfer, when one does. */
  law?: string;
}

/** Data moves along these; `reads` runs from the data to the workload reading it. */
const DATASET_FLOW_KINDS = new Set(['cdc', 'sinks', 'same-values', 'reads', 'writes']);

/** The region of a node: its own, else its parent's (fields inherit their dataset's). */
export function defaultRegionOf(view: LineageView): (urn: string) => string | undefined {
  return (urn) => {
    const node = view.byUrn.get(urn);
    if (node?.region) return node.region;
    const parent = node?.parent ?? (urn.includes('#') ? datasetUrn(urn) : undefined);
    return parent ? view.byUrn.get(parent)?.region : undefined;
  };
}

export function flowSeverity(fromJurisdiction: string, toJurisdiction: string): { severity: Severity; law?: string } {
  const law = fromJurisdiction !== toJurisdiction ? EXPORT_LAWS[fromJurisdiction] : undefined;
  return law ? { severity: 'high', law } : { severity: 'medium' };
}

interface Step { urn: string; prev?: Step; edge?: GraphEdge; confidence: number }

/**
 * Every path that carries PII from one jurisdiction to another. Starting at each field sampled
 * as PII, values move along unmasked field-level edges (cdc, sinks, same-values); from there,
 * along dataset-level edges that have no field-level counterpart (a workload reading a topic, a
 * sink into a bucket whose objects were not sampled). Each arrival in another jurisdiction is a
 * crossing; crossings are grouped per (origin dataset, destination dataset). A flow whose origin
 * is itself downstream of another flow's origin, carrying nothing more, is left out: the auditor
 * sees table → bucket once, not also topic → bucket.
 */
export function findCrossBorderFlows(view: LineageView, edges: GraphEdge[], regionOf: (urn: string) => string | undefined = defaultRegionOf(view)): CrossBorderFlow[] {
  const fieldOut = new Map<string, GraphEdge[]>();
  const datasetOut = new Map<string, GraphEdge[]>();
  const mappedPairs = new Set<string>();
  const push = (m: Map<string, GraphEdge[]>, k: string, e: GraphEdge) => {
    const l = m.get(k);
    if (l) l.push(e);
    else m.set(k, [e]);
  };
  for (const e of edges) {
    if (!DATASET_FLOW_KINDS.has(e.kind)) continue;
    const fieldLevel = e.from.includes('#') && e.to.includes('#');
    if (fieldLevel && PROPAGATING_EDGES.includes(e.kind)) {
      mappedPairs.add(`${datasetUrn(e.from)}\n${datasetUrn(e.to)}`);
      if (edgeMask(e)) continue;
      // same-values is followed as written (upstream store → downstream store): equal values
      // say nothing about which copy came first, and the reverse would report a flow back.
      push(fieldOut, e.from, e);
    }
  }
  for (const e of edges) {
    if (!DATASET_FLOW_KINDS.has(e.kind) || e.from.includes('#') || e.to.includes('#') || edgeMask(e)) continue;
    // `reads` points from the reader to the data; the data moves the other way.
    const [from, to] = e.kind === 'reads' ? [e.to, e.from] : [e.from, e.to];
    // Field edges between the same datasets say exactly what moves (and what is masked).
    if (mappedPairs.has(`${from}\n${to}`)) continue;
    push(datasetOut, from, { ...e, from, to });
  }

  const crossings = new Map<string, CrossBorderFlow>();
  for (const node of view.nodes) {
    const tags = ownPii(node);
    if (!node.urn.includes('#') || tags.length === 0) continue;
    const fromRegion = regionOf(node.urn);
    const fromJ = jurisdictionOf(fromRegion);
    if (!fromRegion || !fromJ) continue;
    const entities = [...new Set(tags.map((t) => t.entity))].sort();
    // Pipelines first (cdc, sinks, workloads), then value matches: a flow found both ways is
    // shown with the pipeline's path, which says how the data moves, not only that it arrived.
    for (const withSameValues of [false, true]) {
      const seen = new Set<string>([node.urn]);
      const queue: Step[] = [{ urn: node.urn, confidence: 1 }];
      for (let i = 0; i < queue.length; i++) {
        const step = queue[i];
        const next = [...(fieldOut.get(step.urn) ?? []), ...(datasetOut.get(step.urn.includes('#') ? datasetUrn(step.urn) : step.urn) ?? [])];
        for (const e of next) {
          if (seen.has(e.to) || (!withSameValues && e.kind === 'same-values')) continue;
          seen.add(e.to);
          const reached: Step = { urn: e.to, prev: step, edge: e, confidence: step.confidence * e.confidence };
          queue.push(reached);
          const toRegion = regionOf(e.to);
          const toJ = jurisdictionOf(toRegion);
          if (!toRegion || !toJ || toJ === fromJ) continue;
          record(crossings, node, reached, { fromRegion, toRegion, fromJ, toJ, entities });
        }
      }
    }
  }
  return dropCovered([...crossings.values()]);
}

function record(crossings: Map<string, CrossBorderFlow>, origin: GraphNode, reached: Step, r: { fromRegion: string; toRegion: string; fromJ: string; toJ: string; entities: string[] }): void {
  const from = datasetUrn(origin.urn);
  const to = datasetUrn(reached.urn);
  const key = `${from}\n${to}`;
  let flow = crossings.get(key);
  if (!flow) {
    const steps: Step[] = [];
    for (let s: Step | undefined = reached; s; s = s.prev) steps.unshift(s);
    const path: string[] = [];
    for (const s of steps) {
      const d = datasetUrn(s.urn);
      if (path[path.length - 1] !== d) path.push(d);
    }
    const hops = steps.filter((s) => s.edge).map((s): FlowHop => ({ from: s.edge!.from, to: s.edge!.to, kind: s.edge!.kind, rule: s.edge!.evidence.rule, detail: s.edge!.evidence.detail, confidence: s.edge!.confidence }));
    flow = {
      from, to, fromRegion: r.fromRegion, toRegion: r.toRegion, fromJurisdiction: r.fromJ, toJurisdiction: r.toJ,
      entities: [], path, fieldPairs: [], hops, confidence: Math.round(reached.confidence * 1000) / 1000, ...flowSeverity(r.fromJ, r.toJ),
    };
    crossings.set(key, flow);
  }
  flow.entities = [...new Set([...flow.entities, ...r.entities])].sort();
  if (!flow.fieldPairs.some((p) => p.from === origin.urn && p.to === reached.urn)) flow.fieldPairs.push({ from: origin.urn, to: reached.urn, entities: r.entities });
}

/** Drops flows whose origin lies on another flow's path to the same place, carrying no entity it does not. */
function dropCovered(flows: CrossBorderFlow[]): CrossBorderFlow[] {
  return flows.filter((f) => !flows.some((g) => g !== f && g.to === f.to && g.fromJurisdiction === f.fromJurisdiction &&
    g.path.indexOf(f.from) > 0 && f.entities.every((e) => g.entities.includes(e))));
}
