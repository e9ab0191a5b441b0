import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AppError } from '../../../core/api/errors.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { MysqlSourceConfig } from './config.js';
import { MAX_VALUE_CHARS } from './config.js';
import { mysqlUrn } from '../../../core/model/urn.js';
import { phrase, say, spoken } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import { parseDdl } from './ddl.js';
import { allTableRecords, databaseRecords, tableConfigRecord, TableModel } from './records.js';
import { infoFromState, SchemaHistory } from './schema-history.js';
import { AnchorPlacer, parseGtid, parseSchemaDump, type Gtid, type Placement } from './dump-anchor.js';
import type { ColumnInfo, TableInfo } from './schema.js';

/** The first bytes of every binlog file (MySQL and MariaDB): 0xFE 'b' 'i' 'n'. */
const BINLOG_MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e]);
const DECODER_ARGS = ['--base64-output=decode-rows', '-vv', '--print-table-metadata'];
const INSTALL_HINT = 'install it with `apt-get install -y --no-install-recommends mariadb-client` (or MySQL\'s mysqlbinlog)';
/** Longest line kept: a 16 MB value in the text output must not be held (or regex-scanned) whole. */
const MAX_LINE_CHARS = MAX_VALUE_CHARS * 4 + 256;

interface MappedTable {
  database: string;
  table: string;
  columns: { name: string; type: string; binary: boolean }[];
  primaryKey: string[];
}

type RowPart = 'where' | 'set';

/**
 * Parses `mariadb-binlog --base64-output=decode-rows -vv --print-table-metadata` (or mysqlbinlog) text
 * line by line: `Table_map` headers with their `# Columns(...)` metadata, then `### INSERT INTO` /
 * `### UPDATE` / `### DELETE FROM` blocks with `###   @N=value /* TYPE meta=… *\/` lines. Annotate_rows
 * lines (`#Q> …`, the SQL text with literal values) and statement text are skipped, never kept.
 */
export class BinlogTextParser {
  private readonly maps = new Map<string, MappedTable>();
  private pendingMap: MappedTable | undefined;
  private inColumns = false;
  private current: { table: MappedTable; kind: 'insert' | 'update' | 'delete'; part?: RowPart } | undefined;
  private lastEndPos: number | undefined;
  /** Lines that looked like a binlog listing (`# at N`, `###`): tells a text dump from some other file. */
  binlogLines = 0;
  /** The GTID of the event group being read (MariaDB listings print one before each group). */
  gtid: Gtid | undefined;

  /** The statement text of the Query event being read (DDL is replayed from it; never kept). */
  private query: { endPos: number; text: string[] } | undefined;
  private currentDb = '';

  constructor(
    private readonly onTable: (t: MappedTable) => void,
    /** `values` by column index (1-based, as `@N`); undefined for deletes (before-images only). */
    private readonly onRow: (t: MappedTable, kind: 'insert' | 'update' | 'delete', values: Map<number, string | null> | undefined, position: number | undefined) => void,
    private readonly onQuery: (sql: string, schema: string, endPos: number) => void = () => {},
  ) {}

