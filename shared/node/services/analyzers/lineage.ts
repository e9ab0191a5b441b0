import { hasProcessProps, inferLineage, mergePii, propagatePii, withoutProcessProps } from '../../../core/lineage/index.js';
import { defineAnalyzer } from './analyzer.js';
import { lineageViewOf } from './lineage-view.js';

/** Every edge this analyzer writes has a rule id with this prefix, so a re-run replaces them all. */
export const LINEAGE_RULE_PREFIX = 'lineage.';

/**
 * Infers lineage edges with the lineage rules (CDC naming, connector configs, workload
 * references, value fingerprints), replaces the ones inferred before, and writes the PII each
 * field inherits along them (a node keeps its own verdicts; inherited ones are recomputed).
 */
export const lineageAnalyzer = defineAnalyzer({
  name: 'lineage',
  order: 20,
  async run(store, ctx) {
    const view = lineageViewOf(store, { withoutRulePrefix: LINEAGE_RULE_PREFIX });
    const { edges, perRule, errors, processes } = inferLineage(view);
    for (const e of errors) ctx.log.warn('lineage rule failed', e);
    // An edge a source captured itself is a fact; an inference must not overwrite its evidence
    // (and would then be deleted with ours on the next run).
    const captured = new Set(view.edges.map((e) => `${e.from}\n${e.to}\n${e.kind}`));
    const toWrite = edges.filter((e) => !captured.has(`${e.from}\n${e.to}\n${e.kind}`));
    const { inherited, blocked } = propagatePii(view, [...view.edges, ...toWrite]);
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(LINEAGE_RULE_PREFIX);
      // A node that was a process on an earlier run and is not one now loses its process props.
      const current = new Set(processes.map((p) => p.urn));
      for (const n of view.nodes) if (!current.has(n.urn) && hasProcessProps(n.props)) store.graph.setNodeProps(n.urn, withoutProcessProps(n.props));
      // Processes (connectors) are nodes between datasets: the hops below start or end at them.
      for (const p of processes) {
        const region = (p.config ? view.byUrn.get(p.config)?.region : undefined) ?? view.byUrn.get(p.inputs[0] ?? '')?.region;
        const existing = view.byUrn.get(p.urn);
        store.graph.upsertNode({
          urn: p.urn, kind: 'connector', name: p.name, source: p.source, ...(region ? { region } : {}),
          // A captured connector (Connect REST) keeps what its source saw (state, tasks); lineage adds its
          // hops afresh (never an earlier run's config or evidence); a node lineage made says so.
          props: { ...(existing ? withoutProcessProps(existing.props) : { derivedBy: 'lineage' }), process: p.role, ...(p.className ? { className: p.className } : {}), inputs: p.inputs, outputs: p.outputs, transforms: p.transforms, masks: p.masks.map((m) => ({ field: m.field, kind: m.mask.kind, detail: m.mask.detail })), ...(p.config ? { config: p.config } : {}), ...(p.evidence && p.evidence.length > 1 ? { evidence: p.evidence } : {}) },
        });
      }
      toWrite.forEach((e, i) => {
        store.graph.upsertEdge(e);
        if (i % 5000 === 0) ctx.progress(i, toWrite.length, 'edges');
      });
      // Fields that held inherited verdicts are in the view (they carry PII); a field inheriting for
      // the first time may be one the view only looks up (a plain column until this run's edges).
      for (const node of view.nodes) {
        const had = (node.pii ?? []).some((t) => t.inherited);
        if (had && !inherited.has(node.urn)) store.graph.setNodePii(node.urn, mergePii(node, undefined));
      }
      for (const [urn, gets] of inherited) store.graph.setNodePii(urn, mergePii(view.byUrn.get(urn), gets));
    });
    ctx.log.info('lineage inferred', { edges: toWrite.length, processes: processes.length, perRule, inheritedFields: inherited.size, blockedByMasks: blocked.length });
    return { findings: 0, edges: toWrite.length };
  },
});
