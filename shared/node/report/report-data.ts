import { basename } from 'node:path';
import type { Finding } from '../../core/model/finding.js';
import { DRIFT_UNKNOWNS_META, parseDriftUnknowns, type DriftUnknowns } from '../../core/drift/drift-unknowns.js';
import type { Graph } from '../../core/model/graph.js';
import type { SnapshotInfo, StoredChange, Store, StoredSource } from '../store/index.js';

/** Caps for what one PDF holds; the exports (JSON/CSV/OpenLineage) always carry everything. */
export const REPORT_LIMITS = { rowsPerTable: 1500, graphNodes: 50_000, changes: 5000 };

export interface PiiRow { source: string; urn: string; entity: string; matches: number; sampled: number; confidence: number; examples: string[]; inherited: boolean; severity?: string }

/** Everything the report prints, read from the store once. */
export interface ReportData {
  workspace: string;
  generatedAt: string;
  sources: StoredSource[];
  snapshots: SnapshotInfo[];
  counts: { nodes: number; edges: number };
  findings: Finding[];
  /** Places drift could not judge: printed beside the drift table, never counted in it. */
  driftUnknowns: DriftUnknowns;
  bySeverity: Record<string, Record<string, number>>;
  pii: PiiRow[];
  changes: StoredChange[];
  graph: Graph;
}

const sourceOf = (urn: string): string => {
  const m = /^[a-z0-9]+:\/\/([^/#]+)/.exec(urn);
  try {
    return m ? decodeURIComponent(m[1]) : urn;
  } catch {
    return m![1];
  }
};

export function gatherReportData(store: Store): ReportData {
  const findings = store.findings.list({ limit: 1_000_000 }).map((f) => f.finding);
  const graph = store.graph.all({ limit: REPORT_LIMITS.graphNodes });
  // PII: every finding, plus verdicts on nodes that no finding covers (e.g. inherited through lineage).
  const pii: PiiRow[] = [];
  const covered = new Set<string>();
  for (const f of findings) {
    if (f.type !== 'pii') continue;
    covered.add(`${f.urn}\n${f.entity}`);
    pii.push({ source: sourceOf(f.urn), urn: f.urn, entity: f.entity, matches: f.matches, sampled: f.sampled, confidence: f.confidence, examples: f.examples, inherited: false, severity: f.severity });
  }
  for (const n of store.graph.nodesWhere({ withPii: true })) {
    for (const tag of n.pii ?? []) {
      if (covered.has(`${n.urn}\n${tag.entity}`)) continue;
      pii.push({ source: n.source, urn: n.urn, entity: tag.entity, matches: tag.matches, sampled: tag.sampled, confidence: tag.confidence, examples: tag.examples, inherited: !!tag.inherited });
    }
  }
  pii.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : a.entity < b.entity ? -1 : 1));
  return {
    workspace: basename(store.workspace.path),
    generatedAt: new Date().toISOString(),
    sources: store.sources(),
    snapshots: store.snapshots.list(),
    counts: store.graph.counts(),
    findings,
    driftUnknowns: parseDriftUnknowns(store.meta(DRIFT_UNKNOWNS_META)),
    bySeverity: store.findings.countsBySeverity(),
    pii,
    changes: store.configs.changes({ limit: REPORT_LIMITS.changes }),
    graph,
  };
}
