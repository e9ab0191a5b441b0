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
