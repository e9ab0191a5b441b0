import { z } from 'zod';
import { envVarName } from '../env-reference.js';

/**
 * The `kind: mysql` entry of sources.yaml (MySQL or MariaDB). Exactly one of `host` (a live server:
 * information_schema, sampled SELECTs and optionally the binlog) or `file` (an offline binlog).
 */
export const mysqlConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('mysql'),
    region: z.string().min(1),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).default(3306),
    user: z.string().min(1).optional(),
    /** Name of the environment variable holding the password: secrets by reference only, never in the file. */
    passwordEnv: envVarName().optional(),
    /** Databases to capture; default: every database except the server's own (mysql, sys, *_schema). */
    databases: z.array(z.string().min(1)).min(1).optional(),
    /** Rows sampled per table for PII classification. */
    sampleRows: z.number().int().positive().max(100_000).default(1000),
    binlog: z
      .object({
        /** Replication server id of this capture: must differ from every server and replica in the topology. */
        serverId: z.number().int().min(1).max(4_294_967_295),
        /** false: read up to the end position seen at start, then stop; true: stream until cancelled. */
        follow: z.boolean().default(false),
        /** Where a capture without a saved checkpoint starts: the current end (default) or the oldest binlog kept. */
        from: z.enum(['current', 'earliest']).default('current'),
        /** Stop after this many row events (bounds tests and trial runs). */
        maxEvents: z.number().int().positive().optional(),
        /** Stop after this many seconds of streaming. */
        maxSeconds: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    /**
     * Offline binlog, relative to the directory of sources.yaml: the text of
     * `mariadb-binlog --base64-output=decode-rows -vv --print-table-metadata FILE` (or mysqlbinlog),
     * or a raw binlog file (decoded with the mariadb-binlog/mysqlbinlog CLI).
     */
    file: z.string().min(1).optional(),
    /**
     * Offline only: a `mysqldump --no-data` (or mariadb-dump) file with the tables' definitions,
     * relative to sources.yaml. A --master-data=2 (or --dump-slave) dump is the schema at the position it
     * names: applied there (by file and position in the raw binlog it names, or by GTID in a listing),
     * with the DDL of `file` replayed before and after it; a dump without a position is taken as the
     * definitions at the start of `file`. Every row image's column count is checked against the
     * definition in force.
     */
    schemaFile: z.string().min(1).optional(),
    /** Read every account's grants (SHOW GRANTS FOR, accounts from mysql.user); default true for a live server. */
    grants: z.boolean().default(true),
    /** Offline grants: a file of SHOW GRANTS output for each account, relative to sources.yaml (live or offline). */
    grantsFile: z.string().min(1).optional(),
    /** Replicas of this server and where they are: each is an egress path of every captured database. */
    replicas: z.array(z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).default(3306), region: z.string().min(1) }).strict()).optional(),
  })
  .strict()
  .refine((c) => c.schemaFile === undefined || c.file !== undefined, { message: 'schemaFile is for offline binlogs (file); a live server is read from information_schema', path: ['schemaFile'] })
  .refine((c) => (c.host === undefined) !== (c.file === undefined), {
    message: 'set exactly one of host (a live server) or file (an offline binlog)',
    path: ['host'],
  });

export type MysqlSourceConfig = z.infer<typeof mysqlConfigSchema>;
export type MysqlSourceConfigInput = z.input<typeof mysqlConfigSchema>;
export type BinlogConfig = NonNullable<MysqlSourceConfig['binlog']>;

/** Longest text read per value: enough for any PII recognizer, small enough that a 16 MB cell costs nothing. */
export const MAX_VALUE_CHARS = 4096;
/** Rows read per random primary-key range when sampling a big table. */
export const RANGE_ROWS = 50;
/** Keyed fingerprints kept per column (lineage matches on these, so a sample of them suffices). */
export const MAX_FINGERPRINTS = 50;
/** Server-side bound on every sampling statement (seconds), in case an index is missing. */
export const STATEMENT_SECONDS = 30;
