import { connectorConfigs, sinkTopics, transformsOf, type ConnectorConfig } from '../../lineage/connectors.js';
import { connectorEvidence } from '../../lineage/process.js';
import { indexView } from '../../lineage/view-index.js';
import { netUrn } from '../../model/urn.js';
import { hostsIn } from '../endpoints.js';
import { regionOfBucket } from '../region-map.js';
import { capturedAt, defineEgressRule, endpointFor, type EgressEdge, type EgressResult, type EgressView, type EndpointNode } from '../rule.js';

export const RULE_ID = 'egress.connector-sink';

/** The host of the endpoint standing for "where this connector writes is not known" (`net://unresolved/<connector>`). */
export const UNRESOLVED_HOST = 'unresolved';

/** Source connectors (they write into Kafka, not out of it). */
const SOURCE_CLASS = /SourceConnector$|\.debezium\.connector\.|MirrorCheckpointConnector|MirrorHeartbeatConnector|Replicator/;

/** Where a sink of a known family writes: config keys holding its destination, in order of preference. */
const DESTINATION_KEYS = ['connection.url', 'connection.uri', 'http.api.url', 'endpoint.url', 'store.url', 'url', 'hosts', 'connection.hosts', 'bootstrap.servers', 'snowflake.url.name'];
/** Any other key that names a destination. */
const GENERIC_KEY = /(^|\.)(url|uri|hosts?|endpoint|servers|address)$/i;

/** Object-store sinks: the bucket and, when the config says it, the region (S3 sink `s3.region`). */
function bucketDestination(c: ConnectorConfig): { store: 's3' | 'gcs' | 'azure'; bucket: string; region?: string } | undefined {
  const cfg = c.config;
  const s3 = cfg['s3.bucket.name'] ?? cfg['aws.s3.bucket.name'] ?? cfg['aws.s3.bucket'];
  if (s3) return { store: 's3', bucket: s3, region: cfg['s3.region'] ?? cfg['aws.s3.region'] ?? cfg['aws.region'] };
  const gcs = cfg['gcs.bucket.name'] ?? cfg['gcs.bucket'];
  if (gcs) return { store: 'gcs', bucket: gcs };
  const azure = cfg['azblob.container.name'] ?? cfg['azure.container.name'];
  if (azure) return { store: 'azure', bucket: azure };
  return undefined;
}

/** The consumer group a sink connector reads with (Kafka Connect names it `connect-<connector>`). */
export const sinkConsumerGroup = (c: ConnectorConfig): string => c.config['consumer.override.group.id'] ?? `connect-${c.name}`;

/**
 * Kafka Connect sinks of any class, by their configs: Elasticsearch/OpenSearch, HTTP, JDBC,
 * MongoDB, S3, GCS, Azure Blob, BigQuery, Snowflake… — `connector.class` says it is a sink,
 * `topics`/`topics.regex` which captured topics it reads, and its destination keys where the data
 * goes. A destination that is a captured source (a JDBC sink into a captured database, an S3 sink
 * into a captured bucket) is lineage, drawn by the lineage rules; everything else is an `egress`
 * edge topic → endpoint, with the region the config, the endpoint name or sources.yaml gives.
 */
export const connectorSinks = defineEgressRule({
  id: RULE_ID,
  description: 'Kafka Connect sinks of any class (connector.class, topics/topics.regex, destination keys) → egress topic → endpoint',
  infer(view: EgressView): EgressResult {
    const index = indexView(view);
    const edges: EgressEdge[] = [];
    const endpoints: EndpointNode[] = [];
    for (const c of connectorConfigs(view)) {
      if (SOURCE_CLASS.test(c.className)) continue;
      const { topics, how } = sinkTopics(c.config, index.topicsByName);
      if (topics.length === 0) continue;
      const consumerGroup = sinkConsumerGroup(c);
      const destinations: { endpoint: EndpointNode; evidence: Record<string, unknown>; why: string }[] = [];
      // Set when the sink writes into something captured: lineage draws that, it is not egress.
      let intoCaptured = false;
      const bucket = bucketDestination(c);
      if (bucket) {
        // A captured bucket of that name: the lineage rules draw it (sinks edges), region known.
        if (bucket.store === 's3' && index.bucketsByName.has(bucket.bucket)) intoCaptured = true;
        else {
          const mapped = regionOfBucket(bucket.bucket, view.regionMap);
          const region = bucket.region ? { region: bucket.region, from: `connector config ${bucket.store === 's3' ? 's3.region' : 'region'}` } : mapped;
          const urn = netUrn(bucket.store, bucket.bucket);
          destinations.push({ endpoint: { urn, name: `${bucket.store} bucket ${bucket.bucket}`, ...(region && { region: region.region, regionFrom: region.from }) }, evidence: { destination: `${bucket.store}/${bucket.bucket}`, ...(region && { region: region.region, regionFrom: region.from }) }, why: `${bucket.store} bucket ${bucket.bucket}` });
        }
      } else {
        const keys = [...DESTINATION_KEYS.filter((k) => c.config[k]), ...Object.keys(c.config).filter((k) => !DESTINATION_KEYS.includes(k) && GENERIC_KEY.test(k) && !/schema\.registry|converter/i.test(k))];
        for (const key of keys) {
          for (const h of hostsIn(c.config[key])) {
            // Into a captured source (a JDBC sink to a captured database): lineage, not egress.
            if (capturedAt(view, h.host, h.port)) {
              intoCaptured = true;
              continue;
            }
            const e = endpointFor(view, h.host, h.port);
            destinations.push({ endpoint: e.node, evidence: e.evidence, why: `${key} names ${e.node.name}` });
          }
          if (destinations.length || intoCaptured) break;
        }
        if (destinations.length === 0 && /bigquery/i.test(c.className) && c.config.project) {
          const urn = netUrn('bigquery.googleapis.com', c.config.project);
          destinations.push({ endpoint: { urn, name: `BigQuery project ${c.config.project}` }, evidence: { destination: `bigquery.googleapis.com/${c.config.project}` }, why: `project=${c.config.project} (BigQuery; the dataset location is not in the connector config)` });
        }
      }
      if (destinations.length === 0 && !intoCaptured) {
        // A sink reads PII topics and its config does not say where it writes: an unknown path, never silence.
        const urn = netUrn(UNRESOLVED_HOST, c.name);
        destinations.push({
          endpoint: { urn, name: `destination of connector ${c.name}` },
          evidence: { destination: `? (connector ${c.name})`, unresolved: `connector ${c.name} (${c.className}) reads these topics, but no key of its config names where it writes (looked for ${DESTINATION_KEYS.join(', ')}, *.url/*.hosts/*.endpoint) — find its destination and say where it is under regions.hosts in sources.yaml, or capture it` },
          why: 'a destination its config does not name',
        });
      }
      const through = connectorEvidence(c, 'sink', transformsOf(c.config));
      for (const d of destinations) {
        endpoints.push(d.endpoint);
        for (const t of topics) {
          edges.push({
            from: t.urn, to: d.endpoint.urn, kind: 'egress', confidence: 0.9,
            evidence: {
              rule: RULE_ID, ...(d.evidence as { destination: string }),
              detail: `connector ${c.name} (${c.className}) reads ${t.name} (${how}) and writes to ${d.why}`,
              config: c.urn, connector: c.name, consumerGroup, className: c.className, ...through,
            },
          });
        }
      }
    }
    return { edges, endpoints };
  },
});
