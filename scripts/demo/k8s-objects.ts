/**
 * The demo company's Kubernetes objects (namespace "shop", Kafka Connect connectors, RBAC), as
 * plain manifests. The generator writes them as GitOps commits (desired) and as `kubectl get -o json`
 * dumps (live, with what an API server adds), with the differences an audit should find.
 */
export interface ShopVersion {
  checkoutImage: string;
  checkoutReplicas: number;
  sinkBucket: string;
  sinkRegion: string;
  withAnalytics: boolean;
  checkoutExtraEnv?: { name: string; value: string }[];
}

const labels = (app: string) => ({ app, 'app.kubernetes.io/part-of': 'shop' });

function deployment(name: string, image: string, replicas: number, env: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: labels(name) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          serviceAccountName: name,
          containers: [{ name, image, ports: [{ containerPort: 8080 }], env, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, ...extra }],
        },
      },
    },
  };
}

export function shopManifests(v: ShopVersion): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kafka' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'checkout', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders-api', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db-credentials', namespace: 'shop' }, type: 'Opaque', stringData: { DATABASE_URL: 'mysql://shop_app:demo-not-a-real-password@shop-db.shop.svc:3306/shop', DATABASE_USER: 'shop_app', DATABASE_PASSWORD: 'demo-not-a-real-password' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'checkout-config', namespace: 'shop' }, data: { KAFKA_BOOTSTRAP: 'events-kafka-bootstrap.kafka.svc:9092', KAFKA_PRODUCER_TOPIC: 'shop.shop.orders', PAYMENT_TIMEOUT_MS: '3000' } },
    deployment('checkout', v.checkoutImage, v.checkoutReplicas, [
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-db-credentials', key: 'DATABASE_URL' } } },
      { name: 'KAFKA_PRODUCER_TOPIC', valueFrom: { configMapKeyRef: { name: 'checkout-config', key: 'KAFKA_PRODUCER_TOPIC' } } },
      { name: 'BUILD_ID', value: '2041' },
      ...(v.checkoutExtraEnv ?? []),
    ]),
    deployment('orders-api', 'registry.example.cn/shop/orders-api:3.4.0', 2, [
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-db-credentials', key: 'DATABASE_URL' } } },
      { name: 'KAFKA_CONSUMER_TOPIC', value: 'shop.shop.orders' },
    ]),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'shop' }, spec: { selector: { app: 'checkout' }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'secret-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ops-read-secrets', namespace: 'shop' }, subjects: [{ kind: 'Group', name: 'shop-ops', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { kind: 'Role', name: 'secret-reader', apiGroup: 'rbac.authorization.k8s.io' } },
    {
      apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnector',
      metadata: { name: 'shop-mysql-cdc', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events-connect' } },
      spec: {
        class: 'io.debezium.connector.mysql.MySqlConnector', tasksMax: 1,
        config: {
          'database.hostname': 'shop-db.shop.svc', 'database.port': '3306', 'database.user': 'debezium', 'database.password': '${secrets:kafka/debezium-credentials:password}',
          'database.server.id': '184054', 'topic.prefix': 'shop', 'database.include.list': 'shop', 'table.include.list': 'shop.users,shop.orders',
          'column.mask.with.12.chars': 'shop.users.id_card',
        },
      },
    },
    {
      apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnector',
      metadata: { name: 'lake-sink', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events-connect' } },
      spec: {
        class: 'io.confluent.connect.s3.S3SinkConnector', tasksMax: 1,
        config: {
          topics: 'shop.shop.users', 'topics.dir': 'topics', 's3.bucket.name': v.sinkBucket, 's3.region': v.sinkRegion,
          'format.class': 'io.confluent.connect.s3.format.json.JsonFormat', 'flush.size': '1000',
          transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
        },
      },
    },
  ];
  if (v.withAnalytics) {
    objects.push(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'analytics-export', namespace: 'shop' } },
      deployment('analytics-export', 'registry.example.cn/data/analytics-export:0.9.1', 1, [
        { name: 'KAFKA_CONSUMER_TOPIC', value: 'shop.shop.users' },
        { name: 'S3_BUCKET', value: v.sinkBucket },
      ]),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'analytics-read-secrets', namespace: 'shop' }, subjects: [{ kind: 'ServiceAccount', name: 'analytics-export', namespace: 'shop' }], roleRef: { kind: 'Role', name: 'secret-reader', apiGroup: 'rbac.authorization.k8s.io' } },
    );
  }
  return objects;
}