  /** Ends the Query event in progress: `use db` sets the schema, DDL goes to onQuery. */
  private finishQuery(): void {
    const q = this.query;
    this.query = undefined;
    if (!q) return;
    for (const raw of q.text.join('\n').split('/*!*/;')) {
      const stmt = raw.trim();
      if (stmt === '') continue;
      const use = /^use\s+`((?:[^`]|``)+)`/i.exec(stmt);
      if (use) { this.currentDb = use[1].replace(/``/g, '`'); continue; }
      if (/^(SET|BEGIN|START|COMMIT|ROLLBACK|\/\*![0-9M]*\s*SET)\b/i.test(stmt)) continue;
      this.onQuery(stmt, this.currentDb, q.endPos);
    }
  }

  line(raw: string): void {
    const line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw;
    if (line.startsWith('#Q>')) return;
    if (this.query && !line.startsWith('#')) {
      this.query.text.push(line);
      return;
    }
    if (line.startsWith('#')) this.finishQuery();
    if (line.startsWith('###')) {
      this.binlogLines++;
      this.rowLine(line);
      return;
    }
    this.finishRow();
    if (this.inColumns) {
      this.columnsLine(line);
      return;
    }
    if (line.startsWith('# at ')) {
      this.binlogLines++;
      return;
    }
    const endPos = /\bend_log_pos (\d+)/.exec(line);
    if (line.startsWith('#') && endPos) this.lastEndPos = Number(endPos[1]);
    const gtid = line.startsWith('#') && endPos ? /\tGTID (\d+-\d+-\d+)\b/.exec(line) : null;
    if (gtid) {
      this.gtid = parseGtid(gtid[1]);
      return;
    }
    if (line.startsWith('#') && endPos && /\tQuery\t/.test(line)) {
      this.query = { endPos: Number(endPos[1]), text: [] };
      return;
    }
    const map = /Table_map: `((?:[^`]|``)+)`\.`((?:[^`]|``)+)` mapped to number (\d+)/.exec(line);
    if (map) {
      const t: MappedTable = { database: map[1].replace(/``/g, '`'), table: map[2].replace(/``/g, '`'), columns: [], primaryKey: [] };
      this.maps.set(`${t.database}\u0000${t.table}`, t);
      this.pendingMap = t;
      this.onTable(t);
      return;
    }
    if (this.pendingMap && line.startsWith('# Columns(')) {
      this.inColumns = true;
      this.columnsLine(line.slice('# Columns('.length));
      return;
    }
    const pk = /^# Primary Key\((.*)\)\s*$/.exec(line);
    if (this.pendingMap && pk) {
      this.pendingMap.primaryKey = pk[1].split(',').map((s) => s.trim().replace(/^`|`$/g, ''));
      this.onTable(this.pendingMap);
    }
  }

  /** `#         \`email\` VARCHAR(100) CHARSET latin1 COLLATE latin1_swedish_ci,` (the last ends with `)`). */
  private columnsLine(line: string): void {
    const body = line.replace(/^#\s*/, '');
    const m = /^`((?:[^`]|``)+)`\s+(.*?)([,)])\s*$/.exec(body);
    if (m && this.pendingMap) {
      const type = m[2].trim();
      const binary = /^(TINY|MEDIUM|LONG)?BLOB\b|^(VAR)?BINARY\b|^GEOMETRY\b|^POINT\b/i.test(type);
      this.pendingMap.columns.push({ name: m[1].replace(/``/g, '`'), type, binary });
    }
    if (!m || m[3] === ')') {
      this.inColumns = false;
      if (this.pendingMap) this.onTable(this.pendingMap);
    }
  }

  private values: Map<number, string | null> | undefined;

  private rowLine(line: string): void {
    const head = /^### (INSERT INTO|UPDATE|DELETE FROM) `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`/.exec(line);
    if (head) {
      this.finishRow();
      const key = `${head[2].replace(/``/g, '`')}\u0000${head[3].replace(/``/g, '`')}`;
      let table = this.maps.get(key);
      if (!table) {
        table = { database: head[2].replace(/``/g, '`'), table: head[3].replace(/``/g, '`'), columns: [], primaryKey: [] };
        this.maps.set(key, table);
        this.onTable(table);
      }
      this.current = { table, kind: head[1] === 'INSERT INTO' ? 'insert' : head[1] === 'UPDATE' ? 'update' : 'delete' };
      return;
    }
    if (!this.current) return;
    if (/^### WHERE\s*$/.test(line)) { this.current.part = 'where'; return; }
    if (/^### SET\s*$/.test(line)) { this.current.part = 'set'; this.values = new Map(); return; }
    const v = /^###\s+@(\d+)=(.*)$/.exec(line);
    // Only after-images are classified (inserts' and updates' SET); before-images repeat known values.
    if (v && this.current.part === 'set' && this.values) {
      const index = Number(v[1]);
      const col = this.current.table.columns[index - 1];
      // A BLOB/TEXT literal is kept only when the column is known not to be binary (checked by the capture).
      this.values.set(index, col?.binary ? null : parseLiteral(v[2]));
    }
  }

  /** Ends the row block in progress (the next header, a non-### line or the end of input). */
  finishRow(): void {
    this.finishQuery();
    if (!this.current) return;
    const { table, kind } = this.current;
    this.onRow(table, kind, kind === 'delete' ? undefined : this.values, this.lastEndPos);
    this.current = undefined;
    this.values = undefined;
  }
}

/**
 * One `@N=` value: `'text'` (quotes inside are not escaped; non-printable bytes are `\xNN`), a number,
 * or NULL, followed by ` /* TYPE meta=… *\/` under -vv. DATE prints as `'1990:01:02'`.
 */
export function parseLiteral(text: string): string | null {
  const comment = text.lastIndexOf(' /* ');
  const body = (comment >= 0 ? text.slice(0, comment) : text).trim();
  const type = comment >= 0 ? text.slice(comment + 4) : '';
  if (body === 'NULL') return null;
  if (body.length >= 2 && body.startsWith("'") && body.endsWith("'")) {
    let s = body.slice(1, -1).replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (/^DATE\b/.test(type) && /^\d{4}:\d{2}:\d{2}$/.test(s)) s = s.replace(/:/g, '-');
    return s.slice(0, MAX_VALUE_CHARS);
  }
  // Integers print as "-1 (4294967295)" under -vv: the signed reading comes first.
  return body.split(' ')[0];
}

function findDecoder(): string | undefined {
  for (const name of ['mariadb-binlog', 'mysqlbinlog']) {
    for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/local/bin', '/usr/sbin']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

async function isRawBinlog(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.equals(BINLOG_MAGIC);
  } finally {
    await fh.close();
  }
}

export function resolveFile(config: MysqlSourceConfig, baseDir: string): string {
  return isAbsolute(config.file!) ? config.file! : resolve(baseDir, config.file!);
}

/** The lines of the text listing: the file itself, or mariadb-binlog's output for a raw binlog. */
async function openListing(config: MysqlSourceConfig, path: string): Promise<{ lines: AsyncIterable<string>; raw: boolean; done: () => Promise<void> }> {
  const where = `mysql://${config.name}`;
  try {
    if (!(await isRawBinlog(path))) {
      const stream = createReadStream(path, { encoding: 'utf8' });
      return { lines: createInterface({ input: stream, crlfDelay: Infinity }), raw: false, done: async () => { stream.destroy(); } };
    }
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `${where}: cannot read ${config.file} (${(err as Error).message}) — check file in sources.yaml`, { cause: err });
  }
  const decoder = findDecoder();
  if (!decoder) throw new AppError('UNSUPPORTED', `${where}: ${config.file} is a raw binlog and neither mariadb-binlog nor mysqlbinlog is installed to decode it — ${INSTALL_HINT}`);
  // The listing is streamed (not buffered by execFile): binlogs are often gigabytes.
  const child = spawn(decoder, [...DECODER_ARGS, '--skip-annotate-row-events', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    lines: createInterface({ input: child.stdout as Readable, crlfDelay: Infinity }),
    raw: true,
    done: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0 && code !== null) throw new AppError('SOURCE_BAD_DATA', `${where}: ${decoder} could not decode ${config.file} (exit ${code}): ${stderr.trim().slice(0, 500)}`);
    },
  };
}

