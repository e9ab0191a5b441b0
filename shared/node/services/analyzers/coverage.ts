import { transferCoverage } from '../../../core/egress/coverage.js';
import { phrase, spokenEvidence } from '../../../core/i18n/phrase.js';
import { lawPhrase } from './flows.js';
import { EXPORT_LAWS, jurisdictionOf } from '../../../core/lineage/regions.js';
import type { Finding } from '../../../core/model/finding.js';
import type { Store } from '../../store/index.js';
import { egressViewOf } from '../egress-view.js';
import { defineAnalyzer } from './analyzer.js';

/** Workspace meta key holding the last coverage summary (`{accounted, total}`), for quick display. */
export const COVERAGE_META = 'transferCoverage';

/** Transfer-path coverage of a workspace, computed from its graph and region map. */
export const coverageOf = (store: Store) => {
  const view = egressViewOf(store);
  return transferCoverage(view, view.regionMap);
};

/**
 * Transfer-path coverage after access and egress are known: a `flow` finding for every path that
 * replication or egress takes across a border (pipelines into captured datasets are the flows
 * analyzer's), and the summary "N of M PII datasets fully accounted for".
 */
export const coverageAnalyzer = defineAnalyzer({
  name: 'coverage',
  order: 50,
  run(store) {
    const report = coverageOf(store);
    const findings: Finding[] = [];
    for (const d of report.datasets) {
      for (const p of d.paths) {
        if (p.class !== 'cross-border' || (p.kind !== 'egress' && p.kind !== 'replicates')) continue;
        const fromJ = jurisdictionOf(d.region)!;
        const law = EXPORT_LAWS[fromJ];
        findings.push({
          type: 'flow', rule: `flow.${p.kind}.cross-border`, urn: d.urn, severity: law ? 'high' : 'medium', confidence: 0.9,
          from: d.urn, to: p.to, fromRegion: d.region!, toRegion: p.toRegion!, entities: d.entities, path: [d.urn, ...p.via, p.to], ...(p.hops?.length ? { hops: p.hops } : {}),
          ...spokenEvidence(law
            ? phrase('ev.flow.leavesRestricted', { entities: d.entities.join(', '), region: d.region!, fromJ, toRegion: p.toRegion!, toJ: jurisdictionOf(p.toRegion) ?? '?', kind: p.kind, law: lawPhrase(fromJ, law), evidence: p.evidencePhrase ?? p.evidence })
            : phrase('ev.flow.leaves', { entities: d.entities.join(', '), region: d.region!, fromJ, toRegion: p.toRegion!, toJ: jurisdictionOf(p.toRegion) ?? '?', kind: p.kind, evidence: p.evidencePhrase ?? p.evidence })),
        });
      }
    }
    store.findings.replaceFor('coverage', findings);
    store.setMeta(COVERAGE_META, JSON.stringify({ accounted: report.accounted, total: report.total }));
    return { findings: findings.length };
  },
});
