import type Database from 'better-sqlite3';

export interface ConfigVersion {
  id: number;
  urn: string;
  origin: 'live' | 'desired';
  snapshotId: number | null;
  contentHash: string;
  content: unknown;
  author: string | null;
  time: string;
  message: string | null;
  revision: string | null;
}

export interface StoredChange {
  id: number;
  urn: string;
  origin: string;
  change: 'added' | 'removed' | 'modified';
  patch: unknown[];
  time: string;
  author: string | null;
  fromVersion: number | null;
  toVersion: number | null;
}

interface VersionRow { id: number; urn: string; origin: 'live' | 'desired'; snapshot_id: number | null; content_hash: string; content_json: string; author: string | null; time: string; message: string | null; revision: string | null }
const toVersion = (r: VersionRow): ConfigVersion => ({
  id: r.id, urn: r.urn, origin: r.origin, snapshotId: r.snapshot_id, contentHash: r.content_hash, content: JSON.parse(r.content_json),
  author: r.author, time: r.time, message: r.message, revision: r.revision,
});

/** Config versions (canonical JSON + hash) and the changes (JSON patches) between them. */
export class ConfigStore {
  constructor(private readonly db: Database.Database) {}

  /** The newest version of an object from one origin, if any. */
  latest(urn: string, origin: 'live' | 'desired'): ConfigVersion | undefined {
    const row = this.db.prepare(`SELECT * FROM config_versions WHERE urn = ? AND origin = ? ORDER BY id DESC LIMIT 1`).get(urn, origin) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  /** Adds a version; returns its id. Identical content with the same revision is not duplicated. */
  add(v: Omit<ConfigVersion, 'id' | 'content'> & { contentJson: string }): number {
    const dup = this.db.prepare(`SELECT id FROM config_versions WHERE urn = ? AND origin = ? AND content_hash = ? AND IFNULL(revision, '') = IFNULL(?, '') AND IFNULL(snapshot_id, -1) = IFNULL(?, -1)`)
      .pluck().get(v.urn, v.origin, v.contentHash, v.revision, v.snapshotId) as number | undefined;
    if (dup !== undefined) return dup;
    return Number(this.db.prepare(`INSERT INTO config_versions (urn, origin, snapshot_id, content_hash, content_json, author, time, message, revision) VALUES (?,?,?,?,?,?,?,?,?)`)
      .run(v.urn, v.origin, v.snapshotId, v.contentHash, v.contentJson, v.author, v.time, v.message, v.revision).lastInsertRowid);
  }

  addChange(c: Omit<StoredChange, 'id'>): void {
    this.db.prepare(`INSERT INTO changes (urn, origin, from_version, to_version, change, patch_json, time, author) VALUES (?,?,?,?,?,?,?,?)`)
      .run(c.urn, c.origin, c.fromVersion, c.toVersion, c.change, JSON.stringify(c.patch), c.time, c.author);
  }

  versions(urn: string, origin?: 'live' | 'desired'): ConfigVersion[] {
    const rows = origin
      ? this.db.prepare(`SELECT * FROM config_versions WHERE urn = ? AND origin = ? ORDER BY time, id`).all(urn, origin)
      : this.db.prepare(`SELECT * FROM config_versions WHERE urn = ? ORDER BY time, id`).all(urn);
    return (rows as VersionRow[]).map(toVersion);
  }

  /** Latest version of every existing object of one origin (or all versions of one snapshot), for drift. */
  latestAll(origin: 'live' | 'desired', snapshotId?: number): ConfigVersion[] {
    const rows = snapshotId !== undefined
      ? this.db.prepare(`SELECT * FROM config_versions WHERE origin = ? AND snapshot_id = ? ORDER BY id`).all(origin, snapshotId)
      // A tombstone (content null: removed at the source) means the object no longer exists.
      : this.db.prepare(`SELECT v.* FROM config_versions v JOIN (SELECT urn, MAX(id) AS id FROM config_versions WHERE origin = ? GROUP BY urn) m ON m.id = v.id WHERE v.content_json <> 'null' ORDER BY v.urn`).all(origin);
    return (rows as VersionRow[]).map(toVersion);
  }

  changes(filter: { urn?: string; urnPrefix?: string; limit?: number } = {}): StoredChange[] {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (filter.urn) { clauses.push('urn = ?'); args.push(filter.urn); }
    if (filter.urnPrefix) { clauses.push(`substr(urn, 1, ?) = ?`); args.push(filter.urnPrefix.length, filter.urnPrefix); }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT * FROM changes ${where} ORDER BY time, id LIMIT ?`).all(...args, filter.limit ?? 10_000) as Array<{ id: number; urn: string; origin: string; change: StoredChange['change']; patch_json: string; time: string; author: string | null; from_version: number | null; to_version: number | null }>;
    return rows.map((r) => ({ id: r.id, urn: r.urn, origin: r.origin, change: r.change, patch: JSON.parse(r.patch_json), time: r.time, author: r.author, fromVersion: r.from_version, toVersion: r.to_version }));
  }

  setSchema(source: string, kind: string, schema: unknown): void {
    this.db.prepare(`INSERT INTO schemas (source, kind, schema_json) VALUES (?, ?, ?) ON CONFLICT(source, kind) DO UPDATE SET schema_json = excluded.schema_json`).run(source, kind, JSON.stringify(schema));
  }

  schema(kind: string): unknown | undefined {
    const row = this.db.prepare(`SELECT schema_json FROM schemas WHERE lower(kind) = lower(?) ORDER BY source LIMIT 1`).pluck().get(kind) as string | undefined;
    return row ? JSON.parse(row) : undefined;
  }

  schemaKinds(): string[] {
    return this.db.prepare(`SELECT DISTINCT kind FROM schemas ORDER BY kind`).pluck().all() as string[];
  }
}