/** The text of the `schemaFile` named in sources.yaml. */
async function readSchemaDumpText(config: MysqlSourceConfig, baseDir: string): Promise<string> {
  const file = isAbsolute(config.schemaFile!) ? config.schemaFile! : resolve(baseDir, config.schemaFile!);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `mysql://${config.name}: schemaFile ${config.schemaFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — check schemaFile in sources.yaml`, { cause: err });
  }
}

/**
 * Offline capture from a binlog listing or a raw binlog: database, table and column nodes with PII
 * verdicts from the row values in the events, and row counts per table. Column names come from the
 * table-map metadata (binlog_row_metadata=FULL); else from the schema history: the CREATE TABLE and
 * ALTER statements of the same files replayed in order, starting from a `schemaFile` dump when one is
 * given. A row whose definition is not proven at its position is counted and reported as a gap.
 */
export async function* captureOfflineBinlog(config: MysqlSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const path = resolveFile(config, ctx.baseDir);
  const inScope = (db: string) => !config.databases || config.databases.includes(db);
  const models = new Map<string, TableModel>();
  /** The newest definition each table had in the files: its config record (never a merge of old and new). */
  const latest = new Map<string, TableInfo>();
  const gaps = new Map<string, { from?: number; to?: number; rows: number; reason: string; reasonPhrase?: Phrase }>();
  let events = 0;
  const dump = config.schemaFile ? parseSchemaDump(await readSchemaDumpText(config, ctx.baseDir), config.schemaFile) : undefined;
  const notInDump = phrase('gap.schema.offlineNotInDump', { schemaFile: config.schemaFile ?? '', file: String(config.file) });
  const history = new SchemaHistory(
    !dump ? phrase('gap.schema.offlineNoSchemaFile', { file: String(config.file) })
      : dump.anchor ? phrase('gap.schema.offlineBeforeAnchor', { file: String(config.file), anchor: `${dump.anchor.file}:${dump.anchor.pos}` })
        : notInDump,
  );
  // A dump that names no position is taken as the definitions at the start of the file (the row
  // images' column counts are still checked); one that names its position applies exactly there.
  if (dump && !dump.anchor) for (const t of dump.definitions.tableNames()) history.seed(t.database, t.table, dump.definitions.get(t.database, t.table));
  /** Set once the listing is open (whether it is the raw binlog decides how positions compare). */
  let placer: AnchorPlacer | undefined;
  let placement: Placement['side'] = 'before';

  const modelFor = (t: MappedTable): TableModel => {
    const key = `${t.database}\u0000${t.table}`;
    let m = models.get(key);
    if (!m) {
      const info: TableInfo = { database: t.database, name: t.table, engine: null, rowsEstimate: 0, comment: '', columns: [], primaryKey: [], indexes: [], foreignKeys: [] };
      models.set(key, (m = new TableModel(info, ctx.fingerprint)));
      m.cdc = { inserts: 0, updates: 0, deletes: 0 };
    }
    return m;
  };
  const adopt = (database: string, table: string) => {
    const state = history.get(database, table);
    if (!state.columns) return;
    const info = infoFromState(database, table, state);
    latest.set(`${database}\u0000${table}`, info);
    modelFor({ database, table, columns: [], primaryKey: [], }).adoptDefinition(info);
  };
  /**
   * Moves past the dump's position when this event is the first after it: the dump's definitions
   * replace what the file's own DDL gave (they are the schema at that position). Before it, only the
   * file's own CREATE TABLE (and DDL on it) proves a definition; after it, where the two cannot be
   * joined, tables the file does not define stay unknown, with the reason.
   */
  const place = (endPos: number | undefined) => {
    if (!placer || placement !== 'before') return;
    const p = placer.place(endPos, parser.gtid);
    placement = p.side;
    if (p.side === 'unplaceable') history.setUntracked(`${p.reason}; no CREATE TABLE for it seen after`);
    if (p.side !== 'after') return;
    const at = `${dump!.anchor!.file}:${dump!.anchor!.pos}`;
    for (const t of history.tableNames()) {
      if (dump!.databases.has(t.database) && !dump!.definitions.has(t.database, t.table)) history.markUnknown(t.database, t.table, phrase('gap.schema.offlineDidNotExist', { schemaFile: config.schemaFile ?? '', database: t.database, at }));
    }
    for (const t of dump!.definitions.tableNames()) {
      if (!inScope(t.database)) continue;
      history.seed(t.database, t.table, dump!.definitions.get(t.database, t.table));
      adopt(t.database, t.table);
    }
    history.setUntracked(notInDump);
  };
  const onQuery = (sql: string, schema: string, endPos: number) => {
    place(endPos);
    for (const change of parseDdl(sql, schema)) {
      const db = change.kind === 'drop-database' ? change.database : change.kind === 'rename' ? change.from.database : change.table.database;
      if (!inScope(db)) continue;
      const applied = history.apply(change, `${config.file}:${endPos}`);
      for (const r of applied.renamedColumns) models.get(`${r.table.database}\u0000${r.table.table}`)?.renameColumn(r.from, r.to);
      for (const t of applied.tables) adopt(t.database, t.table);
    }
  };
  const onTable = (t: MappedTable) => {
    if (!inScope(t.database) || t.columns.length === 0) return;
    const m = modelFor(t);
    // Table-map metadata is the schema as of that event, named by the binlog itself.
    const columns: ColumnInfo[] = t.columns.map((c) => ({ name: c.name, type: c.type.toLowerCase(), dataType: c.binary ? 'blob' : c.type.split(/[\s(]/)[0].toLowerCase(), key: t.primaryKey.includes(c.name) ? 'PRI' : '', nullable: !/NOT NULL/i.test(c.type), default: null, extra: '', comment: '', charset: c.binary ? 'binary' : null }));
    const info = { ...m.info, columns, primaryKey: t.primaryKey };
    latest.set(`${t.database}\u0000${t.table}`, info);
    m.adoptDefinition(info);
  };
  const onRow = (t: MappedTable, kind: 'insert' | 'update' | 'delete', values: Map<number, string | null> | undefined, position: number | undefined) => {
    if (!inScope(t.database)) return;
    place(position);
    events++;
    const m = modelFor(t);
    const cdc = m.cdc!;
    if (kind === 'insert') cdc.inserts++;
    else if (kind === 'update') cdc.updates++;
    else cdc.deletes++;
    if (position !== undefined) cdc.lastPosition = `${config.file}:${position}`;
    if (!values) return;
    // Names: the table map's own (FULL metadata), else the definition the history holds here,
    // checked against the row image's column count. Otherwise the row is counted, not classified.
    let names = t.columns.length > 0 ? t.columns.map((c) => c.name) : undefined;
    let binary = t.columns.map((c) => c.binary);
    if (!names) {
      const state = history.get(t.database, t.table);
      const count = Math.max(0, ...values.keys());
      const reasonPhrase = !state.columns ? state.unknownPhrase : state.columns.length !== count ? phrase('gap.schema.offlineColumnCount', { count, provenance: state.provenance, defined: state.columns.length }) : undefined;
      const reason = !state.columns ? state.unknownReason! : reasonPhrase ? say(reasonPhrase, 'en') : undefined;
      if (reason) {
        cdc.unattributed = (cdc.unattributed ?? 0) + 1;
        const key = `${t.database}\u0000${t.table}\u0000${reason}`;
        const g = gaps.get(key) ?? { from: position, rows: 0, reason, ...(reasonPhrase && { reasonPhrase }) };
        g.rows++;
        g.to = position;
        gaps.set(key, g);
        return;
      }
      names = state.columns!.map((c) => c.name);
      binary = state.columns!.map((c) => c.charset === 'binary');
    }
    for (const [index, value] of values) {
      const name = names[index - 1] ?? `@${index}`;
      m.profile(name, binary[index - 1] ?? false).observe(binary[index - 1] ? null : value);
    }
  };

  const parser = new BinlogTextParser(onTable, onRow, onQuery);
  const listing = await openListing(config, path);
  if (dump?.anchor) placer = new AnchorPlacer(dump.anchor, listing.raw ? path : undefined, config.file!);
  let lines = 0;
  try {
    for await (const line of listing.lines) {
      parser.line(line);
      if (++lines % 50_000 === 0) {
        if (ctx.signal.aborted) return;
        ctx.progress({ done: events, item: `${config.file}: ${lines} lines` });
      }
    }
    parser.finishRow();
  } finally {
    await listing.done();
  }
  if (parser.binlogLines === 0) {
    throw new AppError('SOURCE_BAD_DATA', `mysql://${config.name}: ${config.file} is neither a binlog nor the text output of mariadb-binlog/mysqlbinlog — produce it with \`mariadb-binlog ${DECODER_ARGS.join(' ')} FILE > ${config.file}\``);
  }

  const seenDbs = new Set<string>();
  for (const m of models.values()) {
    if (!seenDbs.has(m.info.database)) {
      seenDbs.add(m.info.database);
      yield* databaseRecords(config.name, { name: m.info.database });
    }
    const c = m.cdc!;
    m.coverage = `${c.inserts + c.updates} row image${c.inserts + c.updates === 1 ? '' : 's'} from binlog events in ${config.file} (offline)`;
    // The newest definition the files show (table-map metadata or replayed DDL) is a config version
    // too, so two captures show schema changes; never a merge of definitions before and after an ALTER.
    yield* allTableRecords(config.name, m, false);
    const def = latest.get(`${m.info.database}\u0000${m.info.name}`);
    if (def) yield tableConfigRecord(config.name, def);
  }
  for (const [key, g] of gaps) {
    const [database, table] = key.split('\u0000');
    const said = spoken('gap.binlog.offline', { count: g.rows, from: `${config.file}:${g.from ?? '?'}`, to: `${config.file}:${g.to ?? '?'}`, reason: g.reasonPhrase ?? g.reason });
    yield { type: 'gap', item: mysqlUrn(config.name, database, table), reason: said.text, phrase: said.phrase };
  }
  ctx.progress({ done: events, total: events });
}
