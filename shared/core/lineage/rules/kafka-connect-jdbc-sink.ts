import { connectorConfigs, routeTopic, sinkTopics, transformsOf } from '../connectors.js';
import { phrase, spokenDetail } from '../../i18n/phrase.js';
import { connectorEvidence } from '../process.js';
import { defineLineageRule, type InferredEdge } from '../rule.js';
import { fieldPath, fieldsOf, indexView } from '../view-index.js';

export const RULE_ID = 'lineage.kafka-connect-jdbc-sink';

/** Confluent's io.confluent.connect.jdbc.JdbcSinkConnector and Debezium's io.debezium.connector.jdbc.JdbcSinkConnector. */
const JDBC_SINK = /JdbcSinkConnector$/;

/** The database of a MySQL/MariaDB JDBC URL: `jdbc:mysql://host:3306/shop?useSSL=true` → `shop`. */
export function jdbcDatabase(url: string | undefined): string | undefined {
  const m = /^jdbc:(?:mysql|mariadb):(?:\/\/[^/]*)?\/([^?;/]+)/i.exec(url ?? '');
  return m ? decodeURIComponent(m[1]) : undefined;
}

/**
 * The table a JDBC sink writes a topic to: `table.name.format` with `${topic}` replaced (default
 * `${topic}`); a dotted result is `<db>.<table>` (the URL's database wins when it names one).
 */
export function jdbcTargetTable(config: Record<string, string>, topic: string): { db?: string; table: string } {
  const name = (config['table.name.format'] ?? '${topic}').replaceAll('${topic}', topic);
  const parts = name.split('.');
  const table = parts[parts.length - 1];
  return { db: jdbcDatabase(config['connection.url']) ?? (parts.length >= 2 ? parts[parts.length - 2] : undefined), table };
}

/**
 * JDBC sink connectors write each consumed topic into a table: topic → table `sinks` edges and
 * field → column edges by name (`after.x` or an unwrapped `x` → column `x`).
 */
export const kafkaConnectJdbcSink = defineLineageRule({
  id: RULE_ID,
  description: 'Kafka Connect JDBC sink configs (topics, table.name.format, connection.url) → sinks edges topic → table and field → column',
  infer(view) {
    const index = indexView(view);
    const out: InferredEdge[] = [];
    for (const connector of connectorConfigs(view)) {
      if (!JDBC_SINK.test(connector.className)) continue;
      const transforms = transformsOf(connector.config);
      const { topics, how } = sinkTopics(connector.config, index.topicsByName);
      const through = connectorEvidence(connector, 'sink', transforms);
      for (const topic of topics) {
        const { db, table } = jdbcTargetTable(connector.config, routeTopic(topic.name, transforms));
        if (!db) continue;
        const detail = phrase('ev.lineage.jdbcSink', { connector: connector.name, className: connector.className, how, table: `${db}.${table}`, db, format: connector.config['table.name.format'] ?? '${topic}' });
        for (const target of index.tablesByName.get(`${db}.${table}`.toLowerCase()) ?? []) {
          const fieldMap: Record<string, string> = {};
          for (const column of fieldsOf(index, target.urn)) {
            const col = fieldPath(column);
            for (const path of [`after.${col}`, col]) {
              const field = index.fieldOf(topic.urn, path);
              if (!field) continue;
              fieldMap[path] = col;
              out.push({ from: field.urn, to: column.urn, kind: 'sinks', confidence: 0.85, evidence: { rule: RULE_ID, ...spokenDetail(phrase('ev.lineage.fieldToColumn', { base: detail, field: path, column: col })), config: connector.urn, ...through } });
            }
          }
          out.push({ from: topic.urn, to: target.urn, kind: 'sinks', confidence: 0.85, evidence: { rule: RULE_ID, ...spokenDetail(detail), config: connector.urn, fieldMap, ...through } });
        }
      }
    }
    return out;
  },
});
