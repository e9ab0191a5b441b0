import { z } from 'zod';
import { envVarName } from './env-reference.js';
import { formField } from './field.js';

/**
 * The `kind: mysql` entry of sources.yaml (MySQL or MariaDB). Exactly one of `host` (a live server:
 * information_schema, sampled SELECTs and optionally the binlog) or `file` (an offline binlog).
 */
export const mysqlConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('mysql'),
    region: z.string().min(1),
    host: formField(z.string().min(1).optional(), { input: 'text', label: 'sourceForm.mysql.host', example: '127.0.0.1' }),
    port: formField(z.number().int().min(1).max(65535).default(3306), { input: 'number', label: 'sourceForm.mysql.port' }),
    user: formField(z.string().min(1).optional(), { input: 'text', label: 'sourceForm.mysql.user', example: 'auditor' }),
    /** Name of the environment variable holding the password: secrets by reference only, never in the file. */
    passwordEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.mysql.passwordEnv', help: 'sourceForm.secretEnvHelp', example: 'SHOP_DB_PASSWORD' }),
    /** Databases to capture; default: every database except the server's own (mysql, sys, *_schema). */
    databases: formField(z.array(z.string().min(1)).min(1).optional(), { input: 'list', label: 'sourceForm.mysql.databases', help: 'sourceForm.mysql.databasesHelp', example: 'shop' }),
    /** Rows sampled per table for PII classification. */
    sampleRows: formField(z.number().int().positive().max(100_000).default(1000), { input: 'number', label: 'sourceForm.mysql.sampleRows' }),
    binlog: formField(
      z
        .object({
          /** Replication server id of this capture: must differ from every server and replica in the topology. */
          serverId: formField(z.number().int().min(1).max(4_294_967_295), { input: 'number', label: 'sourceForm.mysql.serverId', help: 'sourceForm.mysql.serverIdHelp', example: '4242' }),
          /** false: read up to the end position seen at start, then stop; true: stream until cancelled. */
          follow: formField(z.boolean().default(false), { input: 'boolean', label: 'sourceForm.mysql.follow' }),
          /** Where a capture without a saved checkpoint starts: the current end (default) or the oldest binlog kept. */
          from: formField(z.enum(['current', 'earliest']).default('current'), { input: 'enum', label: 'sourceForm.mysql.from', help: 'sourceForm.mysql.fromHelp' }),
          /** Stop after this many row events (bounds tests and trial runs). */
          maxEvents: z.number().int().positive().optional(),
          /** Stop after this many seconds of streaming. */
          maxSeconds: z.number().positive().optional(),
        })
        .strict()
        .optional(),
      { input: 'group', label: 'sourceForm.mysql.binlog', help: 'sourceForm.mysql.binlogHelp' },
    ),
    /**
     * Offline binlog, relative to the directory of sources.yaml: the text of
     * `mariadb-binlog --base64-output=decode-rows -vv --print-table-metadata FILE` (or mysqlbinlog),
     * or a raw binlog file (decoded with the mariadb-binlog/mysqlbinlog CLI).
     */
    file: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.mysql.file', help: 'sourceForm.mysql.fileHelp', example: './dumps/shop-binlog.txt' }),
    /**
     * Offline only: a `mysqldump --no-data` (or mariadb-dump) file with the tables' definitions,
     * relative to sources.yaml. A --master-data=2 (or --dump-slave) dump is the schema at the position it
     * names: applied there (by file and position in the raw binlog it names, or by GTID in a listing),
     * with the DDL of `file` replayed before and after it; a dump without a position is taken as the
     * definitions at the start of `file`. Every row image's column count is checked against the
     * definition in force.
     */
    schemaFile: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.mysql.schemaFile', help: 'sourceForm.mysql.schemaFileHelp', example: './dumps/shop-schema.sql' }),
    /** Read every account's grants (SHOW GRANTS FOR, accounts from mysql.user); default true for a live server. */
    grants: formField(z.boolean().default(true), { input: 'boolean', label: 'sourceForm.mysql.grants' }),
    /** Offline grants: a file of SHOW GRANTS output for each account, relative to sources.yaml (live or offline). */
    grantsFile: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.mysql.grantsFile', example: './dumps/shop-grants.txt' }),
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
