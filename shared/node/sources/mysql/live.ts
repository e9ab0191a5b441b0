import { AppError } from '../../../core/api/errors.js';
import { mysqlUrn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { streamBinlog } from './binlog.js';
import type { BinlogConfig, MysqlSourceConfig } from './config.js';
import { openReadOnlySession, type ReadOnlySession } from './connection.js';
import { quotedAccount, toMysqlAppError } from './errors.js';
import { allTableRecords, databaseRecords, TableModel } from './records.js';
import { coverageSentence, sampleTable } from './sample.js';
import { readSchema, SYSTEM_DATABASES, type TableInfo } from './schema.js';

const tableKey = (db: string, table: string) => `${db}\u0000${table}`;

/** Errors that end the whole capture (the connection is gone) rather than one table. */
const isFatal = (err: unknown): boolean => (err as { fatal?: boolean })?.fatal === true;

async function sampleInto(session: ReadOnlySession, config: MysqlSourceConfig, ctx: CaptureContext, t: TableInfo): Promise<TableModel | undefined> {
  const urn = mysqlUrn(config.name, t.database, t.name);
  const m = new TableModel(t, ctx.fingerprint);
  try {
    const sample = await sampleTable(session.conn, t, config.sampleRows);
    for (const [column, values] of sample.values) m.profiles.get(column)?.addSample(values);
    m.coverage = coverageSentence(sample.rows, t.rowsEstimate, sample.method);
    return m;
  } catch (err) {
    if (isFatal(err)) throw toMysqlAppError(err, session.target, `sample ${t.database}.${t.name}`);
    const errno = (err as { errno?: number }).errno;
    // 1146 ER_NO_SUCH_TABLE: dropped (or renamed) between reading the schema and sampling it.
    if (errno === 1146) ctx.fail(urn, new AppError('SOURCE_BAD_DATA', `${urn}: the table disappeared during the scan (dropped or renamed) — it is left out of this snapshot`, { cause: err }));
    else ctx.fail(urn, toMysqlAppError(err, session.target, `sample ${t.database}.${t.name}`));
    return undefined;
  }
}

/**
 * Live capture: schema from information_schema, a bounded read-only sample of every table classified
 * for PII, then (with `binlog:`) the replication stream. Yields each table as soon as it is sampled.
 */
export async function* captureLive(config: MysqlSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const session = await openReadOnlySession(config);
  try {
    let databases;
    try {
      databases = await readSchema(session.conn, config.databases);
    } catch (err) {
      throw toMysqlAppError(err, session.target, 'read information_schema');
    }
    for (const name of config.databases ?? []) {
      if (!databases.some((d) => d.name === name)) {
        ctx.fail(mysqlUrn(config.name, name), new AppError('SOURCE_PERMISSION', `mysql://${config.name}/${name}: database not found, or user ${config.user ?? '?'} lacks SELECT on it — check databases in sources.yaml, or GRANT SELECT ON \`${name}\`.* TO ${quotedAccount(session.target)}`));
      }
    }
    const tables = new Map<string, TableModel>();
    const total = databases.reduce((n, d) => n + d.tables.length, 0);
    let done = 0;
    for (const db of databases) {
      yield* databaseRecords(config.name, db);
      for (const t of db.tables) {
        if (ctx.signal.aborted) return;
        ctx.progress({ done, total, item: mysqlUrn(config.name, t.database, t.name) });
        const m = await sampleInto(session, config, ctx, t);
        done++;
        if (!m) continue;
        tables.set(tableKey(t.database, t.name), m);
        yield* allTableRecords(config.name, m, true);
      }
    }
    ctx.progress({ done, total });
    if (config.binlog && !ctx.signal.aborted) {
      const inScope = (db: string) => (config.databases ? config.databases.includes(db) : !SYSTEM_DATABASES.includes(db));
      yield* streamBinlog({ config: config as MysqlSourceConfig & { binlog: BinlogConfig }, ctx, session, tables, inScope });
    }
  } finally {
    await session.close();
  }
}
