import { describe, expect, it } from 'vitest';
import { connectUrn, k8sUrn, kafkaUrn, s3Urn } from '../model/urn.js';
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

  describe('two connectors on one (from, to) pair, one of them masking', () => {
    // One ConfigMap holding two S3 sinks of topic t into the same bucket and prefix: two routes.
    const CM = k8sUrn('p', 'kafka', 'ConfigMap', 'sinks');
    const props = (name: string, masked: boolean) => [
      `name=${name}`, 'connector.class=io.confluent.connect.s3.S3SinkConnector', 'topics=t', 's3.bucket.name=eu',
      ...(masked ? ['transforms=m', 'transforms.m.type=org.apache.kafka.connect.transforms.MaskField$Value', 'transforms.m.fields=email'] : []),
    ].join('\n');
    const configMap = (a: { masked: boolean } | undefined, b: { masked: boolean } | undefined) => ({
      kind: 'ConfigMap', metadata: { name: 'sinks', namespace: 'kafka' },
      data: { ...(a ? { 'sink-a.properties': props('sink-a', a.masked) } : {}), ...(b ? { 'sink-b.properties': props('sink-b', b.masked) } : {}) },
    });
    const A = connectUrn('p', 'sink-a', 'kafka');
    const B = connectUrn('p', 'sink-b', 'kafka');
    const field = { from: kafkaUrn('k', 't', 'email'), to: s3Urn('lake', 'eu', 'topics/t', 'email') };

    it('sees the mask removed from the one connector while the other still masks the same pair', () => {
      const d = diffConnectorRoutes(view(nodes), CM, configMap({ masked: true }, { masked: true }), configMap({ masked: true }, { masked: false }));
      expect(d.changedKeys.map((k) => `${k.connector}: ${k.key}`)).toEqual(['sink-b: transforms', 'sink-b: transforms.m.fields', 'sink-b: transforms.m.type']);
      expect(d.masksRemoved).toMatchObject([{ ...field, via: B, mask: { kind: 'mask-field' } }]);
      expect(d.masksAdded).toEqual([]);
      expect(d.added).toEqual([]);
      expect(d.removed).toEqual([]);
    });

    it('sees a second, unmasked connector added on a pair the first already carries, as new routes through it', () => {
      const d = diffConnectorRoutes(view(nodes), CM, configMap({ masked: true }, undefined), configMap({ masked: true }, { masked: false }));
      expect(d.added.map((e) => `${e.from} → ${e.to} via ${(e.evidence as { via?: string }).via}`).sort()).toEqual([
        `${kafkaUrn('k', 't')} → ${s3Urn('lake', 'eu', 'topics/t')} via ${B}`,
        `${field.from} → ${field.to} via ${B}`,
      ]);
      expect(d.added.every((e) => e.evidence.mask === undefined)).toBe(true);
      expect(d.removed).toEqual([]);
      expect(d.masksRemoved).toEqual([]);
      expect(A).not.toBe(B);
    });
  });
});
