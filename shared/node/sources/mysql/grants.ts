import type mysql from 'mysql2/promise';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { GrantEdgeCollector, principalUrn, UNKNOWN_PRINCIPALS, type GrantEntry } from '../../../core/access/grant.js';
import { mysqlUrn, parseUrn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { Phrase } from '../../../core/model/phrase.js';
import type { MysqlSourceConfig } from './config.js';
import { quotedAccount, type ErrorTarget } from './errors.js';
import { accountName, databasePatternMatches, parseShowGrants, type MysqlAccount, type ParsedGrants } from './show-grants.js';

/**
 * MySQL/MariaDB grants as `grants` edges (shared/core/access): every account's privileges from
 * `SHOW GRANTS FOR` (live: accounts listed from mysql.user), or offline from a file of SHOW GRANTS
 * output (`grantsFile`). Edges go to the narrowest captured node a grant names — a column grant to
 * the column, a table grant to the table, `db.*` and `*.*` to each captured database it matches —
 * and role grants go member → role. Password hashes are never read past the grantee.
 */

/** Captured databases → tables → columns: where grant edges may point. */
export type MysqlCatalog = Map<string, Map<string, Set<string>>>;

/** Accounts read at most (a bound: SHOW GRANTS is one round trip each). */
const MAX_ACCOUNTS = 5000;
/** Hosts meaning "only on the database server itself". */
export const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

export interface LiveGrants {
  grants: ParsedGrants;
  /** Every account listed, grants or not (a user with only USAGE still exists). */
  accounts: { account: MysqlAccount; role: boolean }[];
  /** Set when other accounts' grants could not be read: the answer is partial, with the fix. */
  partial?: string;
}

const errnoOf = (err: unknown) => (err as { errno?: number }).errno;
const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const forAccount = (a: MysqlAccount) => (a.host === undefined ? quote(a.user) : `${quote(a.user)}@${quote(a.host)}`);

/** Lists accounts (mysql.user) and reads `SHOW GRANTS FOR` each. Only reads. */
export async function readLiveGrants(conn: mysql.Connection, target: ErrorTarget): Promise<LiveGrants> {
  let rows: { user: string; host: string; role: number }[] | undefined;
  let partial: string | undefined;
  try {
    // MariaDB marks roles in mysql.user (is_role); MySQL 8 has no such column.
    [rows] = (await conn.query(`SELECT User AS user, Host AS host, IF(is_role = 'Y', 1, 0) AS role FROM mysql.user ORDER BY User, Host LIMIT ${MAX_ACCOUNTS}`)) as unknown as [typeof rows];
  } catch (err) {
    if (errnoOf(err) === 1054) {
      [rows] = (await conn.query(`SELECT User AS user, Host AS host, 0 AS role FROM mysql.user ORDER BY User, Host LIMIT ${MAX_ACCOUNTS}`)) as unknown as [typeof rows];
    } else if (errnoOf(err) === 1142 || errnoOf(err) === 1044) {
      partial = `mysql://${target.source}: the accounts and grants of users other than ${target.account ?? target.user ?? 'the capture account'} are not readable — GRANT SELECT ON mysql.* TO ${quotedAccount(target)} so that every grant is seen`;
    } else throw err;
  }
  const accounts = rows
    ? rows.map((r) => ({ account: r.role ? { user: r.user } : { user: r.user, host: r.host }, role: Number(r.role) === 1 }))
    : [];
  const texts: string[] = [];
  if (!rows) {
    const [own] = (await conn.query('SHOW GRANTS')) as unknown as [Record<string, string>[]];
    texts.push(...own.map((r) => Object.values(r)[0]));
  }
  for (const { account } of accounts) {
    try {
      const [res] = (await conn.query(`SHOW GRANTS FOR ${forAccount(account)}`)) as unknown as [Record<string, string>[]];
      texts.push(...res.map((r) => Object.values(r)[0]));
    } catch (err) {
      // 1141: no such grant (an account dropped between the two reads); 1044/1142: not allowed.
      if (errnoOf(err) === 1141) continue;
      if (errnoOf(err) === 1044 || errnoOf(err) === 1142) {
        partial ??= `mysql://${target.source}: SHOW GRANTS FOR other accounts is refused — GRANT SELECT ON mysql.* TO ${quotedAccount(target)}`;
        continue;
      }
      throw err;
    }
  }
  return { grants: parseShowGrants(texts.join('\n')), accounts, partial };
}

/** Reads the offline `grantsFile` (SHOW GRANTS output), relative to sources.yaml. */
export async function readGrantsFile(config: MysqlSourceConfig, baseDir: string): Promise<ParsedGrants> {
  const file = config.grantsFile!;
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('NOT_FOUND', `mysql://${config.name}: grantsFile ${file} is not readable (${(err as NodeJS.ErrnoException).code ?? 'error'}) — point grantsFile at the saved output of SHOW GRANTS FOR each account`, { cause: err });
  }
  return parseShowGrants(text);
}

export interface GrantRecordOptions {
  source: string;
  region: string;
  /** How the grants were read, for every entry's origin. */
  origin: string;
  fingerprint(value: string): string;
  /** The capture's own account (CURRENT_USER()): marked, so nobody mistakes the audit for a reader. */
  auditor?: string;
  accounts?: LiveGrants['accounts'];
  partial?: string;
  /** `partial` as a phrase (said in the reader's language). */
  partialPhrase?: Phrase;
}

/**
 * Principal nodes (with a keyed hash of the user name, so a Kubernetes Secret holding it can be
 * recognised) and grants edges for every parsed grant that reaches captured data.
 */
