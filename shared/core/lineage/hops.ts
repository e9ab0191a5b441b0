import type { Finding } from '../model/finding.js';
import type { Phrase } from '../model/phrase.js';
import type { EdgeKind, Graph, GraphEdge, GraphNode } from '../model/graph.js';
import { datasetUrn } from '../model/urn.js';
import { jurisdictionOf } from './regions.js';
import { edgeMask, type EdgeMask } from './rule.js';

/**
 * Lineage as an auditor reads it: datasets (tables, topics, object prefixes) with the processes
 * (connectors, sink jobs, workloads) that move data between them, and the hops of a flow finding
 * with their evidence. The studio's cards, its flow view and the PDF report all read lineage here.
 */

/** Edge kinds along which data moves (the rest say how things are configured or who may read them). */
export const DATA_FLOW_KINDS: ReadonlySet<string> = new Set<EdgeKind | string>(['cdc', 'sinks', 'same-values', 'reads', 'writes', 'replicates', 'egress']);

/** Pipelines say how data moves; equal values only that it arrived. Listed in this order. */
const KIND_ORDER = ['cdc', 'sinks', 'replicates', 'writes', 'reads', 'egress', 'same-values'];
export const byKindOrder = (a: string, b: string): number => (KIND_ORDER.indexOf(a) + 100) % 100 - (KIND_ORDER.indexOf(b) + 100) % 100 || a.localeCompare(b);

const PROCESS_K8S_KINDS = /\/(KafkaConnector|Deployment|StatefulSet|DaemonSet|Job|CronJob|ReplicaSet|Pod)\//;

/** Whether a URN names a process: a connector, a sink job, a workload, a replication rule. */
export function isProcessUrn(urn: string, kind?: string): boolean {
  if (kind === 'connector' || kind === 'workload') return true;
  return urn.startsWith('connect://') || urn.startsWith('app://') || (urn.startsWith('k8s://') && PROCESS_K8S_KINDS.test(urn));
}

/**
 * The process an edge passes through, when its evidence names one that is not one of its ends
 * (a sink connector between a topic and a bucket; not the workload of its own `reads` edge).
 */
export function processOf(edge: GraphEdge): string | undefined {
  // Rules that know their process name it as `via` (see process.ts); older evidence only as `config`.
  const { via, config } = edge.evidence as { via?: unknown; config?: unknown };
  const named = typeof via === 'string' ? via : typeof config === 'string' && isProcessUrn(config) ? config : undefined;
  return named === undefined || named === edge.from || named === edge.to ? undefined : named;
}

/** The direction data moves along an edge: a workload's `reads` edge points at what it reads. */
export function flowEnds(edge: Pick<GraphEdge, 'from' | 'to' | 'kind'>): [string, string] {
  return edge.kind === 'reads' ? [edge.to, edge.from] : [edge.from, edge.to];
}

/** The dataset a column or field belongs to; a dataset or process is its own. */
export const datasetOf = (urn: string): string => (urn.includes('#') ? datasetUrn(urn) : urn);

/** One hop between two datasets (or a dataset and a workload), as the edges of the graph show it. */
export interface DatasetHop {
  from: string;
  to: string;
  /** The process the data passes through, if the evidence names one. */
  via?: string;
  kinds: string[];
  /** Field-to-field edges of this hop (dataset-level edges are in `edges` too). */
  fieldEdges: GraphEdge[];
  edges: GraphEdge[];
  confidence: number;
  masks: { field: string; mask: EdgeMask }[];
}

/** Folds data-flow edges into hops between datasets, one per (from, to, process). */
export function datasetHops(edges: readonly GraphEdge[]): DatasetHop[] {
  const hops = new Map<string, DatasetHop>();
  for (const e of edges) {
    if (!DATA_FLOW_KINDS.has(e.kind)) continue;
    const [a, b] = flowEnds(e);
    const from = datasetOf(a), to = datasetOf(b);
    if (from === to) continue;
    const via = processOf(e);
    const key = `${from}\n${to}\n${via ?? ''}`;
    let hop = hops.get(key);
    if (!hop) hops.set(key, (hop = { from, to, via, kinds: [], fieldEdges: [], edges: [], confidence: 0, masks: [] }));
    if (!hop.kinds.includes(e.kind)) hop.kinds.push(e.kind);
    hop.edges.push(e);
    if (e.from.includes('#') && e.to.includes('#')) hop.fieldEdges.push(e);
    hop.confidence = Math.max(hop.confidence, e.confidence);
    const mask = edgeMask(e);
    if (mask) hop.masks.push({ field: a, mask });
  }
  for (const hop of hops.values()) hop.kinds.sort(byKindOrder);
  return [...hops.values()];
}

