/** A mysql source's config: the schema lives in shared/core (the studio form is generated from it); the limits below are the capture's. */
export { mysqlConfigSchema, type MysqlSourceConfig, type MysqlSourceConfigInput, type BinlogConfig } from '../../../core/sources/mysql.js';

/** Longest text read per value: enough for any PII recognizer, small enough that a 16 MB cell costs nothing. */
export const MAX_VALUE_CHARS = 4096;
/** Rows read per random primary-key range when sampling a big table. */
export const RANGE_ROWS = 50;
/** Keyed fingerprints kept per column (lineage matches on these, so a sample of them suffices). */
export const MAX_FINGERPRINTS = 50;
/** Server-side bound on every sampling statement (seconds), in case an index is missing. */
export const STATEMENT_SECONDS = 30;
