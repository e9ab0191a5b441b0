import { describe, expect, it } from 'vitest';
import { k8sUrn, kafkaUrn, s3Urn } from '../model/urn.js';
import { diffConnectorRoutes } from './route-diff.js';
import { bucket, pii, table, topic, view } from '../../../scripts/testing/fixtures/lineage-graphs.js';

const CR = k8sUrn('p', 'kafka', 'KafkaConnector', 'sink');
const sink = (config: Record<string, string>) => ({ kind: 'KafkaConnector', metadata: { name: 'sink' }, spec: { class: 'io.confluent.connect.s3.S3SinkConnector', config: { topics: 't', ...config } } });
const nodes = [
  ...table('db', 'shop', 'users', { email: [pii('EMAIL')] }),
  ...topic('k', 't', { email: [pii('EMAIL')] }),
  ...bucket('lake', 'cn', 'topics/t', { email: [] }, 'cn-north-1'),
  ...bucket('lake', 'eu', 'topics/t', { email: [] }, 'eu-west-1'),
];

describe('diffConnectorRoutes', () => {
  it('names the changed route key and the edges the new version adds and drops', () => {
    const v = view(nodes, [{ urn: CR, content: sink({ 's3.bucket.name': 'eu' }) }]);
    const d = diffConnectorRoutes(v, CR, sink({ 's3.bucket.name': 'cn' }), sink({ 's3.bucket.name': 'eu', 'flush.size': '10' }));
    expect(d.changedKeys).toEqual([{ connector: 'sink', key: 's3.bucket.name', before: 'cn', after: 'eu' }]);
    expect(d.added.map((e) => e.to).sort()).toEqual([s3Urn('lake', 'eu', 'topics/t'), s3Urn('lake', 'eu', 'topics/t', 'email')]);
    expect(d.removed.map((e) => e.to).sort()).toEqual([s3Urn('lake', 'cn', 'topics/t'), s3Urn('lake', 'cn', 'topics/t', 'email')]);
  });

  it('sees a removed MaskField as a mask removed on the same edge', () => {
    const masked = sink({ 's3.bucket.name': 'eu', transforms: 'm', 'transforms.m.type': 'org.apache.kafka.connect.transforms.MaskField$Value', 'transforms.m.fields': 'email' });
    const d = diffConnectorRoutes(view(nodes), CR, masked, sink({ 's3.bucket.name': 'eu' }));
    expect(d.masksRemoved).toMatchObject([{ from: kafkaUrn('k', 't', 'email'), to: s3Urn('lake', 'eu', 'topics/t', 'email'), mask: { kind: 'mask-field' } }]);
    expect(d.added).toEqual([]);
  });

  it('ignores settings that do not route data', () => {
    const d = diffConnectorRoutes(view(nodes), CR, sink({ 's3.bucket.name': 'eu', 'flush.size': '1' }), sink({ 's3.bucket.name': 'eu', 'flush.size': '2' }));
    expect(d).toEqual({ changedKeys: [], added: [], removed: [], masksRemoved: [], masksAdded: [] });
  });
});
