import { AppError } from '../../api/errors.js';
import type { LineageRule } from '../rule.js';
import { debeziumTopicNaming } from './debezium-topic-naming.js';
import { debeziumConnectorConfig } from './debezium-connector-config.js';
import { kafkaConnectS3Sink } from './kafka-connect-s3-sink.js';
import { kafkaConnectJdbcSink } from './kafka-connect-jdbc-sink.js';
import { workloadReferences } from './workload-references.js';
import { valueFingerprints } from './value-fingerprints.js';

/** Every lineage rule. Adding one is one file in this folder and one line here. */
export const LINEAGE_RULES: LineageRule[] = [
  debeziumTopicNaming,
  debeziumConnectorConfig,
  kafkaConnectS3Sink,
  kafkaConnectJdbcSink,
  workloadReferences,
  valueFingerprints,
];

/**
 * Adds a lineage rule from its own file (a test's throwaway rule, or a plugin): every inference that
 * does not pass its own list runs it. Its id must be unique and start with `lineage.` (the analyzer
 * replaces its own edges by that prefix).
 */
export function registerLineageRule(rule: LineageRule): void {
  if (!rule.id.startsWith('lineage.')) throw new AppError('INTERNAL', `lineage rule "${rule.id}": its id must start with "lineage."`);
  const existing = LINEAGE_RULES.find((r) => r.id === rule.id);
  if (existing === rule) return;
  if (existing) throw new AppError('INTERNAL', `lineage rule "${rule.id}" is registered already; give the new rule its own id`);
  LINEAGE_RULES.push(rule);
}
