import { expandProcesses, type ProcessNode } from './process.js';
import type { InferredEdge, LineageRule, LineageView } from './rule.js';
import { LINEAGE_RULES } from './rules/registry.js';

export interface InferenceResult {
  edges: InferredEdge[];
  /** Edges per rule before merging, for the scan report. */
  perRule: Record<string, number>;
  /** A rule that threw: the others still ran. */
  errors: { rule: string; message: string }[];
  /** Processes (connectors…) the edges go through: nodes between datasets (process.ts). */
  processes: ProcessNode[];
}

/**
 * Several rules may infer the same edge (the topic name and the connector config both say
 * table → topic). One edge per (from, to, kind) is kept, as the store keys them (per process too for a
 * dataset-level edge that two processes carry, see below): the most
 * confident rule's evidence, the others listed in `corroboratedBy`, confidence raised by the
 * agreement (noisy-or), and any mask any rule saw — a mask seen in the config holds even if the
 * naming rule could not see it.
 */
export function mergeEdges(edges: InferredEdge[]): InferredEdge[] {
  const byKey = new Map<string, InferredEdge[]>();
  // Two different processes moving A to B (two connectors, each its own node) are two routes: a
  // dataset-level edge keeps its process in the key, so each expands to its own hops. Field edges
  // stay one per (from, to, kind), as the store keys them.
  const viaOf = (e: InferredEdge) => (e.from.includes('#') || e.to.includes('#') ? '' : ((e.evidence as { via?: string }).via ?? ''));
  const viasByPair = new Map<string, Set<string>>();
  for (const e of edges) {
    const pair = `${e.from}\n${e.to}\n${e.kind}`;
    const via = viaOf(e);
    if (via) (viasByPair.get(pair) ?? viasByPair.set(pair, new Set()).get(pair)!).add(via);
  }
  for (const e of edges) {
    const pair = `${e.from}\n${e.to}\n${e.kind}`;
    const vias = viasByPair.get(pair);
    // An edge with no process (the topic-naming rule) corroborates each route of its pair.
    const keys = vias && vias.size > 1 ? (viaOf(e) ? [viaOf(e)] : [...vias]) : [''];
    for (const via of keys) {
      const key = `${pair}\n${via}`;
      const list = byKey.get(key);
      if (list) list.push(e);
      else byKey.set(key, [e]);
    }
  }
  const out: InferredEdge[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      out.push(list[0]);
      continue;
    }
    const sorted = [...list].sort((a, b) => b.confidence - a.confidence);
    const best = sorted[0];
    const others = [...new Set(sorted.slice(1).map((e) => e.evidence.rule).filter((r) => r !== best.evidence.rule))];
    const mask = sorted.find((e) => e.evidence.mask)?.evidence.mask;
    const config = sorted.find((e) => e.evidence.config)?.evidence.config;
    const through = sorted.find((e) => (e.evidence as { via?: string }).via)?.evidence as { via?: string; process?: unknown } | undefined;
    const confidence = 1 - sorted.reduce((p, e) => p * (1 - e.confidence), 1);
    const details = [...new Set(sorted.map((e) => e.evidence.detail))];
    out.push({
      ...best,
      confidence: Math.round(Math.min(0.99, confidence) * 1000) / 1000,
      evidence: {
        ...best.evidence,
        detail: details.join(' | '),
        ...(others.length ? { corroboratedBy: others } : {}),
        ...(mask ? { mask } : {}),
        ...(config ? { config } : {}),
        ...(through?.via ? { via: through.via, process: through.process } : {}),
      },
    });
  }
  return out;
}

/** Runs the rules over the view and merges what they infer. */
/** `expand: false` keeps dataset edges that go through a process whole (A→B with `via`), for comparing routes. */
export function inferLineage(view: LineageView, rules: LineageRule[] = LINEAGE_RULES, options: { expand?: boolean } = {}): InferenceResult {
  const all: InferredEdge[] = [];
  const perRule: Record<string, number> = {};
  const errors: InferenceResult['errors'] = [];
  for (const rule of rules) {
    try {
      const edges = rule.infer(view);
      perRule[rule.id] = edges.length;
      for (const e of edges) all.push(e);
    } catch (err) {
      errors.push({ rule: rule.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  // An edge to itself says nothing and would make closures loop on one node.
  const merged = mergeEdges(all.filter((e) => e.from !== e.to));
  const { edges, processes } = options.expand === false ? { edges: merged, processes: [] } : expandProcesses(merged);
  return { edges, perRule, errors, processes };
}
