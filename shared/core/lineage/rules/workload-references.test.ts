import { describe, expect, it } from 'vitest';
import { k8sUrn, kafkaUrn, mysqlUrn, s3Urn } from '../../model/urn.js';
import { bucket, table, topic, view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { directionHint, referencesIn, workloadReferences } from './workload-references.js';

describe('workload-references', () => {
  it.each([
    ['KAFKA_CONSUMER_TOPIC', 'reads'],
    ['ORDERS_INPUT_TOPIC', 'reads'],
    ['KAFKA_PRODUCER_TOPIC', 'writes'],
    ['EXPORT_BUCKET', 'writes'],
    ['KAFKA_TOPIC', undefined],
    ['DATABASE_URL', undefined],
  ])('%s → %s', (name, expected) => expect(directionHint(name)).toBe(expected));

  it.each([
    [{ name: 'DATABASE_URL', value: 'mysql://app:pw@db.shop:3306/shop' }, [{ kind: 'database', name: 'shop' }]],
    [{ name: 'DSN', value: 'jdbc:mariadb://db:3306/shop?useSSL=true' }, [{ kind: 'database', name: 'shop' }]],
    [{ name: 'DB_DSN', value: 'app:pw@tcp(db:3306)/shop?parseTime=true' }, [{ kind: 'database', name: 'shop' }]],
    [{ name: 'LAKE', value: 's3://lake-eu/exports/' }, [{ kind: 'bucket', name: 'lake-eu' }]],
    [{ name: 'S3_BUCKET', value: 'lake-eu' }, [{ kind: 'bucket', name: 'lake-eu' }]],
    [{ name: 'KAFKA_TOPICS', value: 'a.b, c.d' }, [{ kind: 'topic', name: 'a.b' }, { kind: 'topic', name: 'c.d' }]],
  ])('%j references %j', (setting, expected) => expect(referencesIn({ ...setting, origin: 'env' })).toMatchObject(expected));

  it.each([
    [{ name: 'LOG_LEVEL', value: 'info' }, 'nothing data-like'],
    [{ name: 'S3_BUCKET', value: 'Not A Bucket!' }, 'not a valid bucket name'],
    [{ name: 'DATABASE_URL', value: 'postgres://db/shop' }, 'not a MySQL DSN'],
  ])('%j references nothing (%s)', (setting) => expect(referencesIn({ ...setting, origin: 'env' })).toEqual([]));

  const DEPLOY = k8sUrn('prod', 'shop', 'Deployment', 'api');
  const nodes = [...table('db', 'shop', 'users', {}), ...topic('k', 'shop.shop.users', {}), ...topic('k', 'audit', {}), ...bucket('lake', 'lake-eu', undefined, {})];
  const configs = [
    {
      urn: DEPLOY,
      content: {
        kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
        spec: { template: { spec: {
          containers: [{ name: 'api', env: [
            { name: 'KAFKA_CONSUMER_TOPIC', value: 'shop.shop.users' },
            { name: 'DATABASE_URL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'db' } } },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
          ], envFrom: [{ configMapRef: { name: 'api-env' } }] }],
          volumes: [{ name: 'conf', configMap: { name: 'api-files' } }],
        } } },
      },
    },
    { urn: k8sUrn('prod', 'shop', 'ConfigMap', 'api-config'), content: { kind: 'ConfigMap', data: { db: 'mysql://api@db/shop' } } },
    { urn: k8sUrn('prod', 'shop', 'ConfigMap', 'api-env'), content: { kind: 'ConfigMap', data: { AUDIT_PRODUCER_TOPIC: 'audit' } } },
    { urn: k8sUrn('prod', 'shop', 'ConfigMap', 'api-files'), content: { kind: 'ConfigMap', data: { 'application.properties': 'export.bucket=lake-eu\n# s3://ignored-comment' } } },
  ];

  it('follows env, configMapKeyRef, envFrom and mounted files to reads/writes edges, and links the Secrets/ConfigMaps used', () => {
    const edges = workloadReferences.infer(view(nodes, configs));
    expect(edges.map((e) => `${e.kind} ${e.to} ${e.confidence}`).sort()).toEqual([
      `mounts ${k8sUrn('prod', 'shop', 'ConfigMap', 'api-files')} 1`,
      `reads ${kafkaUrn('k', 'shop.shop.users')} 0.8`,
      `reads ${mysqlUrn('db', 'shop')} 0.5`,
      `references ${k8sUrn('prod', 'shop', 'ConfigMap', 'api-config')} 1`,
      `references ${k8sUrn('prod', 'shop', 'ConfigMap', 'api-env')} 1`,
      `references ${k8sUrn('prod', 'shop', 'Secret', 'db-creds')} 1`,
      `writes ${kafkaUrn('k', 'audit')} 0.8`,
      `writes ${s3Urn('lake', 'lake-eu')} 0.8`,
    ].sort());
    expect(edges.every((e) => e.from === DEPLOY)).toBe(true);
    // A DSN's credentials never reach the evidence.
    expect(JSON.stringify(edges)).not.toContain('api@');
  });
});
