import { access } from 'node:fs/promises';
import { withAccess } from './access-capture.js';
import { deferredCapture, defineSource } from '../source.js';
import { mysqlConfigSchema, type MysqlSourceConfig } from './config.js';
import { toMysqlAppError } from './errors.js';
import { captureOfflineBinlog, resolveFile } from './offline-binlog.js';
import { readSchema } from './schema.js';

export { mysqlConfigSchema, type MysqlSourceConfig, type MysqlSourceConfigInput } from './config.js';

/**
 * MySQL/MariaDB source. Live: schema from information_schema, a bounded read-only sample of every
 * table classified for PII, and optionally CDC from the binlog (a replica connection with its own
 * serverId, resumable from the `binlog` checkpoint). Offline: a binlog file or its mariadb-binlog
 * listing. It only reads: SELECTs in READ ONLY transactions, SHOW statements and the replication
 * stream; raw values never leave the classifier (masked examples and keyed fingerprints only).
 */
export const mysqlSource = defineSource<MysqlSourceConfig>({
  kind: 'mysql',
  configSchema: mysqlConfigSchema,

  async testConnection(config, ctx) {
    if (config.file) {
      try {
        await access(resolveFile(config, ctx.baseDir));
        return { ok: true, message: `mysql://${config.name}: binlog file ${config.file} is readable` };
      } catch {
        return { ok: false, message: `mysql://${config.name}: ${config.file} does not exist or is not readable — check file in sources.yaml` };
      }
    }
    try {
      // mysql2 and zongji load only when a live server is reached.
      const [{ openReadOnlySession }, { preflight }] = await Promise.all([import('./connection.js'), import('./binlog.js')]);
      const session = await openReadOnlySession(config);
      try {
        const dbs = await readSchema(session.conn, config.databases).catch((err) => { throw toMysqlAppError(err, session.target, 'read information_schema'); });
        const tables = dbs.reduce((n, d) => n + d.tables.length, 0);
        const warnings: string[] = [];
        if (config.binlog) await preflight(session, config, (_item, message) => warnings.push(message));
        const binlog = config.binlog ? '; binlog readable' : '';
        return { ok: true, message: `mysql://${config.name}: connected to ${session.version} as ${session.target.account}; ${dbs.length} database(s), ${tables} table(s) visible${binlog}${warnings.length ? ` (${warnings.join('; ')})` : ''}` };
      } finally {
        await session.close();
      }
    } catch (err) {
      return { ok: false, message: toMysqlAppError(err, { source: config.name, user: config.user, host: config.host, port: config.port }).message };
    }
  },

  capture(config, ctx) {
    return withAccess(config, ctx, config.file ? captureOfflineBinlog(config, ctx) : deferredCapture(async () => (await import('./live.js')).captureLive(config, ctx)));
  },
});

export default mysqlSource;
