import { mysqlUrn } from '../../../core/model/urn.js';
import type { CaptureRecord } from '../source.js';
import { ColumnProfile } from './profile.js';
import { isBinaryColumn, tableDefinition, type ColumnInfo, type DatabaseInfo, type TableInfo } from './schema.js';

/** Row-event counts of one table, from the binlog. */
export interface CdcCounts {
  inserts: number;
  updates: number;
  deletes: number;
  /** `file:pos` of the last committed transaction counted. */
  lastPosition?: string;
  /** Row images counted but not classified: their columns were unproven at their position (a gap in the scan report). */
  unattributed?: number;
}

/**
 * Everything the source knows about one table while it captures: its schema, one profile per column
 * (sample + streamed values), how it was sampled and its binlog counts. Records are built from it
 * whenever it changes, so a re-yielded node always carries complete props.
 */
export class TableModel {
  readonly profiles = new Map<string, ColumnProfile>();
  coverage: string | undefined;
  cdc: CdcCounts | undefined;

  constructor(
    public info: TableInfo,
    private readonly fingerprint: (normalized: string) => string,
  ) {
    this.syncColumns();
  }

  /** Adopts a new definition (after DDL), keeping the profiles of columns that still exist. */
  replaceInfo(info: TableInfo): void {
    this.info = info;
    this.syncColumns();
  }

  private syncColumns(): void {
    const names = new Set(this.info.columns.map((c) => c.name));
    for (const name of [...this.profiles.keys()]) if (!names.has(name)) this.profiles.delete(name);
    for (const c of this.info.columns) {
      if (!this.profiles.has(c.name)) this.profiles.set(c.name, new ColumnProfile(c.name, isBinaryColumn(c), this.fingerprint));
    }
  }

  /**
   * Adopts the definition the schema history holds after DDL, keeping every profile: a column dropped
   * now held its values before, and the sample phase may know columns the binlog reaches only later.
   */
  adoptDefinition(info: TableInfo): void {
    const names = new Set(info.columns.map((c) => c.name));
    this.info = { ...info, columns: [...info.columns, ...this.info.columns.filter((c) => !names.has(c.name))] };
    this.syncColumns();
  }

  /** A RENAME COLUMN/CHANGE: what was learnt under the old name belongs to the new one. */
  renameColumn(from: string, to: string): void {
    const p = this.profiles.get(from);
    if (!p || from === to) return;
    this.profiles.delete(from);
    const existing = this.profiles.get(to);
    this.profiles.set(to, existing ? existing.absorb(p) : p.renamed(to));
    const col = this.info.columns.find((c) => c.name === from);
    if (col && !this.info.columns.some((c) => c.name === to)) col.name = to;
    else this.info.columns = this.info.columns.filter((c) => c.name !== from);
  }

  /** A column the schema did not know (offline binlogs, or a row image after an unseen ALTER). */
  profile(name: string, binary = false): ColumnProfile {
    let p = this.profiles.get(name);
    if (!p) {
      this.info.columns.push({ name, type: binary ? 'binary' : 'unknown', dataType: binary ? 'blob' : 'unknown', key: '', nullable: true, default: null, extra: '', comment: '', charset: null });
      this.profiles.set(name, (p = new ColumnProfile(name, binary, this.fingerprint)));
    }
    return p;
  }
}

const schemaEdge = (from: string, to: string, detail: string): CaptureRecord => ({
  type: 'edge',
  edge: { from, to, kind: 'contains', confidence: 1, evidence: { rule: 'mysql.schema', detail } },
});

export function databaseRecords(source: string, db: Pick<DatabaseInfo, 'name'> & Partial<DatabaseInfo>): CaptureRecord[] {
  const props: Record<string, unknown> = {};
  if (db.charset) props.charset = db.charset;
  if (db.collation) props.collation = db.collation;
  if (db.tables) props.tables = db.tables.length;
  return [{ type: 'node', node: { urn: mysqlUrn(source, db.name), kind: 'database', name: db.name, source, props } }];
}

/** The table node and its `contains` edge from the database. */
export function tableRecords(source: string, m: TableModel): CaptureRecord[] {
  const t = m.info;
  const dbUrn = mysqlUrn(source, t.database);
  const urn = mysqlUrn(source, t.database, t.name);
  const props: Record<string, unknown> = { engine: t.engine, rowsEstimate: t.rowsEstimate, comment: t.comment, primaryKey: t.primaryKey };
  if (m.coverage) props.coverage = m.coverage;
  if (m.cdc) props.cdc = { ...m.cdc };
  return [
    { type: 'node', node: { urn, kind: 'table', name: t.name, source, parent: dbUrn, props } },
    schemaEdge(dbUrn, urn, `table ${t.database}.${t.name}`),
  ];
}

export function columnRecords(source: string, m: TableModel, column: ColumnInfo): CaptureRecord[] {
  const t = m.info;
  const tableUrn = mysqlUrn(source, t.database, t.name);
  const urn = mysqlUrn(source, t.database, t.name, column.name);
  const p = m.profiles.get(column.name)!;
  const props: Record<string, unknown> = {
    type: column.type, key: column.key, nullable: column.nullable, comment: column.comment,
    coverage: p.binary ? 'binary column: not classified as text' : streamedCoverage(m.coverage, p.streamedValues, m.cdc?.unattributed, p.classifiedValues),
    fingerprints: [...p.fingerprints],
  };
  if (p.binary) props.binary = true;
  return [
    { type: 'node', node: { urn, kind: 'column', name: column.name, source, parent: tableUrn, props, pii: p.verdicts() } },
    schemaEdge(tableUrn, urn, `column ${t.name}.${column.name} ${column.type}`),
  ];
}

function streamedCoverage(coverage: string | undefined, streamed: number, unattributed = 0, classified = streamed): string {
  const unproven = unattributed > 0 ? `; ${unattributed} row image${unattributed === 1 ? '' : 's'} of this table not classified (columns unproven at their binlog position: see the scan report)` : '';
  if (streamed === 0) return (coverage ?? 'not sampled') + unproven;
  const events = `${streamed} value${streamed === 1 ? '' : 's'} from binlog row events${classified < streamed ? ` (${classified} of them in the classified sample, uniform over the stream)` : ''}`;
  return (coverage ? `${coverage}; ${events}` : events) + unproven;
}

/** The table's DDL-level definition as a live config: schema changes become config changes of the table. */
export function tableConfigRecord(source: string, t: TableInfo): CaptureRecord {
  return { type: 'config', urn: mysqlUrn(source, t.database, t.name), content: tableDefinition(t), origin: 'live' };
}

/** Table node, column nodes, edges and (for live schemas) the config record of one table. */
export function allTableRecords(source: string, m: TableModel, withConfig: boolean): CaptureRecord[] {
  const out = tableRecords(source, m);
  for (const c of m.info.columns) out.push(...columnRecords(source, m, c));
  if (withConfig) out.push(tableConfigRecord(source, m.info));
  return out;
}
