import { EGRESS_RULES } from '../../../core/egress/rules/registry.js';
import type { EgressEdge, EndpointNode } from '../../../core/egress/rule.js';
import { expandProcesses, type ProcessNode } from '../../../core/lineage/process.js';
import type { InferredEdge } from '../../../core/lineage/rule.js';
import type { GraphNode } from '../../../core/model/graph.js';
import { parseUrn } from '../../../core/model/urn.js';
import type { Store } from '../../store/index.js';
import { egressViewOf } from '../egress-view.js';
import { defineAnalyzer } from './analyzer.js';

/** Every edge this analyzer writes has a rule id with this prefix, so a re-run replaces them. */
export const EGRESS_RULE_PREFIX = 'egress.';

const union = (a: unknown, b: string[]): string[] => [...new Set([...(Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : []), ...b])];

/**
 * A process (connector) an egress edge goes through, as a node between its topics and its
 * destination. The lineage analyzer may have written it already (an S3 sink it also knows) or the
 * kafka-connect source captured it: what they wrote is kept, and the egress inputs and outputs added.
 */
function processNode(store: Store, p: ProcessNode, byUrn: Map<string, GraphNode>): Parameters<Store['graph']['upsertNode']>[0] {
  const existing = store.graph.getNode(p.urn);
  const props = existing?.props ?? {};
  const region = existing?.region ?? (p.config ? byUrn.get(p.config)?.region : undefined) ?? byUrn.get(p.inputs[0] ?? '')?.region;
  return {
    urn: p.urn, kind: 'connector', name: existing?.name ?? p.name, source: existing?.source ?? p.source, ...(region ? { region } : {}),
    props: {
      ...(existing ? props : { derivedBy: 'egress' }), process: props.process ?? p.role, ...(p.className && !props.className ? { className: p.className } : {}),
      inputs: union(props.inputs, p.inputs), outputs: union(props.outputs, p.outputs),
      transforms: props.transforms ?? p.transforms, ...(p.config && !props.config ? { config: p.config } : {}),
    },
  };
}

/**
 * Every way data leaves the captured sources (shared/core/egress): connector sinks of any class,
 * Kafka replicators, workloads naming external endpoints, and replication joined to what was
 * captured. Connectors are process nodes (shared/core/lineage/process.ts): a sink's edge
 * topic → endpoint becomes the hops topic → connect://… → endpoint, so every path names the
 * connector. Writes the `egress`/`replicates` edges and the endpoint nodes with their regions.
 */
export const egressAnalyzer = defineAnalyzer({
  name: 'egress',
  order: 25,
  run(store, ctx) {
    const view = egressViewOf(store, { withoutRulePrefix: EGRESS_RULE_PREFIX });
    const inferred: EgressEdge[] = [];
    const endpoints = new Map<string, EndpointNode>();
    for (const rule of EGRESS_RULES) {
      try {
        const r = rule.infer(view);
        inferred.push(...r.edges);
        for (const e of r.endpoints) endpoints.set(e.urn, { ...endpoints.get(e.urn), ...e });
      } catch (err) {
        ctx.log.warn('egress rule failed', { rule: rule.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const expanded = expandProcesses(inferred as InferredEdge[]);
    const processes = expanded.processes;
    // The input hop (topic → connector) stays where the topic is: the destination's fields belong to the output hop.
    const edges = expanded.edges.map((e) => {
      if ((e.evidence as { hop?: string }).hop !== 'input') return e;
      const { region: _r, regionFrom: _f, destination: _d, unresolved: _u, ...evidence } = e.evidence as EgressEdge['evidence'];
      return { ...e, evidence };
    });
    const replicaOf = new Map(inferred.filter((e) => e.to.startsWith('kafka://')).map((e) => [e.to, e.from]));
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(EGRESS_RULE_PREFIX);
      for (const p of processes) store.graph.upsertNode(processNode(store, p, view.byUrn));
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
          const region = (e.evidence as { region?: string }).region;
          store.graph.upsertNode({ urn: e.to, kind: 'topic', name: p.segments[0], source: p.source, ...(region ? { region } : {}), props: { derivedBy: 'egress', replicaOf: replicaOf.get(e.to) ?? e.from } });
        }
        store.graph.upsertEdge(e);
      }
    });
    return { findings: 0, edges: edges.length };
  },
});
