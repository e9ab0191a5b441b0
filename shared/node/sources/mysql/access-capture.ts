import { spoken } from '../../../core/i18n/phrase.js';
import { toAppError } from '../../../core/api/errors.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { MysqlSourceConfig } from './config.js';
import { toMysqlAppError } from './errors.js';
import { grantRecords, noteCatalog, readGrantsFile, readLiveGrants, reportGrantProblems, type MysqlCatalog } from './grants.js';
import { addListedReplicas, readReplication, replicationRecords, type ReplicationFacts } from './replication.js';
import { readSchema } from './schema.js';

/**
 * Wraps a mysql capture with who can read it and where it is copied to: grants (live SHOW GRANTS,
 * or `grantsFile`) and replication (SHOW REPLICA STATUS/HOSTS, `replicas:`). Live, these are read
 * first on their own read-only session, so a capture that follows the binlog still has them; offline,
 * after the binlog, for the tables it named. A failure here is a per-item failure: the data capture goes on.
 */
export async function* withAccess(config: MysqlSourceConfig, ctx: CaptureContext, inner: AsyncIterable<CaptureRecord>): AsyncGenerator<CaptureRecord> {
  const catalog: MysqlCatalog = new Map();
  if (config.host !== undefined) yield* liveAccess(config, ctx);
  for await (const record of inner) {
    noteCatalog(catalog, record);
    yield record;
  }
  if (config.host === undefined) yield* offlineAccess(config, ctx, catalog);
  else if (config.grantsFile) yield* offlineAccess(config, ctx, catalog, false);
}

async function* liveAccess(config: MysqlSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  if (!config.grants && !config.replicas) return;
  let session;
  try {
    // mysql2 loads only when a live server is reached.
    session = await (await import('./connection.js')).openReadOnlySession(config);
  } catch {
    // The data capture reports the connection failure itself.
    return;
  }
  try {
    const catalog: MysqlCatalog = new Map();
    for (const db of await readSchema(session.conn, config.databases)) {
      catalog.set(db.name, new Map(db.tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))])));
    }
    if (config.grants && !config.grantsFile) {
      try {
        const live = await readLiveGrants(session.conn, session.target);
        const origin = `SHOW GRANTS on ${config.host}:${config.port}`;
        reportGrantProblems(live.grants, ctx, origin);
        if (live.partial) {
          ctx.warn(`mysql://${config.name} grants`, live.partial);
          yield { type: 'gap', item: `mysql://${config.name} grants`, reason: live.partial };
        }
        yield* grantRecords(live.grants, catalog, { source: config.name, region: ctx.region, origin, fingerprint: ctx.fingerprint, auditor: session.target.account, accounts: live.accounts, partial: live.partial });
      } catch (err) {
        ctx.fail(`mysql://${config.name} grants`, toMysqlAppError(err, session.target, 'read grants (SHOW GRANTS)'));
      }
    }
    let facts: ReplicationFacts;
    try {
      facts = await readReplication(session.conn, config);
    } catch (err) {
      ctx.fail(`mysql://${config.name} replication`, toMysqlAppError(err, session.target, 'read replication status'));
      facts = { replicas: [], problems: [] };
      addListedReplicas(facts, config);
    }
    for (const p of facts.problems) ctx.warn(`mysql://${config.name} replication`, `${p} — replicas not registered here are unknown unless listed under replicas in sources.yaml`);
    yield* replicationRecords(facts, [...catalog.keys()], config.name);
  } finally {
    await session.close();
  }
}

async function* offlineAccess(config: MysqlSourceConfig, ctx: CaptureContext, catalog: MysqlCatalog, withReplicas = true): AsyncGenerator<CaptureRecord> {
  if (config.grantsFile) {
    try {
      const parsed = await readGrantsFile(config, ctx.baseDir);
      const origin = `grantsFile ${config.grantsFile}`;
      reportGrantProblems(parsed, ctx, origin);
      yield* grantRecords(parsed, catalog, { source: config.name, region: ctx.region, origin, fingerprint: ctx.fingerprint });
    } catch (err) {
      ctx.fail(`mysql://${config.name} grants`, toAppError(err));
    }
  } else if (config.host === undefined) {
    const { text: reason, phrase } = spoken('ev.unknown.mysqlNoGrantsFile', { source: `mysql://${config.name}` });
    yield { type: 'gap', item: `mysql://${config.name} grants`, reason, phrase };
    yield* grantRecords({ privileges: [], roles: [], defaultRoles: new Map(), problems: [] }, catalog, { source: config.name, region: ctx.region, origin: 'offline', fingerprint: ctx.fingerprint, partial: reason, partialPhrase: phrase });
  }
  if (withReplicas) {
    const facts: ReplicationFacts = { replicas: [], problems: [] };
    addListedReplicas(facts, config);
    yield* replicationRecords(facts, [...catalog.keys()], config.name);
  }
}
