import type { GraphEdge, GraphNode, PiiTag } from '../model/graph.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../model/urn.js';
import { buildLineageView, type LineageView } from './rule.js';

/** Small graphs shaped like the sources' output, for the lineage tests (masked examples only). */
export const pii = (entity: string, confidence = 0.9): PiiTag => ({ entity, confidence, matches: 9, sampled: 10, examples: ['138****5678'] });

export function table(source: string, db: string, name: string, columns: Record<string, PiiTag[]>, region = 'cn-north-1', props: Record<string, Record<string, unknown>> = {}): GraphNode[] {
  const dbUrn = mysqlUrn(source, db);
  const t = mysqlUrn(source, db, name);
  return [
    { urn: dbUrn, kind: 'database', name: db, source, region, props: {} },
    { urn: t, kind: 'table', name, source, region, parent: dbUrn, props: {} },
    ...Object.entries(columns).map(([c, tags]): GraphNode => ({ urn: mysqlUrn(source, db, name, c), kind: 'column', name: c, source, region, parent: t, props: { type: 'varchar', ...props[c] }, pii: tags })),
  ];
}

export function topic(source: string, name: string, fields: Record<string, PiiTag[]>, props: Record<string, unknown> = {}, region = 'cn-north-1'): GraphNode[] {
  const t = kafkaUrn(source, name);
  return [
    { urn: t, kind: 'topic', name, source, region, props: { partitions: 1, ...props } },
    ...Object.entries(fields).map(([p, tags]): GraphNode => ({ urn: kafkaUrn(source, name, p), kind: 'field', name: p, source, region, parent: t, props: { path: p }, pii: tags })),
  ];
}

export function bucket(source: string, name: string, prefix: string | undefined, fields: Record<string, PiiTag[]>, region = 'eu-west-1', props: Record<string, unknown> = {}): GraphNode[] {
  const b = s3Urn(source, name);
  const nodes: GraphNode[] = [{ urn: b, kind: 'bucket', name, source, region, props }];
  if (prefix) {
    const p = s3Urn(source, name, prefix);
    nodes.push({ urn: p, kind: 'prefix', name: prefix, source, region, parent: b, props: {} });
    for (const [f, tags] of Object.entries(fields)) nodes.push({ urn: s3Urn(source, name, prefix, f), kind: 'field', name: f, source, region, parent: p, props: { path: f }, pii: tags });
  }
  return nodes;
}

export function view(nodes: GraphNode[], configs: { urn: string; content: unknown }[] = [], edges: GraphEdge[] = []): LineageView {
  return buildLineageView(nodes, edges, configs);
}

/** `from → to (kind)` lines, sorted: compact to compare. */
export const pairs = (edges: GraphEdge[]): string[] => edges.map((e) => `${e.from} → ${e.to} (${e.kind})`).sort();
