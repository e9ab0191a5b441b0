import type { GraphNode } from '../../model/graph.js';
import { phrase, spokenDetail } from '../../i18n/phrase.js';
import type { Phrase } from '../../model/phrase.js';
import { defineLineageRule, type InferredEdge } from '../rule.js';
import { fieldPath, fieldsOf, indexView, type ViewIndex } from '../view-index.js';

export const RULE_ID = 'lineage.debezium-topic-naming';

/** Debezium's default topic name for a MySQL/MariaDB table: `<topic.prefix>.<db>.<table>`. */
export function parseDebeziumTopicName(topic: string): { prefix: string; db: string; table: string } | undefined {
  const parts = topic.split('.');
  if (parts.length < 3 || parts.some((p) => p === '')) return undefined;
  return { prefix: parts.slice(0, -2).join('.'), db: parts[parts.length - 2], table: parts[parts.length - 1] };
}

interface DebeziumProps { db?: string; table?: string; name?: string; connector?: string }

/**
 * Column → field edges for one table feeding one topic: `after.<col>` and `before.<col>`
 * (the envelope), or `<col>` when the producer unwrapped it. Also used by the connector rule.
 */
export function columnFieldEdges(index: ViewIndex, table: GraphNode, topic: GraphNode, base: Omit<InferredEdge, 'from' | 'to'>, paths: (col: string) => string[]): { edges: InferredEdge[]; fieldMap: Record<string, string> } {
  const edges: InferredEdge[] = [];
  const fieldMap: Record<string, string> = {};
  for (const column of fieldsOf(index, table.urn)) {
    const col = fieldPath(column);
    for (const path of paths(col)) {
      const field = index.fieldOf(topic.urn, path);
      if (!field) continue;
      if (path.startsWith('after.') || !fieldMap[col]) fieldMap[col] = path;
      edges.push({ ...base, from: column.urn, to: field.urn, evidence: { ...base.evidence, ...spokenDetail(phrase('ev.lineage.columnToField', { base: base.evidence.phrase ?? base.evidence.detail, column: col, field: path })) } });
    }
  }
  return { edges, fieldMap };
}

/**
 * Debezium names each table's change topic `<prefix>.<db>.<table>` and writes `source.db` /
 * `source.table` into every envelope; a topic whose name and sampled envelopes point at a captured
 * table is that table's CDC stream. Name and envelope agreeing is strong evidence; either alone is weaker.
 */
export const debeziumTopicNaming = defineLineageRule({
  id: RULE_ID,
  description: 'CDC topics named <topic.prefix>.<db>.<table> (and their Debezium envelope source fields) are fed by that table',
  infer(view) {
    const index = indexView(view);
    const out: InferredEdge[] = [];
    for (const topics of index.topicsByName.values()) {
      for (const topic of topics) {
        const dbz = (topic.props as { debezium?: DebeziumProps }).debezium;
        const named = parseDebeziumTopicName(topic.name);
        const envelope = dbz?.db && dbz.table ? { db: dbz.db, table: dbz.table } : undefined;
        const candidates = new Map<string, { key: string; byName: boolean; byEnvelope: boolean }>();
        if (named) candidates.set(`${named.db}.${named.table}`.toLowerCase(), { key: `${named.db}.${named.table}`, byName: true, byEnvelope: false });
        if (envelope) {
          const key = `${envelope.db}.${envelope.table}`.toLowerCase();
          const c = candidates.get(key) ?? { key: `${envelope.db}.${envelope.table}`, byName: false, byEnvelope: false };
          c.byEnvelope = true;
          candidates.set(key, c);
        }
        for (const [key, c] of candidates) {
          const tables = index.tablesByName.get(key) ?? [];
          // The envelope contradicting the name (another table) makes the name alone doubtful.
          const contradicted = c.byName && !c.byEnvelope && envelope !== undefined;
          if (tables.length === 0 || contradicted) continue;
          const prefixAgrees = named && dbz?.name !== undefined && dbz.name === named.prefix;
          let confidence = c.byName && c.byEnvelope ? 0.95 : c.byEnvelope ? 0.85 : 0.6;
          if (prefixAgrees) confidence = Math.min(0.98, confidence + 0.03);
          // Several captured tables with the same db.table (two MySQL sources): we cannot tell which.
          if (tables.length > 1) confidence *= 0.7;
          const reasons: Phrase[] = [
            c.byName && named ? phrase('ev.lineage.topicNamed', { topic: topic.name, prefix: named.prefix, db: named.db, table: named.table }) : phrase('ev.lineage.renamedTopic', { topic: topic.name }),
            c.byEnvelope ? phrase('ev.lineage.envelope', { db: envelope!.db, table: envelope!.table }) : phrase('ev.lineage.noEnvelope'),
            ...(prefixAgrees ? [phrase('ev.lineage.prefixMatches', { name: dbz!.name! })] : []),
            ...(tables.length > 1 ? [phrase('ev.lineage.sameNameTables', { count: String(tables.length), table: c.key })] : []),
          ];
          const why = reasons.slice(1).reduce((acc, r) => phrase('ev.lineage.and', { first: acc, second: r }), reasons[0]);
          for (const table of tables) {
            const base = { kind: 'cdc' as const, confidence: Math.round(confidence * 1000) / 1000, evidence: { rule: RULE_ID, ...spokenDetail(why) } };
            const { edges, fieldMap } = columnFieldEdges(index, table, topic, base, (col) => [`after.${col}`, `before.${col}`]);
            out.push({ ...base, from: table.urn, to: topic.urn, evidence: { ...base.evidence, fieldMap } }, ...edges);
          }
        }
      }
    }
    return out;
  },
});
