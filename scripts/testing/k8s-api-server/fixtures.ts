/** Seed objects shared by tests: a Strimzi-like CRD with one custom resource, and RBAC/secret samples. */
export const KAFKA_CONNECTOR_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'kafkaconnectors.kafka.strimzi.io' },
  spec: {
    group: 'kafka.strimzi.io',
    scope: 'Namespaced',
    names: { kind: 'KafkaConnector', listKind: 'KafkaConnectorList', plural: 'kafkaconnectors', singular: 'kafkaconnector', shortNames: ['kctr'], categories: ['strimzi'] },
    versions: [{
      name: 'v1beta2',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          description: 'A KafkaConnector runs a connector in a Kafka Connect cluster.',
          properties: {
            spec: {
              type: 'object',
              description: 'The specification of the Kafka Connector.',
              properties: {
                class: { type: 'string', description: 'The Class for the Kafka Connector.' },
                tasksMax: { type: 'integer', minimum: 1, description: 'The maximum number of tasks for the Kafka Connector.' },
                config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'The Kafka Connector configuration.' },
              },
            },
          },
        },
      },
    }],
  },
};

export const ORDERS_CONNECTOR = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaConnector',
  metadata: { name: 'orders-cdc', namespace: 'shop', labels: { 'strimzi.io/cluster': 'connect' } },
  spec: {
    class: 'io.debezium.connector.mysql.MySqlConnector',
    tasksMax: 1,
    config: { 'database.hostname': 'shop-db', 'database.include.list': 'shop', 'topic.prefix': 'shop' },
  },
};
