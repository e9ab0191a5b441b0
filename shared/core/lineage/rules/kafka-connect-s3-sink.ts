import type { GraphNode } from '../../model/graph.js';
import { phrase, say, spokenDetail } from '../../i18n/phrase.js';
import type { Phrase } from '../../model/phrase.js';
import { s3Urn } from '../../model/urn.js';
import { connectorConfigs, maskFieldTransforms, routeTopic, sinkTopics, splitList, transformsOf, unwrapsEnvelope } from '../connectors.js';
import { connectorEvidence } from '../process.js';
import { defineLineageRule, type InferredEdge } from '../rule.js';
import { fieldPath, fieldsOf, indexView, type ViewIndex } from '../view-index.js';

/** A mask's detail: English text and phrase. */
const maskText = (p: Phrase) => ({ detail: say(p, 'en'), phrase: p });

export const RULE_ID = 'lineage.kafka-connect-s3-sink';

/** Confluent's io.confluent.connect.s3.S3SinkConnector and Aiven's AivenKafkaConnectS3SinkConnector. */
const S3_SINK = /S3SinkConnector$/;

/**
 * Where a topic field lands in the sink's objects. ExtractNewRecordState keeps only the `after`
 * image, flattened (after.email → email; before.* and the envelope metadata are dropped);
 * without it the envelope is written as it is.
 */
export function sinkFieldPath(path: string, unwrapped: boolean): string | undefined {
  if (!unwrapped) return path;
  if (path.startsWith('after.')) return path.slice('after.'.length);
  if (path === 'before' || path.startsWith('before.') || path === 'op' || path === 'ts_ms' || path.startsWith('source.') || path.startsWith('transaction.')) return undefined;
  return path;
}

/** The captured prefix the sink writes a topic to, or the bucket when that prefix was not captured. */
function sinkTarget(index: ViewIndex, byUrn: Map<string, GraphNode>, bucket: GraphNode, dir: string): { node: GraphNode; exact: boolean } {
  const urn = s3Urn(bucket.source, bucket.name, dir);
  const exact = byUrn.get(urn);
  if (exact) return { node: exact, exact: true };
  // Partitioned layouts (topics/<topic>/partition=0/…) may be captured one level deeper.
  const deeper = (index.childrenOf.get(bucket.urn) ?? []).find((n) => n.kind === 'prefix' && n.urn.startsWith(urn + '/'));
  return deeper ? { node: deeper, exact: true } : { node: bucket, exact: false };
}

/**
 * S3 sink connectors write each topic to `<s3.bucket.name>/<topics.dir>/<topic>/…`: topic → prefix
 * `sinks` edges, and field → field edges where the sampled object fields match the topic's fields.
 */
export const kafkaConnectS3Sink = defineLineageRule({
  id: RULE_ID,
  description: 'Kafka Connect S3 sink configs (topics/topics.regex, topics.dir, s3.bucket.name, unwrap/mask SMTs) → sinks edges topic → prefix and field → field',
  infer(view) {
    const index = indexView(view);
    const out: InferredEdge[] = [];
    for (const connector of connectorConfigs(view)) {
      if (!S3_SINK.test(connector.className)) continue;
      const bucketName = connector.config['s3.bucket.name'];
      if (!bucketName) continue;
      const topicsDir = connector.config['topics.dir'] ?? 'topics';
      const transforms = transformsOf(connector.config);
      const unwrapped = unwrapsEnvelope(transforms) !== undefined;
      const masks = maskFieldTransforms(transforms);
      const through = connectorEvidence(connector, 'sink', transforms);
      const { topics, how } = sinkTopics(connector.config, index.topicsByName);
      for (const topic of topics) {
        const dir = `${topicsDir}/${routeTopic(topic.name, transforms)}`;
        for (const bucket of index.bucketsByName.get(bucketName) ?? []) {
          const target = sinkTarget(index, view.byUrn, bucket, dir);
          const detail = phrase('ev.lineage.s3Sink', {
            connector: connector.name, className: connector.className, how, bucket: bucketName, dir: topicsDir, path: `${bucketName}/${dir}`,
            prefixNote: target.exact ? '' : phrase('ev.lineage.prefixNotCaptured'), unwrapNote: unwrapped ? phrase('ev.lineage.unwraps') : '',
          });
          const fieldMap: Record<string, string> = {};
          if (target.exact) {
            for (const field of fieldsOf(index, topic.urn)) {
              const path = fieldPath(field);
              const to = sinkFieldPath(path, unwrapped);
              const sinkField = to === undefined ? undefined : index.fieldOf(target.node.urn, to);
              if (!sinkField || to === undefined) continue;
              fieldMap[path] = to;
              const maskedBy = masks.find((t) => splitList(t.props.fields).includes(to));
              out.push({
                from: field.urn, to: sinkField.urn, kind: 'sinks', confidence: 0.9,
                evidence: {
                  rule: RULE_ID, ...spokenDetail(phrase('ev.lineage.fieldToObjectField', { base: detail, field: path, to })), config: connector.urn, ...through,
                  ...(maskedBy ? { mask: { kind: 'mask-field', ...maskText(phrase('ev.lineage.maskField', { connector: connector.name, alias: maskedBy.alias, field: to })) } } : {}),
                },
              });
            }
          }
          out.push({ from: topic.urn, to: target.node.urn, kind: 'sinks', confidence: target.exact ? 0.9 : 0.6, evidence: { rule: RULE_ID, ...spokenDetail(detail), config: connector.urn, fieldMap, ...through } });
        }
      }
    }
    return out;
  },
});
