/** A kafka source's config: the schema lives in shared/core (the studio form is generated from it); the limits below are the capture's. */
export { kafkaConfigSchema, type KafkaSourceConfig } from '../../../core/sources/kafka.js';

/** Largest record batch a sampling fetch may bring per partition; bigger messages are reported, not read. */
export const PARTITION_MAX_BYTES = 1024 * 1024;
/** Cap of a whole fetch response (KIP-74 `max_bytes`). */
export const FETCH_MAX_BYTES = 4 * 1024 * 1024;
/** Longest kcat dump line read into memory; longer lines are skipped as oversize. */
export const MAX_DUMP_LINE_BYTES = 4 * 1024 * 1024;
