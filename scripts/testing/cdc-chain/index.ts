/**
 * TEST HELPERS, NOT PRODUCT CODE. A tiny, honest stand-in for a Debezium + Kafka Connect pipeline
 * that moves real data through the real test servers (MariaDB, the test Kafka broker, s3rver), so
 * Driftline can be tested the way an auditor uses it: on systems a CDC pipeline has really written.
 *
 * - `relayBinlogToKafka`: the Debezium MySQL source connector (replica of the binlog → change events).
 * - `sinkTopicToS3`: Kafka Connect with the Confluent S3 sink (topic → NDJSON objects).
 * - `kafkaConnectorCr`: the Strimzi KafkaConnector custom resource that describes either one, built
 *   from the very config the stand-in ran, so the cluster dump an auditor scans says what really happened.
 *
 * Each reads only the config keys it implements and refuses data-changing keys it does not
 * (see debezium-envelope.ts and s3-sink.ts), so a CR can never claim something the data does not show.
 */
export { relayBinlogToKafka, type BinlogPosition, type BinlogRelayOptions, type BinlogRelayResult } from './binlog-relay.js';
export { sinkTopicToS3, sinkObjectKey, unwrapChange, type S3SinkOptions, type S3SinkResult } from './s3-sink.js';
export { parseDebeziumConfig, changeEnvelope, debeziumRow, debeziumValue } from './debezium-envelope.js';
export { kafkaConnectorCr, DEBEZIUM_MYSQL_CLASS, S3_SINK_CLASS } from './connector-cr.js';
