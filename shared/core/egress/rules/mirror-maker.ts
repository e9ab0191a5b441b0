import { compileAnchored, connectorConfigs, splitList, transformsOf } from '../../lineage/connectors.js';
import { connectorEvidence } from '../../lineage/process.js';
import { kafkaUrn } from '../../model/urn.js';
import { hostsIn } from '../endpoints.js';
import { capturedAt, defineEgressRule, endpointFor, type EgressEdge, type EgressResult, type EgressView, type EndpointNode } from '../rule.js';

export const RULE_ID = 'egress.kafka-replicator';

/** MirrorMaker 2's defaults (MirrorSourceConfig): every topic, except internal ones. */
const MM2_DEFAULT_TOPICS = '.*';
const MM2_DEFAULT_EXCLUDE = '.*[\\-\\.]internal,.*\\.replica,__.*';

interface Replicator { source: string[]; target: string[]; include: RegExp[]; exclude: RegExp[]; rename: (topic: string) => string; how: string }

/** MirrorMaker 2 (MirrorSourceConnector) and Confluent Replicator configs: which cluster to which, which topics. */
function replicatorOf(className: string, cfg: Record<string, string>): Replicator | undefined {
  const compile = (list: string) => splitList(list).map((p) => compileAnchored(p)).filter((r): r is RegExp => !!r);
  if (/MirrorSourceConnector$/.test(className)) {
    const alias = cfg['source.cluster.alias'];
    const separator = cfg['replication.policy.separator'] ?? '.';
    // DefaultReplicationPolicy prefixes the source alias; IdentityReplicationPolicy keeps the name.
    const identity = /IdentityReplicationPolicy/.test(cfg['replication.policy.class'] ?? '');
    return {
      source: splitList(cfg['source.cluster.bootstrap.servers']), target: splitList(cfg['target.cluster.bootstrap.servers']),
      include: compile(cfg.topics ?? MM2_DEFAULT_TOPICS), exclude: compile(cfg['topics.exclude'] ?? cfg['topics.blacklist'] ?? MM2_DEFAULT_EXCLUDE),
      rename: (t) => (identity || !alias ? t : `${alias}${separator}${t}`),
      how: `MirrorMaker 2 ${cfg['source.cluster.alias'] ?? '?'} → ${cfg['target.cluster.alias'] ?? '?'} (topics=${cfg.topics ?? MM2_DEFAULT_TOPICS})`,
    };
  }
  if (/ReplicatorSourceConnector$/.test(className)) {
    const include = cfg['topic.whitelist'] ?? cfg['topic.include'];
    return {
      source: splitList(cfg['src.kafka.bootstrap.servers']), target: splitList(cfg['dest.kafka.bootstrap.servers'] ?? cfg['bootstrap.servers']),
      include: include ? splitList(include).map((t) => compileAnchored(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))!) : compile(cfg['topic.regex'] ?? '.*'),
      exclude: compile(cfg['topic.blacklist'] ?? cfg['topic.exclude'] ?? ''),
      rename: (t) => (cfg['topic.rename.format'] ?? '${topic}').replace('${topic}', t),
      how: `Confluent Replicator (${include ? `topic.whitelist=${include}` : `topic.regex=${cfg['topic.regex'] ?? '.*'}`})`,
    };
  }
  return undefined;
}

/**
 * Kafka-to-Kafka replicators: MirrorMaker 2 and Confluent Replicator configs name the source and
 * target clusters and a topic pattern. For each captured kafka source at the source bootstrap
 * servers, each topic the pattern takes is replicated to the target cluster: to the captured topic
 * there when the target is captured too, else to the target's endpoint, with its region.
 */
export const kafkaReplicators = defineEgressRule({
  id: RULE_ID,
  description: 'MirrorMaker 2 / Confluent Replicator connector configs → replicates topic → target cluster',
  infer(view: EgressView): EgressResult {
    const edges: EgressEdge[] = [];
    const endpoints: EndpointNode[] = [];
    for (const c of connectorConfigs(view)) {
      const r = replicatorOf(c.className, c.config);
      if (!r) continue;
      const sourceHosts = r.source.flatMap(hostsIn);
      const from = sourceHosts.map((h) => capturedAt(view, h.host, h.port)).find((s) => s?.kind === 'kafka');
      if (!from) continue;
      const targetHosts = r.target.flatMap(hostsIn);
      const to = targetHosts.map((h) => capturedAt(view, h.host, h.port)).find((s) => s?.kind === 'kafka');
      const through = connectorEvidence(c, 'mirror', transformsOf(c.config));
      const topics = view.nodes.filter((n) => n.kind === 'topic' && n.source === from.name && r.include.some((re) => re.test(n.name)) && !r.exclude.some((re) => re.test(n.name)));
      for (const t of topics) {
        const renamed = r.rename(t.name);
        let target: string;
        let region: { destination: string; region?: string; regionFrom?: string };
        if (to) {
          target = kafkaUrn(to.name, renamed);
          region = { destination: `${to.name}/${renamed}`, region: to.region, regionFrom: `the captured kafka source ${to.name}` };
        } else if (targetHosts[0]) {
          const e = endpointFor(view, targetHosts[0].host, targetHosts[0].port);
          endpoints.push(e.node);
          target = e.node.urn;
          region = e.evidence;
        } else continue;
        edges.push({
          from: t.urn, to: target, kind: 'replicates', confidence: 0.9,
          evidence: { rule: RULE_ID, ...region, detail: `connector ${c.name}: ${r.how} copies ${t.name} to ${renamed} on ${r.target.join(', ') || 'the target cluster'}`, config: c.urn, connector: c.name, targetTopic: renamed, ...through },
        });
      }
    }
    return { edges, endpoints };
  },
});
