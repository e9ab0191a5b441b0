import type mysql from 'mysql2/promise';
import { mysqlUrn, netUrn } from '../../../core/model/urn.js';
import type { CaptureRecord } from '../source.js';
import type { MysqlSourceConfig } from './config.js';

/**
 * MySQL/MariaDB replication as `replicates` edges (an egress path when the replica sits elsewhere):
 * - on a replica, `SHOW REPLICA STATUS` (SHOW SLAVE STATUS before MariaDB 10.5 / MySQL 8.0.22)
 *   names its primary: edges primary → each replicated database of this server; the egress analyzer
 *   joins the primary to the captured source at that host:port.
 * - on a primary, `SHOW REPLICA HOSTS` lists replicas that registered a report_host; replicas listed
 *   under `replicas:` in sources.yaml (with their region) are added: edges database → replica.
 * Only SHOW statements: nothing is changed.
 */
export interface ReplicationFacts {
  primary?: { host: string; port: number; doDb: string[]; ignoreDb: string[]; running: boolean };
  replicas: { host: string; port: number; region?: string; how: string }[];
  /** Why a statement could not be read (privilege), for the scan report. */
  problems: string[];
}

const list = (v: unknown) => String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

async function firstWorking(conn: mysql.Connection, statements: string[], problems: string[]): Promise<Record<string, unknown>[] | undefined> {
  let lastError: string | undefined;
  for (const sql of statements) {
    try {
      const [rows] = (await conn.query(sql)) as unknown as [Record<string, unknown>[]];
      return rows;
    } catch (err) {
      const e = err as { errno?: number; sqlMessage?: string };
      // 1064: syntax (the older name is tried next); anything else (1227 privilege) is reported.
      if (e.errno === 1064) continue;
      lastError = `${sql}: ${e.sqlMessage ?? String(err)}`;
      break;
    }
  }
  if (lastError) problems.push(lastError);
  return undefined;
}

export async function readReplication(conn: mysql.Connection, config: MysqlSourceConfig): Promise<ReplicationFacts> {
  const problems: string[] = [];
  const facts: ReplicationFacts = { replicas: [], problems };
  const status = await firstWorking(conn, ['SHOW REPLICA STATUS', 'SHOW SLAVE STATUS'], problems);
  const row = status?.[0];
  if (row) {
    const host = String(row.Source_Host ?? row.Master_Host ?? '');
    if (host) {
      facts.primary = {
        host, port: Number(row.Source_Port ?? row.Master_Port ?? 3306),
        doDb: list(row.Replicate_Do_DB), ignoreDb: list(row.Replicate_Ignore_DB),
        running: String(row.Replica_IO_Running ?? row.Slave_IO_Running ?? '') === 'Yes',
      };
    }
  }
  const hosts = await firstWorking(conn, ['SHOW REPLICA HOSTS', 'SHOW SLAVE HOSTS'], problems);
  for (const h of hosts ?? []) {
    if (h.Host) facts.replicas.push({ host: String(h.Host), port: Number(h.Port ?? 3306), how: `SHOW REPLICA HOSTS (server_id ${String(h.Server_id ?? '?')})` });
  }
  addListedReplicas(facts, config);
  return facts;
}

/** Replicas named in sources.yaml: known even offline, and the only way to give them a region. */
export function addListedReplicas(facts: ReplicationFacts, config: MysqlSourceConfig): void {
  for (const r of config.replicas ?? []) {
    const existing = facts.replicas.find((x) => x.host.toLowerCase() === r.host.toLowerCase() && x.port === r.port);
    if (existing) {
      existing.region = r.region;
      existing.how += '; listed in sources.yaml';
    } else facts.replicas.push({ host: r.host, port: r.port, region: r.region, how: 'listed under replicas in sources.yaml' });
  }
}

/** `replicates` edges and endpoint nodes for the databases captured. */
export function* replicationRecords(facts: ReplicationFacts, databases: string[], source: string): Generator<CaptureRecord> {
  if (facts.primary) {
    const p = facts.primary;
    const primary = netUrn(`${p.host}:${p.port}`);
    const replicated = databases.filter((db) => (p.doDb.length === 0 || p.doDb.includes(db)) && !p.ignoreDb.includes(db));
    yield { type: 'node', node: { urn: primary, kind: 'endpoint', name: `${p.host}:${p.port}`, source, props: { system: 'mysql', role: 'primary', host: p.host, port: p.port } } };
    for (const db of replicated) {
      yield {
        type: 'edge',
        edge: {
          from: primary, to: mysqlUrn(source, db), kind: 'replicates', confidence: p.running ? 1 : 0.8,
          evidence: { rule: 'replicates.mysql-replica-of', detail: `SHOW REPLICA STATUS on ${source}: replicates from ${p.host}:${p.port}${p.doDb.length ? ` (Replicate_Do_DB ${p.doDb.join(',')})` : ''}${p.running ? '' : ' — the IO thread is not running'}`, primary: `${p.host}:${p.port}`, database: db },
        },
      };
    }
  }
  for (const r of facts.replicas) {
    const replica = netUrn(`${r.host}:${r.port}`);
    yield { type: 'node', node: { urn: replica, kind: 'endpoint', name: `${r.host}:${r.port}`, source, ...(r.region && { region: r.region }), props: { system: 'mysql', role: 'replica', host: r.host, port: r.port, ...(r.region && { regionFrom: `sources.yaml replicas of ${source}` }) } } };
    for (const db of databases) {
      yield {
        type: 'edge',
        edge: { from: mysqlUrn(source, db), to: replica, kind: 'replicates', confidence: 1, evidence: { rule: 'replicates.mysql-replica', detail: `${r.host}:${r.port} replicates ${source} (${r.how})`, replica: `${r.host}:${r.port}`, database: db } },
      };
    }
  }
}
