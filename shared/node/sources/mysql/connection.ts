import mysql from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import { AppError } from '../../../core/api/errors.js';
import type { MysqlSourceConfig } from './config.js';
import { STATEMENT_SECONDS } from './config.js';
import { toMysqlAppError, type ErrorTarget } from './errors.js';

/** mysql2 options for a live config; the password comes from the environment, never from the file. */
export function connectionOptions(config: MysqlSourceConfig): ConnectionOptions {
  let password: string | undefined;
  if (config.passwordEnv) {
    password = process.env[config.passwordEnv];
    if (password === undefined) {
      throw new AppError('CONFIG_INVALID', `mysql://${config.name}: environment variable ${config.passwordEnv} (passwordEnv) is not set — export it before scanning`);
    }
  }
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password,
    charset: 'utf8mb4',
    connectTimeout: 10_000,
    // Strings for dates and big numbers: values are classified as text and must not be reinterpreted.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

export function errorTarget(config: MysqlSourceConfig, account?: string): ErrorTarget {
  return { source: config.name, user: config.user, host: config.host, port: config.port, account };
}

export interface ReadOnlySession {
  conn: mysql.Connection;
  target: ErrorTarget;
  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1-log`. */
  version: string;
  isMariaDb: boolean;
  close(): Promise<void>;
}

/**
 * Opens a session that cannot write: `SET SESSION TRANSACTION READ ONLY` makes the server reject any
 * write in it, and a statement time limit stops a sampling query that would turn into a full scan.
 */
export async function openReadOnlySession(config: MysqlSourceConfig): Promise<ReadOnlySession> {
  const target = errorTarget(config);
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(connectionOptions(config));
  } catch (err) {
    throw toMysqlAppError(err, target, 'connect');
  }
  try {
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    const [rows] = await conn.query('SELECT VERSION() AS version, CURRENT_USER() AS account');
    const { version, account } = (rows as { version: string; account: string }[])[0];
    const isMariaDb = /mariadb/i.test(version);
    // MariaDB and MySQL name the statement time limit differently (seconds vs milliseconds).
    await conn.query(isMariaDb ? `SET SESSION max_statement_time = ${STATEMENT_SECONDS}` : `SET SESSION max_execution_time = ${STATEMENT_SECONDS * 1000}`);
    return { conn, target: { ...target, account }, version, isMariaDb, close: () => conn.end().catch(() => conn.destroy()) };
  } catch (err) {
    conn.destroy();
    throw toMysqlAppError(err, target, 'open a read-only session');
  }
}

/** Backtick-quotes an identifier (`a``b` for a name holding a backtick). */
export const quoteId = (name: string): string => '`' + name.replace(/`/g, '``') + '`';
