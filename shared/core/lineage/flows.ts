import type { GraphEdge, GraphNode } from '../model/graph.js';
import { isPhrase, type Phrase } from '../model/phrase.js';
import type { Severity } from '../model/finding.js';
import { datasetUrn } from '../model/urn.js';
import { ownPii, PROPAGATING_EDGES } from './propagate.js';
import { EXPORT_LAWS, jurisdictionOf } from './regions.js';
import { edgeMask, type LineageView } from './rule.js';

/**
 * One hop of a flow between datasets and processes (table → connector → topic → connector → prefix),
 * with why we believe it and what the hop does to the values: the masks applied on it (a masked
 * field does not carry its entity on) and the transforms of the process.
 */
export interface FlowHop {
  from: string;
  to: string;
  kind: GraphEdge['kind'];
  rule: string;
  detail: string;
  /** `detail` as a phrase, said in the reader's language. */
  phrase?: Phrase;
  confidence: number;
  /** The configuration object the hop was read from (a connector CR, a Connect REST capture). */
  config?: string;
  /** Fields whose values this hop replaces (the entity stops here), `field → mask`. */
  masks?: { field: string; kind: string; detail: string; phrase?: Phrase }[];
  /** The process's Single Message Transforms, in order. */
  transforms?: { alias: string; type: string }[];
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
  /** Dataset and process URNs along the way (table → connector → topic → sink connector → prefix). */
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
  // Processes are crossed, not stopped at: their input → output pairs become dataset steps via the process.
  const processIn = new Map<string, GraphEdge[]>();
  const processOut = new Map<string, GraphEdge[]>();
  const masksVia = new Map<string, { field: string; kind: string; detail: string; phrase?: Phrase }[]>();
  for (const e of edges) {
    if (!DATASET_FLOW_KINDS.has(e.kind)) continue;
    const via = viaOf(e);
    const mask = edgeMask(e);
    if (via && mask && e.from.includes('#')) {
      const list = masksVia.get(via) ?? [];
      if (!list.some((m) => m.field === e.from)) list.push({ field: e.from, kind: mask.kind, detail: mask.detail, ...(mask.phrase && { phrase: mask.phrase }) });
      masksVia.set(via, list);
    }
    if (e.to.startsWith('connect://') && !e.from.includes('#')) push(processIn, e.to, e);
    if (e.from.startsWith('connect://') && !e.to.includes('#')) push(processOut, e.from, e);
  }
  for (const [p, ins] of processIn) {
    for (const i of ins) {
      for (const o of processOut.get(p) ?? []) {
        if (mappedPairs.has(`${i.from}\n${o.to}`) || edgeMask(o)) continue;
        push(datasetOut, i.from, { from: i.from, to: o.to, kind: o.kind, confidence: Math.min(i.confidence, o.confidence), evidence: { ...o.evidence, via: p, inputDetail: i.evidence.detail, ...(i.evidence.phrase && { inputPhrase: i.evidence.phrase }) } });
      }
    }
  }
  for (const e of edges) {
    if (!DATASET_FLOW_KINDS.has(e.kind) || e.from.includes('#') || e.to.includes('#') || edgeMask(e)) continue;
    if (e.from.startsWith('connect://') || e.to.startsWith('connect://')) continue;
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
          // A destination is where a hop enters another jurisdiction, not every place downstream of it.
          const prevJ = jurisdictionOf(regionOf(step.urn));
          if (prevJ !== undefined && prevJ === toJ) continue;
          record(crossings, node, reached, { fromRegion, toRegion, fromJ, toJ, entities }, masksVia);
        }
      }
    }
  }
  return dropCovered([...crossings.values()]);
}

const viaOf = (e: GraphEdge): string | undefined => {
  const v = (e.evidence as { via?: unknown }).via;
  return typeof v === 'string' ? v : undefined;
};

function record(crossings: Map<string, CrossBorderFlow>, origin: GraphNode, reached: Step, r: { fromRegion: string; toRegion: string; fromJ: string; toJ: string; entities: string[] }, masksVia: Map<string, { field: string; kind: string; detail: string; phrase?: Phrase }[]>): void {
  const from = datasetUrn(origin.urn);
  const to = datasetUrn(reached.urn);
  const key = `${from}\n${to}`;
  let flow = crossings.get(key);
  if (!flow) {
    const steps: Step[] = [];
    for (let s: Step | undefined = reached; s; s = s.prev) steps.unshift(s);
    const path: string[] = [];
    const hops: FlowHop[] = [];
    const addHop = (h: FlowHop) => {
      if (h.from === h.to || hops.some((x) => x.from === h.from && x.to === h.to)) return;
      hops.push(h);
    };
    for (const s of steps) {
      const d = datasetUrn(s.urn);
      const e = s.edge;
      const via = e ? viaOf(e) : undefined;
      const prev = path[path.length - 1];
      if (e && prev !== undefined && prev !== d) {
        const config = typeof e.evidence.config === 'string' ? e.evidence.config : undefined;
        if (via) {
          const process = (e.evidence as { process?: { name?: string; className?: string; transforms?: { alias: string; type: string }[] } }).process;
          const masks = (masksVia.get(via) ?? []).filter((m) => datasetUrn(m.field) === prev);
          const inputDetail = typeof e.evidence.inputDetail === 'string' ? e.evidence.inputDetail : `${process?.name ?? via}${process?.className ? ` (${process.className})` : ''} reads ${prev}`;
          const inputPhrase = isPhrase(e.evidence.inputPhrase) && typeof e.evidence.inputDetail === 'string' ? e.evidence.inputPhrase : undefined;
          addHop({ from: prev, to: via, kind: e.kind, rule: e.evidence.rule, detail: inputDetail, ...(inputPhrase && { phrase: inputPhrase }), confidence: e.confidence, ...(config ? { config } : {}) });
          addHop({ from: via, to: d, kind: e.kind, rule: e.evidence.rule, detail: e.evidence.detail, ...(e.evidence.phrase && { phrase: e.evidence.phrase }), confidence: e.confidence, ...(config ? { config } : {}), ...(masks.length ? { masks } : {}), ...(process?.transforms?.length ? { transforms: process.transforms } : {}) });
          path.push(via);
        } else {
          addHop({ from: prev, to: d, kind: e.kind, rule: e.evidence.rule, detail: e.evidence.detail, ...(e.evidence.phrase && { phrase: e.evidence.phrase }), confidence: e.confidence, ...(config ? { config } : {}) });
        }
      }
      if (path[path.length - 1] !== d) path.push(d);
    }
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