/** The CRD of KafkaConnector (trimmed to the fields the demo uses), so `driftline explain` works offline. */
export const kafkaConnectorCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'kafkaconnectors.kafka.strimzi.io' },
  spec: {
    group: 'kafka.strimzi.io', scope: 'Namespaced',
    names: { kind: 'KafkaConnector', plural: 'kafkaconnectors', singular: 'kafkaconnector', shortNames: ['kctr'] },
    versions: [{
      name: 'v1beta2', served: true, storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object', description: 'A Kafka Connect connector managed by Strimzi.',
          properties: {
            spec: {
              type: 'object', description: 'The specification of the Kafka Connector.',
              properties: {
                class: { type: 'string', description: 'The Class for the Kafka Connector.' },
                tasksMax: { type: 'integer', minimum: 1, description: 'The maximum number of tasks for the Kafka Connector.' },
                config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'The Kafka Connector configuration. The following properties cannot be set: connector.class, tasks.max.' },
                pause: { type: 'boolean', description: 'Whether the connector should be paused. Defaults to false.' },
              },
            },
            status: { type: 'object', description: 'The status of the Kafka Connector.' },
          },
        },
      },
    }],
  },
};

let uidCounter = 0;

/**
 * What an API server adds to a manifest: uid, resourceVersion, managedFields, status, defaults.
 * Drift must see through all of it.
 */
export function asLive(obj: Record<string, unknown>, createdAt: string): Record<string, unknown> {
  const o = structuredClone(obj) as any;
  uidCounter++;
  o.metadata = {
    ...o.metadata,
    uid: `0000${uidCounter.toString(16).padStart(4, '0')}-demo-4000-8000-${uidCounter.toString().padStart(12, '0')}`,
    resourceVersion: String(100000 + uidCounter * 7),
    creationTimestamp: createdAt,
    managedFields: [{ manager: 'argocd-controller', operation: 'Apply', apiVersion: o.apiVersion, time: createdAt, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
  };
  if (o.kind === 'Secret' && o.stringData) {
    o.data = Object.fromEntries(Object.entries(o.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    delete o.stringData;
  }
  if (o.kind === 'Deployment') {
    o.metadata.generation = 3;
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'deployment.kubernetes.io/revision': '3' };
    o.spec.revisionHistoryLimit = 10;
    o.spec.progressDeadlineSeconds = 600;
    o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    const pod = o.spec.template.spec;
    pod.restartPolicy = 'Always';
    pod.dnsPolicy = 'ClusterFirst';
    pod.schedulerName = 'default-scheduler';
    pod.terminationGracePeriodSeconds = 30;
    pod.securityContext = {};
    for (const c of pod.containers) {
      c.imagePullPolicy = 'IfNotPresent';
      c.terminationMessagePath = '/dev/termination-log';
      c.terminationMessagePolicy = 'File';
      for (const p of c.ports ?? []) p.protocol = 'TCP';
    }
    o.status = { replicas: o.spec.replicas, readyReplicas: o.spec.replicas, availableReplicas: o.spec.replicas, observedGeneration: 3 };
  }
  if (o.kind === 'Service') {
    // A Service keeps its cluster IP for life: derive it from the name, so both dumps agree.
    const h = [...`${o.metadata.namespace}/${o.metadata.name}`].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
    o.spec.clusterIP = `10.96.${h % 250}.${(h >>> 8) % 250}`;
    o.spec.clusterIPs = [o.spec.clusterIP];
    o.spec.type = 'ClusterIP';
    o.spec.sessionAffinity = 'None';
    for (const p of o.spec.ports) p.protocol = 'TCP';
  }
  if (o.kind === 'KafkaConnector') o.status = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: createdAt }], tasksMax: 1 };
  if (o.kind === 'Namespace') o.status = { phase: 'Active' };
  return o;
}
