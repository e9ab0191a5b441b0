import { describe, expect, it } from 'vitest';
import { k8sUrn, kafkaUrn, s3Urn } from '../../model/urn.js';
import { connectorsIn } from '../connectors.js';
import { edgeMask } from '../rule.js';
import { bucket, pii, topic, view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { kafkaConnectS3Sink, sinkFieldPath } from './kafka-connect-s3-sink.js';

const T = 'shop.shop.users';
const nodes = [
  ...topic('k', T, { 'after.email': [pii('EMAIL')], 'before.email': [], op: [] }),
  ...bucket('lake', 'lake-eu', `topics/${T}`, { email: [], 'after.email': [] }),
  ...bucket('lake', 'lake-raw', `raw/${T}/partition=0`, { 'after.email': [] }),
  ...bucket('lake', 'lake-empty', undefined, {}),
];
const S3 = 'io.confluent.connect.s3.S3SinkConnector';
const UNWRAP = { transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState' };
const strimzi = (config: Record<string, unknown>) => ({ urn: k8sUrn('p', 'kafka', 'KafkaConnector', 'sink'), content: { kind: 'KafkaConnector', metadata: { name: 'sink' }, spec: { class: S3, config } } });
const fieldPairs = (config: { urn: string; content: unknown }) => kafkaConnectS3Sink.infer(view(nodes, [config])).filter((e) => e.from.includes('#')).map((e) => `${e.from.split('#')[1]}→${e.to}`).sort();

describe('kafka-connect-s3-sink', () => {
  it.each([
    ['after.email', true, 'email'],
    ['after.email', false, 'after.email'],
    ['before.email', true, undefined],
    ['op', true, undefined],
    ['id', true, 'id'],
  ])('%s (unwrapped %s) lands as %s', (path, unwrapped, expected) => expect(sinkFieldPath(path, unwrapped)).toBe(expected));

  it('reads the config from a Strimzi CR, a ConfigMap with JSON and a Connect REST dump alike', () => {
    const config = { 'connector.class': S3, topics: T, 's3.bucket.name': 'lake-eu', ...UNWRAP };
    const sources = [
      strimzi({ topics: T, 's3.bucket.name': 'lake-eu', ...UNWRAP }),
      { urn: k8sUrn('p', 'kafka', 'ConfigMap', 'connectors'), content: { kind: 'ConfigMap', data: { 'sink.json': JSON.stringify({ name: 'sink', config }) } } },
      { urn: 'git://g/connect/dump.json', content: { sink: { info: { name: 'sink', config, tasks: [] }, status: { state: 'RUNNING' } } } },
    ];
    for (const s of sources) {
      expect(connectorsIn(s.urn, s.content).map((c) => c.name)).toEqual(['sink']);
      expect(fieldPairs(s)).toEqual([`after.email→${s3Urn('lake', 'lake-eu', `topics/${T}`, 'email')}`]);
    }
  });

  it.each([
    { why: 'without unwrap the envelope path is kept', config: { topics: T, 's3.bucket.name': 'lake-eu' }, expected: [`after.email→${s3Urn('lake', 'lake-eu', `topics/${T}`, 'after.email')}`] },
    { why: 'topics.regex and topics.dir, partitioned prefix', config: { 'topics.regex': 'shop\\..*', 'topics.dir': 'raw', 's3.bucket.name': 'lake-raw' }, expected: [`after.email→${s3Urn('lake', 'lake-raw', `raw/${T}/partition=0`, 'after.email')}`] },
  ])('$why', ({ config, expected }) => expect(fieldPairs(strimzi(config))).toEqual(expected));

  it('falls back to the bucket, with lower confidence, when the prefix was not captured', () => {
    const edges = kafkaConnectS3Sink.infer(view(nodes, [strimzi({ topics: T, 's3.bucket.name': 'lake-empty' })]));
    expect(edges).toMatchObject([{ from: kafkaUrn('k', T), to: s3Urn('lake', 'lake-empty'), kind: 'sinks', confidence: 0.6 }]);
  });

  it('records a MaskField SMT as a mask on the field edge', () => {
    const edges = kafkaConnectS3Sink.infer(view(nodes, [strimzi({ topics: T, 's3.bucket.name': 'lake-eu', transforms: 'unwrap,mask', 'transforms.unwrap.type': UNWRAP['transforms.unwrap.type'], 'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value', 'transforms.mask.fields': 'email' })]));
    expect(edgeMask(edges.find((e) => e.from.includes('#'))!)).toMatchObject({ kind: 'mask-field' });
  });

  it.each([
    ['no s3.bucket.name', { topics: T }],
    ['a bucket no S3 source captured', { topics: T, 's3.bucket.name': 'elsewhere' }],
    ['a topic that was not captured', { topics: 'other', 's3.bucket.name': 'lake-eu' }],
    ['an invalid topics.regex', { 'topics.regex': '(', 's3.bucket.name': 'lake-eu' }],
  ])('infers nothing with %s', (_why, config) => expect(kafkaConnectS3Sink.infer(view(nodes, [strimzi(config)]))).toEqual([]));
});
