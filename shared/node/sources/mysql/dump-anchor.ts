import { basename } from 'node:path';
import { parseDdl } from './ddl.js';
import { SchemaHistory } from './schema-history.js';

/**
 * Where a `mysqldump --master-data=2 --no-data` (or mariadb-dump, or --dump-slave) schema file was
 * taken: `CHANGE MASTER TO MASTER_LOG_FILE='…', MASTER_LOG_POS=…` and, from MariaDB, the
 * `SET GLOBAL gtid_slave_pos='…'` comment. The dump's definitions are the schema AT that position:
 * DDL before it is already in them, DDL after it applies on top.
 */
export interface DumpAnchor {
  file: string;
  pos: number;
  /** Last GTID sequence number per replication domain at the dump (MariaDB), when the dump names it. */
  gtids?: Map<number, number>;
}

/** A GTID as MariaDB writes it: domain-server-sequence. */
export interface Gtid {
  domain: number;
  server: number;
  seq: number;
}

export interface SchemaDump {
  /** The definitions of the dump's tables (a history of their CREATE TABLE statements). */
  definitions: SchemaHistory;
  /** The databases the dump covers: a table of one of them that the dump lacks did not exist at its position. */
  databases: Set<string>;
  anchor?: DumpAnchor;
}

/** Reads the definitions and the position of a schema dump's text. `label` names it in provenance. */
export function parseSchemaDump(text: string, label: string): SchemaDump {
  const at = /CHANGE MASTER TO MASTER_LOG_FILE='([^']+)',\s*MASTER_LOG_POS=(\d+)/.exec(text);
  const gtidText = /SET GLOBAL gtid_slave_pos='([\d\-, ]*)'/.exec(text);
  let anchor: DumpAnchor | undefined;
  if (at) {
    anchor = { file: at[1], pos: Number(at[2]) };
    if (gtidText) {
      anchor.gtids = new Map();
      for (const one of gtidText[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        const g = parseGtid(one);
        if (g) anchor.gtids.set(g.domain, g.seq);
      }
    }
  }
  const where = anchor ? `${anchor.file}:${anchor.pos}` : 'an unnamed position';
  const definitions = new SchemaHistory();
  const databases = new Set<string>();
  let db = '';
  for (const raw of text.replace(/^--.*$/gm, '').split(/;\s*$/m)) {
    const stmt = raw.replace(/\/\*![0-9]+\s*([\s\S]*?)\*\//g, (_m, inner: string) => (/^\s*SET\b/i.test(inner) ? '' : inner)).trim();
    const use = /^USE\s+`((?:[^`]|``)+)`/i.exec(stmt);
    if (use) {
      db = use[1].replace(/``/g, '`');
      databases.add(db);
      continue;
    }
    for (const change of parseDdl(stmt, db)) if (change.kind === 'create') definitions.apply(change, `${where} (schemaFile ${label})`);
  }
  return { definitions, databases, anchor };
}

export function parseGtid(text: string): Gtid | undefined {
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(text.trim());
  return m ? { domain: Number(m[1]), server: Number(m[2]), seq: Number(m[3]) } : undefined;
}

/** Binlog files are `<base>.<number>`: their order is the number's. */
function sequenceOf(file: string): { base: string; n: number } | undefined {
  const m = /^(.*)\.(\d+)$/.exec(basename(file));
  return m ? { base: m[1], n: Number(m[2]) } : undefined;
}

/** Where one event of the scanned file stands relative to the dump. */
export type Placement =
  | { side: 'before' }
  | { side: 'after' }
  /** The event is after the dump, but events between the dump and it may be missing from the scan. */
  | { side: 'unplaceable'; reason: string };

/**
 * Places the events of one scanned binlog (in file order) against a dump's position, only where that
 * is provable: by file and position when the scanned file is the raw binlog the dump names (or an
 * earlier one of the same series), by GTID when the dump and the listing both carry them. The first
 * event after the dump must follow it with nothing unseen in between (the same file, or a listing that
 * also holds events from before the dump, or the dump's next GTID); otherwise DDL between the two may
 * be missing and the dump's definitions cannot be used.
 */
export class AnchorPlacer {
  private sawBefore = false;
  private placed: Placement | undefined;

  constructor(
    private readonly anchor: DumpAnchor,
    /** The scanned file's own name when it is a raw binlog (its positions are the binlog's); undefined for a text listing. */
    private readonly rawFile: string | undefined,
    private readonly label: string,
  ) {}

  /** `endPos`: the event's end_log_pos; `gtid`: its event group's GTID, when the listing shows one. */
  place(endPos: number | undefined, gtid: Gtid | undefined): Placement {
    if (this.placed) return this.placed;
    const at = `${this.anchor.file}:${this.anchor.pos}`;
    const raw = this.rawFile !== undefined ? sequenceOf(this.rawFile) : undefined;
    const anchorFile = sequenceOf(this.anchor.file);
    let after: boolean | undefined;
    let contiguous = false;
    if (this.rawFile !== undefined && basename(this.rawFile) === basename(this.anchor.file) && endPos !== undefined) {
      after = endPos > this.anchor.pos;
      contiguous = true;
    } else if (raw && anchorFile && raw.base === anchorFile.base && raw.n !== anchorFile.n) {
      after = raw.n > anchorFile.n;
      contiguous = false;
    } else if (this.anchor.gtids && gtid) {
      const last = this.anchor.gtids.get(gtid.domain);
      after = last === undefined || gtid.seq > last;
      contiguous = this.sawBefore || (this.anchor.gtids.size === 1 && last !== undefined && gtid.seq === last + 1);
    }
    if (after === undefined) {
      return (this.placed = { side: 'unplaceable', reason: `the schemaFile's position ${at} cannot be placed in ${this.label} (neither the raw binlog it names nor a listing with GTIDs the dump also names)` });
    }
    if (!after) {
      this.sawBefore = true;
      return { side: 'before' };
    }
    this.placed = contiguous
      ? { side: 'after' }
      : { side: 'unplaceable', reason: `the schemaFile was taken at ${at}, and binlog events between that position and ${this.label} are not in the scan (DDL there would be missed)` };
    return this.placed;
  }
}
