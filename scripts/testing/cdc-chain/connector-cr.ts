/**
 * TEST HELPER, NOT PRODUCT CODE. Strimzi KafkaConnector custom resources (kafka.strimzi.io/v1beta2,
 * https://strimzi.io/docs/operators/latest/configuring#type-KafkaConnector-reference) as
 * `kubectl get kafkaconnectors -o json` shows them, for the connectors the cdc-chain stand-ins run.
 */
export const DEBEZIUM_MYSQL_CLASS = 'io.debezium.connector.mysql.MySqlConnector';
export const S3_SINK_CLASS = 'io.confluent.connect.s3.S3SinkConnector';

export interface ConnectorCrOptions {
  namespace?: string;
  /** The KafkaConnect cluster (the `strimzi.io/cluster` label). */
  cluster?: string;
  /** creationTimestamp and the Ready condition's time. */
  createdAt?: string;
}

export function kafkaConnectorCr(name: string, className: string, config: Record<string, string>, opts: ConnectorCrOptions = {}): Record<string, unknown> {
  const createdAt = opts.createdAt ?? '2026-11-20T01:00:00Z';
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaConnector',
    metadata: { name, namespace: opts.namespace ?? 'kafka', labels: { 'strimzi.io/cluster': opts.cluster ?? 'events-connect' }, creationTimestamp: createdAt, uid: `cdc-chain-${name}`, resourceVersion: '1' },
    spec: { class: className, tasksMax: 1, config },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: createdAt }], tasksMax: 1, topics: [] },
  };
}
