import { describe, expect, it } from 'vitest';
import { changeSeverity } from './severity.js';

describe('changeSeverity: from what the change does', () => {
  it.each([
    // The demo's lake-sink: the region change that causes every cross-border flow.
    ['KafkaConnector', '/spec/config/s3.region', 'cn-north-1', 'eu-west-1', 'high', 'moves-data-abroad'],
    ['KafkaConnector', '/spec/config/store.url', 'https://s3.cn-north-1.amazonaws.com.cn', 'https://s3.eu-west-1.amazonaws.com', 'high', 'moves-data-abroad'],
    ['KafkaConnector', '/spec/config/s3.region', 'eu-west-1', 'eu-central-1', 'low', 'configuration'], // same jurisdiction
    ['KafkaConnector', '/spec/config/column.mask.hash.SHA-256.with.salt.x', 'shop.users.phone', undefined, 'high', 'removes-mask'],
    ['KafkaConnector', '/spec/config/transforms', 'unwrap,maskPhone', 'unwrap', 'high', 'removes-mask'],
    ['Service', '/spec/type', 'ClusterIP', 'LoadBalancer', 'high', 'opens-access'],
    ['Role', '/rules/0/verbs', ['get'], ['*'], 'high', 'opens-access'],
    ['Deployment', '/spec/template/spec/containers/0/image', 'a:1', 'a:2', 'high', 'rights-or-code'],
    ['Deployment', '/spec/replicas', 3, 5, 'low', 'capacity'],
    ['Secret', '/data/password', { $hash: 'a' }, { $hash: 'b' }, 'medium', 'credential'],
    ['ConfigMap', '/data/LOG_LEVEL', 'info', 'debug', 'low', 'configuration'],
    ['RoleBinding', '', undefined, {}, 'high', 'access-object'],
  ] as const)('%s %s %j → %j: %s', (kind, path, desired, live, severity, reason) => {
    expect(changeSeverity(kind, path, desired, live)).toEqual({ severity, reason });
  });

  it('ranks the region change that moves PII abroad above a replica change', () => {
    const order = ['info', 'low', 'medium', 'high', 'critical'];
    const region = changeSeverity('KafkaConnector', '/spec/config/s3.region', 'cn-north-1', 'eu-west-1').severity;
    const replicas = changeSeverity('Deployment', '/spec/replicas', 3, 5).severity;
    expect(order.indexOf(region)).toBeGreaterThan(order.indexOf(replicas));
  });
});
