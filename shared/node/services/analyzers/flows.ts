import { findCrossBorderFlows } from '../../../core/lineage/index.js';
import type { Finding } from '../../../core/model/finding.js';
import { defineAnalyzer } from './analyzer.js';
import { lineageViewOf } from './lineage-view.js';

/**
 * One `flow` finding per path carrying PII from one jurisdiction to another (CN → EU…), over the
 * edges the sources captured and the lineage analyzer inferred, with every hop's evidence.
 */
export const flowsAnalyzer = defineAnalyzer({
  name: 'flows',
  order: 30,
  run(store) {
    const view = lineageViewOf(store);
    const findings: Finding[] = findCrossBorderFlows(view, view.edges).map((f) => ({
      type: 'flow',
      rule: f.law ? `flow.cross-border.${f.fromJurisdiction.toLowerCase()}-export` : 'flow.cross-border',
      urn: f.from,
      severity: f.severity,
      confidence: f.confidence,
      from: f.from,
      to: f.to,
      fromRegion: f.fromRegion,
      toRegion: f.toRegion,
      entities: f.entities,
      path: f.path,
      hops: f.hops,
      evidence: [
        `${f.entities.join(', ')} move from ${f.fromRegion} (${f.fromJurisdiction}) to ${f.toRegion} (${f.toJurisdiction})${f.law ? ` — restricted by ${f.law}` : ''}.`,
        `Fields: ${f.fieldPairs.map((p) => `${(p.from)} → ${(p.to)} [${p.entities.join(', ')}]`).join('; ')}.`,
        `Hops: ${f.hops.map((h) => `${h.kind} ${(h.from)} → ${(h.to)} (${h.rule}, ${h.confidence}): ${h.detail}${h.masks?.length ? ` [masked on this hop: ${h.masks.map((m) => `${m.field} (${m.kind})`).join(', ')}]` : ''}`).join(' ; ')}`,
      ].join(' '),
    }));
    store.findings.replaceFor('flows', findings);
    return { findings: findings.length };
  },
});
