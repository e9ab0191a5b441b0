import { assertIntact, openWorkspace, openWorkspaceWriter, type OpenOptions, type Workspace, type WriterOpenOptions } from './workspace.js';
import { describeHolder } from './writer-lock.js';
import { GraphStore } from './graph-store.js';
import { AnalysisReads } from './analysis-reads.js';
import { SnapshotStore } from './snapshot-store.js';
import { ConfigStore } from './config-store.js';
import { FindingStore } from './finding-store.js';
import { makeFingerprinter, workspaceKey } from './keys.js';
import type Database from 'better-sqlite3';

export { SCHEMA_VERSION, APPLICATION_ID, type OpenOptions, type WriterOpenOptions } from './workspace.js';
export { currentWriter, describeHolder, type WriterRecord } from './writer-lock.js';
export type { SnapshotInfo, ScanReport } from './snapshot-store.js';
export type { ConfigVersion, StoredChange } from './config-store.js';

/** A source as kept in the workspace: its sources.yaml entry (secrets by reference) and base folder. */
export interface StoredSource {
  name: string;
  kind: string;
  region: string;
  config: Record<string, unknown>;
  baseDir: string;
}

/** One open workspace with its repositories. Close it when done. */
export class Store {
  readonly graph: GraphStore;
  /** Streamed, indexed reads for the analyzers (analysis-reads.ts). */
  readonly analysis: AnalysisReads;
  readonly snapshots: SnapshotStore;
  readonly configs: ConfigStore;
  readonly findings: FindingStore;
  private fingerprinter?: (v: string) => string;

  private constructor(readonly workspace: Workspace) {
    this.graph = new GraphStore(workspace.db);
    this.analysis = new AnalysisReads(workspace.db);
    this.snapshots = new SnapshotStore(workspace.db);
    this.configs = new ConfigStore(workspace.db);
    this.findings = new FindingStore(workspace.db);
  }

  /**
   * Opens a workspace: read-only (any number of readers, never a write), or as its one writer,
   * claimed at once (WORKSPACE_BUSY names the live holder otherwise). See {@link Store.openWriter}
   * to wait for the writer, {@link Store.openReader} to read a workspace of an older schema.
   */
  static open(path: string, options: OpenOptions = {}): Store {
    return Store.afterOpen(new Store(openWorkspace(path, options)));
  }

  /** Opens a workspace as its one writer, waiting up to `waitMs` for the current writer to finish. */
  static async openWriter(path: string, options: WriterOpenOptions = {}): Promise<Store> {
    return Store.afterOpen(new Store(await openWorkspaceWriter(path, options)));
  }

  /**
   * Opens a workspace to read. One of an older schema is upgraded first — briefly as its writer,
   * waiting up to `waitMs` for a running scan — and then opened read-only.
   */
  static async openReader(path: string, options: { waitMs?: number } = {}): Promise<Store> {
    try {
      return Store.open(path, { readOnly: true });
    } catch (err) {
      if (!(err instanceof Error && (err as { code?: string }).code === 'WORKSPACE_READ_ONLY')) throw err;
      (await Store.openWriter(path, { waitMs: options.waitMs, purpose: 'schema upgrade' })).close();
      return Store.open(path, { readOnly: true });
    }
  }

  /**
   * A writer that took over the claim of a process that is gone marks that process's `running`
   * snapshots abandoned — and only then: readers never do, and a live writer keeps its claim.
   */
  private static afterOpen(store: Store): Store {
    const writer = store.workspace.writer;
    if (writer) store.snapshots.failAbandoned(writer.previous ? `interrupted: ${describeHolder(writer.previous)} ended before the snapshot was complete` : undefined);
    return store;
  }

  get db(): Database.Database {
    return this.workspace.db;
  }

  get readOnly(): boolean {
    return this.workspace.readOnly;
  }

  /** Whether SQLite's quick_check ran when this workspace was opened, and why. */
  get integrity(): Workspace['integrity'] {
    return this.workspace.integrity;
  }

  /** SQLite's quick_check on demand; throws WORKSPACE_CORRUPT naming the file when it finds damage. */
  checkIntegrity(): void {
    assertIntact(this.db, this.workspace.path);
  }

  /** The keyed fingerprint function of this workspace (key kept outside the file). */
  fingerprint(value: string): string {
    this.fingerprinter ??= makeFingerprinter(workspaceKey(this.workspace.id));
    return this.fingerprinter(value);
  }

  transaction<T>(fn: () => T): T {
    return this.workspace.db.transaction(fn)();
  }

  upsertSource(s: StoredSource): void {
    this.db.prepare(`INSERT INTO sources (name, kind, region, config_json, base_dir, updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, region = excluded.region, config_json = excluded.config_json, base_dir = excluded.base_dir, updated_at = excluded.updated_at`)
      .run(s.name, s.kind, s.region, JSON.stringify(s.config), s.baseDir, new Date().toISOString());
  }

  sources(): Array<StoredSource & { updatedAt: string }> {
    return (this.db.prepare(`SELECT * FROM sources ORDER BY name`).all() as Array<{ name: string; kind: string; region: string; config_json: string; base_dir: string; updated_at: string }>)
      .map((r) => ({ name: r.name, kind: r.kind, region: r.region, config: JSON.parse(r.config_json), baseDir: r.base_dir, updatedAt: r.updated_at }));
  }

  checkpoint(source: string, key: string): string | undefined {
    return this.db.prepare(`SELECT value FROM checkpoints WHERE source = ? AND key = ?`).pluck().get(source, key) as string | undefined;
  }

  setCheckpoint(source: string, key: string, value: string, snapshotId: number | null): void {
    this.db.prepare(`INSERT INTO checkpoints (source, key, value, snapshot_id) VALUES (?,?,?,?) ON CONFLICT(source, key) DO UPDATE SET value = excluded.value, snapshot_id = excluded.snapshot_id`).run(source, key, value, snapshotId);
  }

  meta(key: string): string | undefined {
    return this.db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
  }

  close(): void {
    this.workspace.close();
  }
}