type FlowFinding = Extract<Finding, { type: 'flow' }>;

/** One hop of a flow finding with what an auditor checks: where, under which law, how sure, why. */
export interface FlowStep {
  from: string;
  to: string;
  via?: string;
  kinds: string[];
  fromRegion?: string;
  toRegion?: string;
  fromJurisdiction?: string;
  toJurisdiction?: string;
  /** True where this hop leaves a jurisdiction. */
  crossesBorder: boolean;
  confidence: number;
  /** Every edge behind the hop, pipelines first: rule, detail, confidence, fields. */
  evidence: { kind: string; from: string; to: string; rule: string; detail: string; phrase?: Phrase; confidence: number; mask?: EdgeMask }[];
}

/**
 * The hops of a flow finding along its path (origin → … → destination), read from the graph:
 * the edges between consecutive datasets of the path, restricted to fields that carry the
 * flow's entities when the graph says which do. A hop the graph does not hold is returned with
 * no evidence, so the caller can say it is missing rather than invent it.
 */
export function flowSteps(finding: FlowFinding, graph: Pick<Graph, 'nodes' | 'edges'>): FlowStep[] {
  const byUrn = new Map<string, GraphNode>(graph.nodes.map((n) => [n.urn, n]));
  const regionOf = (urn: string): string | undefined => byUrn.get(urn)?.region ?? byUrn.get(datasetOf(urn))?.region;
  const carries = (urn: string): boolean => {
    const pii = byUrn.get(urn)?.pii;
    return !pii || pii.length === 0 ? false : pii.some((p) => finding.entities.includes(p.entity));
  };
  const path = finding.path.length >= 2 ? finding.path : [finding.from, finding.to];
  const steps: FlowStep[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const from = path[i], to = path[i + 1];
    const edges = graph.edges.filter((e) => {
      if (!DATA_FLOW_KINDS.has(e.kind)) return false;
      const [a, b] = flowEnds(e);
      return datasetOf(a) === from && datasetOf(b) === to;
    });
    // Field edges of fields that carry the flow's entities, when any are known; else every edge.
    const carrying = edges.filter((e) => !e.from.includes('#') || carries(flowEnds(e)[0]));
    const kept = (carrying.some((e) => e.from.includes('#')) ? carrying : edges).sort((a, b) => byKindOrder(a.kind, b.kind) || b.confidence - a.confidence || a.from.localeCompare(b.from));
    const fromRegion = regionOf(from) ?? (i === 0 ? finding.fromRegion : undefined);
    const toRegion = regionOf(to) ?? (i + 2 === path.length ? finding.toRegion : undefined);
    const fromJ = jurisdictionOf(fromRegion), toJ = jurisdictionOf(toRegion);
    const via = kept.map(processOf).find((p) => p !== undefined);
    steps.push({
      from, to, via,
      kinds: [...new Set(kept.map((e) => e.kind))].sort(byKindOrder),
      fromRegion, toRegion, fromJurisdiction: fromJ, toJurisdiction: toJ,
      crossesBorder: !!fromJ && !!toJ && fromJ !== toJ,
      confidence: kept.length ? Math.max(...kept.filter((e) => e.kind === kept[0].kind).map((e) => e.confidence)) : 0,
      evidence: kept.map((e) => ({ kind: e.kind, from: e.from, to: e.to, rule: e.evidence.rule, detail: e.evidence.detail, ...(e.evidence.phrase && { phrase: e.evidence.phrase }), confidence: e.confidence, mask: edgeMask(e) })),
    });
  }
  return steps;
}
