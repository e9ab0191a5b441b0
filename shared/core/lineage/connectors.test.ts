import { describe, expect, it } from 'vitest';
import { connectUrn, gitUrn, k8sUrn, kafkaUrn, mysqlUrn, s3Urn } from '../model/urn.js';
import { bucket, pii, table, topic, view } from '../../../scripts/testing/fixtures/lineage-graphs.js';
import { connectorConfigs, sameConnector, type ConnectorConfig } from './connectors.js';
import { findCrossBorderFlows } from './flows.js';
import { inferLineage } from './infer.js';

/**
 * One connector seen through the Connect REST API and as a Strimzi KafkaConnector (live and in git)
 * is one process node carrying every configuration object as evidence — and only when the objects
 * agree on every setting (connectors.ts, `sameConnector`).
 */
const MYSQL = 'io.debezium.connector.mysql.MySqlConnector';
const S3 = 'io.confluent.connect.s3.S3SinkConnector';
const T = 'shop.shop.users';
const nodes = [
  ...table('db', 'shop', 'users', { email: [pii('EMAIL')], phone: [pii('CN_MOBILE')] }),
  ...topic('k', T, { 'after.email': [], 'after.phone': [] }),
  ...bucket('lake', 'lake-eu', `topics/${T}`, { 'after.email': [], 'after.phone': [] }),
];
const CDC = { 'topic.prefix': 'shop', 'table.include.list': 'shop.users', 'database.hostname': 'mysql.shop', 'column.mask.with.8.chars': 'shop.users.email' };
const SINK = { topics: T, 's3.bucket.name': 'lake-eu' };

/** What the kafka-connect source stores: the REST config, secrets replaced by `{ $hash }`. */
const rest = (source: string, name: string, cls: string, config: Record<string, unknown>) => ({
  urn: connectUrn(source, name),
  content: { kind: 'KafkaConnectConnector', name, config: { name, 'connector.class': cls, 'tasks.max': '1', ...config } },
});
/** A KafkaConnector as the kubernetes or git source stores it (typed YAML values, tasksMax apart). */
const cr = (urn: string, name: string, cls: string, config: Record<string, unknown>) => ({
  urn, content: { kind: 'KafkaConnector', metadata: { name, namespace: 'kafka', labels: { 'strimzi.io/cluster': 'connect' } }, spec: { class: cls, tasksMax: 2, config } },
});
const K8S_CDC = k8sUrn('prod', 'kafka', 'KafkaConnector', 'cdc');
const GIT_CDC = gitUrn('gitops', 'clusters/prod/connectors.yaml');
const K8S_SINK = k8sUrn('prod', 'kafka', 'KafkaConnector', 'sink');

const processesOf = (configs: { urn: string; content: unknown }[]) => inferLineage(view(nodes, configs)).processes;

describe('one process node per connector', () => {
  it('merges the REST capture, the live CR and the git CR of each connector into one node with all three as evidence', () => {
    const configs = [
      cr(K8S_CDC, 'cdc', MYSQL, { ...CDC, 'database.password': '${secrets:kafka/db:password}' }),
      cr(GIT_CDC, 'cdc', MYSQL, { ...CDC, 'database.password': '${secrets:kafka/db:password}' }),
      rest('connect', 'cdc', MYSQL, { ...CDC, 'database.password': { $hash: 'h:1' } }),
      cr(K8S_SINK, 'sink', S3, SINK),
      rest('connect', 'sink', S3, SINK),
    ];
    const { processes, edges } = inferLineage(view(nodes, configs));
    expect(processes.map((p) => p.urn).sort()).toEqual([connectUrn('connect', 'cdc'), connectUrn('connect', 'sink')]);
    const cdc = processes.find((p) => p.name === 'cdc')!;
    // The live capture first (it carries state and tasks), then the others in URN order.
    expect(cdc.evidence).toEqual([connectUrn('connect', 'cdc'), GIT_CDC, K8S_CDC]);
    expect(cdc.config).toBe(connectUrn('connect', 'cdc'));
    expect(cdc).toMatchObject({ inputs: [mysqlUrn('db', 'shop', 'users')], outputs: [kafkaUrn('k', T)] });
    expect(cdc.masks.map((m) => m.mask.kind)).toEqual(['mask-with-chars']);
    expect(processes.find((p) => p.name === 'sink')!.evidence).toEqual([connectUrn('connect', 'sink'), K8S_SINK]);

    // Every hop names the one node; none goes through a per-object duplicate.
    const vias = new Set(edges.flatMap((e) => [e.from, e.to]).filter((u) => u.startsWith('connect://')));
    expect([...vias].sort()).toEqual([connectUrn('connect', 'cdc'), connectUrn('connect', 'sink')]);
    // And the cross-border flow table → bucket passes each connector once.
    const flows = findCrossBorderFlows(view(nodes, configs), edges);
    expect(flows).toHaveLength(1);
    expect(flows[0].path.filter((u) => u.startsWith('connect://'))).toEqual([connectUrn('connect', 'cdc'), connectUrn('connect', 'sink')]);
  });

  it('keeps two nodes when a setting differs or exists on one side only (a mask added over REST, a stale CR)', () => {
    const withoutMask = Object.fromEntries(Object.entries(CDC).filter(([k]) => !k.startsWith('column.mask')));
    const masked = rest('connect', 'cdc', MYSQL, CDC);
    expect(processesOf([cr(K8S_CDC, 'cdc', MYSQL, withoutMask), masked]).map((p) => p.urn).sort()).toEqual([connectUrn('connect', 'cdc'), connectUrn('prod', 'cdc', 'kafka')]);
    const stale = [cr(K8S_CDC, 'cdc', MYSQL, { ...CDC, 'database.hostname': 'mysql.old' }), masked];
    expect(processesOf(stale)).toHaveLength(2);
    expect(connectorConfigs(view(nodes, stale)).every((c) => c.process === undefined)).toBe(true);
    // Same settings, another class or name: not the same connector.
    expect(processesOf([cr(K8S_CDC, 'cdc', 'io.debezium.connector.mysql.MySqlConnectorV2', CDC), masked]).length).toBeGreaterThan(1);
  });

  it('never merges two live connectors, and leaves a CR that matches both on its own rather than guess its cluster', () => {
    const configs = [rest('dev', 'cdc', MYSQL, CDC), rest('prod', 'cdc', MYSQL, CDC), cr(K8S_CDC, 'cdc', MYSQL, CDC)];
    expect(processesOf(configs).map((p) => p.urn).sort()).toEqual([connectUrn('dev', 'cdc'), connectUrn('prod', 'cdc'), connectUrn('prod', 'cdc', 'kafka')]);
    expect(connectorConfigs(view(nodes, configs)).every((c) => c.process === undefined)).toBe(true);
  });

  it('does not compare values hidden by policy: a preview proves neither equal nor different', () => {
    const base = (config: Record<string, string>, hidden?: string[]): ConnectorConfig => ({ urn: 'x', name: 'cdc', className: MYSQL, config, origin: 'embedded', ...(hidden ? { hidden } : {}) });
    expect(sameConnector(base({ 'connection.url': 'jdbc:mysql://app:****@db/shop' }, ['connection.url']), base({ 'connection.url': 'jdbc:mysql://app:pw@db/shop' }))).toBe(true);
    expect(sameConnector(base({ 'connection.url': 'jdbc:mysql://db/shop' }), base({ 'connection.url': 'jdbc:mysql://db/other' }))).toBe(false);
    expect(sameConnector(base({ 'tasks.max': '1', topics: 'a' }), base({ topics: ' a ' }))).toBe(true);
  });
});
