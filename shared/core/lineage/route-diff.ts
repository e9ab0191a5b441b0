import { connectorsIn } from './connectors.js';
import { mergeEdges } from './infer.js';
import { edgeMask, type EdgeMask, type InferredEdge, type LineageRule, type LineageView } from './rule.js';
import { LINEAGE_RULES } from './rules/registry.js';
import { indexView, presetIndex } from './view-index.js';

/** Connector settings that decide where data goes or how it is masked. */
export const ROUTE_KEYS: RegExp[] = [
  /^connector\.class$/, /^(table|database|column)\.(include|exclude)\.list$/, /^(table|database|column)\.(whitelist|blacklist)$/,
  /^topics(\.regex|\.dir)?$/, /^s3\.bucket\.name$/, /^topic\.prefix$/, /^database\.server\.name$/,
  /^column\.mask\./, /^transforms(\.|$)/, /^connection\.url$/, /^table\.name\.format$/,
];

export interface RouteDiff {
  /** Route-relevant settings that differ, per connector: `s3.bucket.name: lake-cn → lake-eu`. */
  changedKeys: { connector: string; key: string; before?: string; after?: string }[];
  /** Edges only the new configuration implies, and those only the old one did. */
  added: InferredEdge[];
  removed: InferredEdge[];
  /** Hops that were masked before and are not any more (or the reverse), with the connector's process URN (`via`). */
  masksRemoved: { from: string; to: string; via?: string; mask: EdgeMask }[];
  masksAdded: { from: string; to: string; via?: string; mask: EdgeMask }[];
}

const viaOf = (e: InferredEdge): string => (e.evidence as { via?: string }).via ?? '';
/**
 * A route is one connector's edge: (from, to, kind) AND the process it goes through. Two connectors
 * on one pair (one masking, one not) are two routes, so a mask removed from one is never hidden by
 * the other's.
 */
const key = (e: InferredEdge) => `${e.from}\n${e.to}\n${e.kind}\n${viaOf(e)}`;

function edgesFor(view: LineageView, urn: string, content: unknown, rules: LineageRule[]): Map<string, InferredEdge> {
  if (content === undefined || content === null) return new Map();
  // The other objects stay, so workloads' ConfigMaps resolve; only edges read from this object count.
  const configs = [...view.configs.filter((c) => c.urn !== urn), { urn, content }];
  // The same nodes, edges and lookups (and so the same index), other configs.
  const lineageView = presetIndex({ ...view, configs }, indexView(view));
  const byProcess = new Map<string, InferredEdge[]>();
  for (const rule of rules) {
    let edges: InferredEdge[];
    try {
      edges = rule.infer(lineageView);
    } catch {
      continue; // inferLineage reports a failing rule; a route diff just sees no edges from it
    }
    for (const e of edges) {
      if (e.evidence.config !== urn || e.from === e.to) continue;
      const via = viaOf(e);
      (byProcess.get(via) ?? byProcess.set(via, []).get(via)!).push(e);
    }
  }
  // Rules that agree on one connector's edge are merged (mergeEdges); connectors are never merged
  // with each other, field edges included (the graph keeps one field edge per pair, a diff must not).
  const out = new Map<string, InferredEdge>();
  for (const edges of byProcess.values()) for (const e of mergeEdges(edges)) out.set(key(e), e);
  return out;
}

/**
 * What a change to one configuration object does to lineage: the route settings it touches and
 * the edges (with masks) the old and the new version imply over the same captured graph.
 */
export function diffConnectorRoutes(view: LineageView, urn: string, before: unknown, after: unknown, rules: LineageRule[] = LINEAGE_RULES): RouteDiff {
  const changedKeys: RouteDiff['changedKeys'] = [];
  const beforeConnectors = new Map(connectorsIn(urn, before).map((c) => [c.name, c.config]));
  const afterConnectors = new Map(connectorsIn(urn, after).map((c) => [c.name, c.config]));
  for (const name of new Set([...beforeConnectors.keys(), ...afterConnectors.keys()])) {
    const b = beforeConnectors.get(name) ?? {};
    const a = afterConnectors.get(name) ?? {};
    for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      if (b[k] === a[k] || !ROUTE_KEYS.some((re) => re.test(k))) continue;
      // Salts sit in the key name, not the value; values of route keys are names and lists, not secrets.
      changedKeys.push({ connector: name, key: k, ...(b[k] !== undefined ? { before: b[k] } : {}), ...(a[k] !== undefined ? { after: a[k] } : {}) });
    }
  }
  const old = edgesFor(view, urn, before, rules);
  const now = edgesFor(view, urn, after, rules);
  const diff: RouteDiff = { changedKeys, added: [], removed: [], masksRemoved: [], masksAdded: [] };
  for (const [k, e] of now) if (!old.has(k)) diff.added.push(e);
  for (const [k, e] of old) {
    const n = now.get(k);
    if (!n) {
      diff.removed.push(e);
      continue;
    }
    const was = edgeMask(e);
    const is = edgeMask(n);
    const via = viaOf(e) ? { via: viaOf(e) } : {};
    if (was && !is) diff.masksRemoved.push({ from: e.from, to: e.to, ...via, mask: was });
    if (!was && is) diff.masksAdded.push({ from: e.from, to: e.to, ...via, mask: is });
  }
  return diff;
}
