import type Database from 'better-sqlite3';
import { snapshotSchema, type Snapshot, type ScanReport } from '../../core/model/snapshot.js';

export const snapshotInfoSchema = snapshotSchema;
export type SnapshotInfo = Snapshot;
export type { ScanReport };

interface SnapshotRow { id: number; source: string; status: SnapshotInfo['status']; started_at: string; finished_at: string | null; prev_id: number | null; content_hash: string | null; stats_json: string; report_json: string }

const toInfo = (r: SnapshotRow): SnapshotInfo => snapshotInfoSchema.parse({
  id: r.id, source: r.source, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
  prevId: r.prev_id, contentHash: r.content_hash, stats: JSON.parse(r.stats_json), report: JSON.parse(r.report_json),
});

/** Snapshots are immutable once finished: only 'running' rows are ever updated. */
export class SnapshotStore {
  constructor(private readonly db: Database.Database) {}

  begin(source: string, startedAt = new Date().toISOString()): number {
    const prev = this.db.prepare(`SELECT id FROM snapshots WHERE source = ? AND status = 'complete' ORDER BY id DESC LIMIT 1`).pluck().get(source) as number | undefined;
    return Number(this.db.prepare(`INSERT INTO snapshots (source, status, started_at, prev_id) VALUES (?, 'running', ?, ?)`).run(source, startedAt, prev ?? null).lastInsertRowid);
  }

  finish(id: number, status: Exclude<SnapshotInfo['status'], 'running'>, fields: { contentHash?: string; stats: Record<string, number>; report: ScanReport }): void {
    this.db.prepare(`UPDATE snapshots SET status = ?, finished_at = ?, content_hash = ?, stats_json = ?, report_json = ? WHERE id = ? AND status = 'running'`)
      .run(status, new Date().toISOString(), fields.contentHash ?? null, JSON.stringify(fields.stats), JSON.stringify(fields.report), id);
  }

  get(id: number): SnapshotInfo | undefined {
    const row = this.db.prepare(`SELECT * FROM snapshots WHERE id = ?`).get(id) as SnapshotRow | undefined;
    return row ? toInfo(row) : undefined;
  }

  list(source?: string): SnapshotInfo[] {
    const rows = source
      ? this.db.prepare(`SELECT * FROM snapshots WHERE source = ? ORDER BY id`).all(source)
      : this.db.prepare(`SELECT * FROM snapshots ORDER BY id`).all();
    return (rows as SnapshotRow[]).map(toInfo);
  }

  /**
   * Snapshots left 'running' by a process that is gone are marked failed, so none stays half-done.
   * Only the workspace's writer calls this, right after claiming the workspace — so no live process
   * is still writing any of them (store/writer-lock.ts).
   */
  failAbandoned(reason = 'interrupted: the scan process ended before the snapshot was complete'): number {
    return this.db.prepare(`UPDATE snapshots SET status = 'failed', finished_at = ?, report_json = json_set(report_json, '$.error', ?) WHERE status = 'running'`).run(new Date().toISOString(), reason).changes;
  }
}
