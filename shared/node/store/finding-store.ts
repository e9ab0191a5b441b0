import type Database from 'better-sqlite3';
import { findingSchema, severityRank, type Finding, type FindingType, type StoredFinding } from '../../core/model/finding.js';

/** Findings; each has a producer (a source or analyzer) that replaces its own findings when it runs again. */
export class FindingStore {
  constructor(private readonly db: Database.Database) {}

  add(finding: Finding, producer: string, snapshotId: number | null = null): void {
    const f = findingSchema.parse(finding);
    this.db.prepare(`INSERT INTO findings (type, rule, urn, severity, confidence, snapshot_id, producer, finding_json) VALUES (?,?,?,?,?,?,?,?)`)
      .run(f.type, f.rule, f.urn, f.severity, f.confidence, snapshotId, producer, JSON.stringify(f));
  }

  replaceFor(producer: string, findings: Finding[], snapshotId: number | null = null): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM findings WHERE producer = ?`).run(producer);
      for (const f of findings) this.add(f, producer, snapshotId);
    })();
  }

  list(filter: { type?: FindingType; urn?: string; minSeverity?: Finding['severity']; limit?: number } = {}): StoredFinding[] {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (filter.type) { clauses.push('type = ?'); args.push(filter.type); }
    if (filter.urn) { clauses.push('urn = ?'); args.push(filter.urn); }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT id, snapshot_id, finding_json FROM findings ${where} ORDER BY id LIMIT ?`).all(...args, filter.limit ?? 100_000) as Array<{ id: number; snapshot_id: number | null; finding_json: string }>;
    const min = filter.minSeverity ? severityRank(filter.minSeverity) : -1;
    return rows
      .map((r) => ({ id: r.id, snapshotId: r.snapshot_id, finding: JSON.parse(r.finding_json) as Finding }))
      .filter((f) => severityRank(f.finding.severity) >= min)
      .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || b.finding.confidence - a.finding.confidence || a.id - b.id);
  }

  countsBySeverity(): Record<string, Record<string, number>> {
    const rows = this.db.prepare(`SELECT type, severity, count(*) AS n FROM findings GROUP BY type, severity`).all() as Array<{ type: string; severity: string; n: number }>;
    const out: Record<string, Record<string, number>> = {};
    for (const r of rows) (out[r.type] ??= {})[r.severity] = r.n;
    return out;
  }
}
