import { mysqlUrn, parseUrn } from '../../model/urn.js';
import { regionOfBucket } from '../region-map.js';
import { capturedAt, defineEgressRule, regionFor, type EgressEdge, type EgressResult, type EgressView, type EndpointNode } from '../rule.js';

export const RULE_ID = 'egress.replication-join';

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/**
 * The sources write replication as they see it — an S3 bucket replicating to `net://s3/<bucket>`,
 * a MySQL replica naming its primary `net://host:port`, a primary listing replicas. This rule
 * joins those endpoints to what was captured: a destination bucket captured by any s3 source, a
 * primary or replica captured as a mysql source at that host:port. Joined, the replication becomes
 * an edge between captured datasets (whose regions are known); otherwise the endpoint gets the
 * region sources.yaml gives it, or stays without one (unknown).
 */
export const replicationJoins = defineEgressRule({
  id: RULE_ID,
  description: 'Joins replicates edges to net:// endpoints with the captured bucket or MySQL server there; regions of unjoined endpoints from sources.yaml',
  infer(view: EgressView): EgressResult {
    const edges: EgressEdge[] = [];
    const endpoints: EndpointNode[] = [];
    const bucketsByName = new Map<string, string[]>();
    for (const n of view.nodes) if (n.kind === 'bucket') bucketsByName.set(n.name, [...(bucketsByName.get(n.name) ?? []), n.urn]);
    for (const e of view.edges) {
      if (e.kind !== 'replicates') continue;
      const to = safeParse(e.to);
      const from = safeParse(e.from);
      if (to?.scheme === 'net' && to.source === 's3' && to.segments[0]) {
        const dest = to.segments[0];
        const captured = bucketsByName.get(dest) ?? [];
        for (const urn of captured) {
          const node = view.byUrn.get(urn);
          edges.push({ from: e.from, to: urn, kind: 'replicates', confidence: e.confidence, evidence: { rule: RULE_ID, detail: `${e.evidence.detail} — ${dest} is captured as ${urn}`, destination: `s3/${dest}`, ...(node?.region && { region: node.region, regionFrom: `the captured bucket ${urn}` }), joins: e.to } });
        }
        const mapped = captured.length ? { region: view.byUrn.get(captured[0])?.region, from: `the captured bucket ${captured[0]}` } : regionOfBucket(dest, view.regionMap);
        if (mapped?.region) endpoints.push({ urn: e.to, name: `s3 bucket ${dest}`, region: mapped.region, regionFrom: mapped.from });
        continue;
      }
      // A replica naming its primary: net://primary → mysql://replica/db.
      if (from?.scheme === 'net' && to?.scheme === 'mysql') {
        const [host, port] = from.source.split(':');
        const primary = capturedAt(view, host, Number(port));
        if (primary?.kind === 'mysql') {
          const src = mysqlUrn(primary.name, to.segments[0]);
          const replica = view.byUrn.get(e.to);
          edges.push({ from: src, to: e.to, kind: 'replicates', confidence: e.confidence, evidence: { rule: RULE_ID, detail: `${e.evidence.detail} — ${from.source} is the captured source ${primary.name}`, destination: e.to, ...(replica?.region && { region: replica.region, regionFrom: `the captured replica ${to.source}` }), joins: e.from } });
        }
        continue;
      }
      // A primary listing a replica: mysql://primary/db → net://replica.
      if (from?.scheme === 'mysql' && to?.scheme === 'net') {
        const [host, port] = to.source.split(':');
        const replica = capturedAt(view, host, Number(port));
        if (replica?.kind === 'mysql') {
          edges.push({ from: e.from, to: mysqlUrn(replica.name, from.segments[0]), kind: 'replicates', confidence: e.confidence, evidence: { rule: RULE_ID, detail: `${e.evidence.detail} — ${to.source} is the captured source ${replica.name}`, destination: to.source, region: replica.region, regionFrom: `the captured replica ${replica.name}`, joins: e.to } });
          endpoints.push({ urn: e.to, name: to.source, region: replica.region, regionFrom: `the captured source ${replica.name}` });
        } else if (!view.byUrn.get(e.to)?.region) {
          const r = regionFor(view, host, Number(port));
          if (r) endpoints.push({ urn: e.to, name: to.source, region: r.region, regionFrom: r.from });
        }
      }
    }
    return { edges, endpoints };
  },
});
