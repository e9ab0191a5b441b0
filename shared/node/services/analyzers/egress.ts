import { EGRESS_RULES } from '../../../core/egress/rules/registry.js';
import type { EgressEdge, EndpointNode } from '../../../core/egress/rule.js';
import { parseUrn } from '../../../core/model/urn.js';
import { egressViewOf } from '../egress-view.js';
import { defineAnalyzer } from './analyzer.js';

/** Every edge this analyzer writes has a rule id with this prefix, so a re-run replaces them. */
export const EGRESS_RULE_PREFIX = 'egress.';

/**
 * Every way data leaves the captured sources (shared/core/egress): connector sinks of any class,
 * Kafka replicators, workloads naming external endpoints, and replication joined to what was
 * captured. Writes the `egress`/`replicates` edges and the endpoint nodes with their regions.
 */
export const egressAnalyzer = defineAnalyzer({
  name: 'egress',
  order: 25,
  run(store, ctx) {
    const view = egressViewOf(store, { withoutRulePrefix: EGRESS_RULE_PREFIX });
    const edges: EgressEdge[] = [];
    const endpoints = new Map<string, EndpointNode>();
    for (const rule of EGRESS_RULES) {
      try {
        const r = rule.infer(view);
        edges.push(...r.edges);
        for (const e of r.endpoints) endpoints.set(e.urn, { ...endpoints.get(e.urn), ...e });
      } catch (err) {
        ctx.log.warn('egress rule failed', { rule: rule.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(EGRESS_RULE_PREFIX);
      for (const e of endpoints.values()) {
        const existing = store.graph.getNode(e.urn);
        const host = parseUrn(e.urn).source;
        store.graph.upsertNode({
          urn: e.urn, kind: 'endpoint', name: existing && existing.kind === 'endpoint' ? existing.name : e.name, source: existing?.source ?? host,
          region: e.region ?? (existing?.kind === 'endpoint' ? existing.region : undefined),
          props: { ...(existing?.kind === 'endpoint' ? existing.props : {}), ...(e.regionFrom && { regionFrom: e.regionFrom }), derivedBy: 'egress' },
        });
      }
      for (const e of edges) {
        if (!store.graph.getNode(e.to)) {
          const p = parseUrn(e.to);
          // A replicated topic the target cluster's capture did not list: a node of its own, in that cluster's region.
          if (p.scheme !== 'kafka') continue;
          store.graph.upsertNode({ urn: e.to, kind: 'topic', name: p.segments[0], source: p.source, region: e.evidence.region, props: { derivedBy: 'egress', replicaOf: e.from } });
        }
        store.graph.upsertEdge(e);
      }
    });
    return { findings: 0, edges: edges.length };
  },
});
