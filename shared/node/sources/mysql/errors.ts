import { AppError } from '../../../core/api/errors.js';

/** What an error message names: the source, and the account and address it used. */
export interface ErrorTarget {
  source: string;
  user?: string;
  host?: string;
  port?: number;
  /** The account as the server sees it (CURRENT_USER()), e.g. `auditor@%`. */
  account?: string;
}

interface MysqlErrorLike {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

const REPLICATION_GRANT = 'REPLICATION SLAVE, REPLICATION CLIENT';

/** `'auditor'@'%'` from `auditor@%` (CURRENT_USER()) or the configured user. */
export function quotedAccount(t: ErrorTarget): string {
  const at = t.account?.lastIndexOf('@') ?? -1;
  if (t.account && at > 0) return `'${t.account.slice(0, at)}'@'${t.account.slice(at + 1)}'`;
  return `'${t.user ?? 'your-user'}'@'%'`;
}

const urn = (t: ErrorTarget) => `mysql://${t.source}`;

/** The error for a missing privilege, naming it and the GRANT that fixes it. */
export function missingPrivilege(t: ErrorTarget, privilege: string, grant: string, on = '*.*'): AppError {
  return new AppError('SOURCE_PERMISSION', `${urn(t)}: user ${t.user ?? t.account ?? '?'} lacks ${privilege} — GRANT ${grant} ON ${on} TO ${quotedAccount(t)}`);
}

/** The error when another replica (or capture) uses our server id: the server drops one of the two. */
export function serverIdClash(t: ErrorTarget, serverId: number, cause?: unknown): AppError {
  return new AppError('SOURCE_UNREACHABLE', `${urn(t)}: serverId ${serverId} is used by another replica — choose a unique binlog.serverId`, { cause });
}

/**
 * Maps a mysql2/zongji error to an AppError that names the thing and what to do. Server error numbers
 * are from https://mariadb.com/kb/en/mariadb-error-codes/.
 */
export function toMysqlAppError(err: unknown, t: ErrorTarget, what = 'connect'): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as MysqlErrorLike;
  const text = e.sqlMessage ?? e.message ?? String(err);
  const where = `${t.host ?? '?'}:${t.port ?? 3306}`;
  switch (e.errno) {
    case 1045: // ER_ACCESS_DENIED_ERROR
      return new AppError('SOURCE_AUTH', `${urn(t)}: ${where} refused user ${t.user ?? '?'} — check the user and the password in the environment variable named by passwordEnv`, { cause: err });
    case 1044: // ER_DBACCESS_DENIED_ERROR
    case 1142: // ER_TABLEACCESS_DENIED_ERROR
    case 1143: // ER_COLUMNACCESS_DENIED_ERROR
      return new AppError('SOURCE_PERMISSION', `${urn(t)}: user ${t.user ?? '?'} lacks SELECT (${what}: ${text}) — GRANT SELECT ON <db>.* TO ${quotedAccount(t)}`, { cause: err });
    case 1227: // ER_SPECIFIC_ACCESS_DENIED_ERROR: "you need (at least one of) the X privilege(s)"
      if (/REPLICATION SLAVE(?! ADMIN)/i.test(text)) return missingPrivilege(t, 'REPLICATION SLAVE', REPLICATION_GRANT);
      if (/REPLICATION CLIENT|BINLOG MONITOR|SUPER/i.test(text)) return missingPrivilege(t, 'REPLICATION CLIENT (BINLOG MONITOR on MariaDB)', REPLICATION_GRANT);
      return new AppError('SOURCE_PERMISSION', `${urn(t)}: user ${t.user ?? '?'} was refused ${what}: ${text}`, { cause: err });
    case 1236: // ER_MASTER_FATAL_ERROR_READING_BINLOG
      if (/same server.?(uuid|id)/i.test(text)) return new AppError('SOURCE_UNREACHABLE', `${urn(t)}: ${text} — choose a unique binlog.serverId`, { cause: err });
      return new AppError('SOURCE_BAD_DATA', `${urn(t)}: the server cannot send the binlog from the saved position (${text}) — the file may have been purged; remove the workspace checkpoint to start from the current position`, { cause: err });
    case 1049: // ER_BAD_DB_ERROR
      return new AppError('CONFIG_INVALID', `${urn(t)}: ${text} — check databases in sources.yaml`, { cause: err });
    default:
      break;
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' || e.code === 'ECONNRESET') {
    return new AppError('SOURCE_UNREACHABLE', `${urn(t)}: cannot reach ${where} (${e.code}) — check host and port, and that the server listens there`, { cause: err });
  }
  return new AppError('SOURCE_UNREACHABLE', `${urn(t)}: ${what} failed: ${text}`, { cause: err });
}