export function* grantRecords(parsed: ParsedGrants, catalog: MysqlCatalog, o: GrantRecordOptions): Generator<CaptureRecord> {
  const collector = new GrantEdgeCollector('grants.mysql');
  const principals = new Map<string, { account: MysqlAccount; role: boolean }>();
  const roleNames = new Set(parsed.roles.flatMap((r) => r.roles.map(accountName)));
  for (const a of o.accounts ?? []) principals.set(accountName(a.account), a);
  const note = (a: MysqlAccount) => {
    const name = accountName(a);
    if (!principals.has(name)) principals.set(name, { account: a, role: a.host === undefined || roleNames.has(name) });
    return principalUrn(o.source, name);
  };
  const databases = [...catalog.keys()];
  for (const g of parsed.privileges) {
    const from = note(g.grantee);
    const hosts = g.grantee.host !== undefined && g.grantee.host !== '%' ? [g.grantee.host] : undefined;
    const origin = `${o.origin}: ${g.statement}`;
    for (const p of g.privileges) {
      if (p.name === 'USAGE') continue;
      const entry = (scope: GrantEntry['scope'], pattern: string): GrantEntry => ({ privilege: p.name, effect: 'allow', scope, pattern, ...(hosts && { hosts }), origin });
      const level = g.level;
      if (level.kind === 'global') {
        for (const db of databases) collector.add(from, mysqlUrn(o.source, db), entry('global', '*.*'));
      } else if (level.kind === 'database') {
        for (const db of databases.filter((d) => databasePatternMatches(level.database, d))) collector.add(from, mysqlUrn(o.source, db), entry('database', `${level.database}.*`));
      } else if (level.kind === 'table') {
        const columns = catalog.get(level.database)?.get(level.table);
        if (!columns) continue;
        if (!p.columns) {
          collector.add(from, mysqlUrn(o.source, level.database, level.table), entry('table', `${level.database}.${level.table}`));
          continue;
        }
        // A column grant reaches that column only: the edge names the column.
        for (const c of p.columns) {
          const column = [...columns].find((name) => name.toLowerCase() === c.toLowerCase());
          if (column) collector.add(from, mysqlUrn(o.source, level.database, level.table, column), entry('column', `${level.database}.${level.table}(${column})`));
        }
      }
    }
  }
  for (const r of parsed.roles) {
    const from = note(r.grantee);
    const defaults = parsed.defaultRoles.get(accountName(r.grantee)) ?? [];
    for (const role of r.roles) {
      const name = accountName(role);
      note(role);
      collector.add(from, principalUrn(o.source, name), { privilege: 'MEMBER', effect: 'allow', scope: 'role', pattern: name, defaultRole: defaults.includes(name), origin: `${o.origin}: GRANT ${name} TO ${accountName(r.grantee)}` });
    }
  }
  if (o.partial) {
    const unknown = principalUrn(o.source, UNKNOWN_PRINCIPALS);
    yield { type: 'node', node: { urn: unknown, kind: 'subject', name: UNKNOWN_PRINCIPALS, source: o.source, region: o.region, props: { system: 'mysql', unknown: true, reason: o.partial } } };
    for (const db of databases) collector.add(unknown, mysqlUrn(o.source, db), { privilege: 'SELECT', effect: 'unknown', scope: 'global', pattern: '*.*', origin: o.partial, ...(o.partialPhrase && { originPhrase: o.partialPhrase }) });
  }
  for (const [name, { account, role }] of principals) {
    yield {
      type: 'node',
      node: {
        urn: principalUrn(o.source, name), kind: 'subject', name, source: o.source, region: o.region,
        props: {
          system: 'mysql', account: { user: account.user, ...(account.host !== undefined && { host: account.host }) }, role,
          // Matched against Kubernetes Secret values (also keyed hashes) to find who holds this account's credentials.
          userHash: o.fingerprint(account.user),
          ...(account.host !== undefined && LOCAL_HOSTS.has(account.host) && { localOnly: true }),
          ...(o.auditor === name && { auditor: true }),
          ...(parsed.defaultRoles.has(name) && { defaultRoles: parsed.defaultRoles.get(name) }),
        },
      },
    };
  }
  for (const edge of collector.toEdges()) yield { type: 'edge', edge };
}

/** Records the capture yields for databases, tables and columns, folded into a catalog. */
export function noteCatalog(catalog: MysqlCatalog, record: CaptureRecord): void {
  if (record.type !== 'node') return;
  const n = record.node;
  const parsed = parseUrn(n.urn);
  const [db, table] = parsed.segments;
  const parts = [db, parsed.field];
  if (n.kind === 'database') {
    if (!catalog.has(db)) catalog.set(db, new Map());
  } else if (n.kind === 'table' && table) {
    const tables = catalog.get(db) ?? new Map<string, Set<string>>();
    catalog.set(db, tables);
    if (!tables.has(table)) tables.set(table, new Set());
  } else if (n.kind === 'column' && table && parts[1]) {
    const tables = catalog.get(db) ?? new Map<string, Set<string>>();
    catalog.set(db, tables);
    const columns = tables.get(table) ?? new Set<string>();
    tables.set(table, columns);
    columns.add(parts[1]);
  }
}

/** Per-item problems of a grants read, reported without the line (it may hold a password hash). */
export function reportGrantProblems(parsed: ParsedGrants, ctx: Pick<CaptureContext, 'warn' | 'sourceName'>, origin: string): void {
  for (const p of parsed.problems.slice(0, 20)) ctx.warn(`mysql://${ctx.sourceName} grants`, `${origin}: ${p} — that grant is left out`);
}
