import type { GraphNode } from '../../model/graph.js';
import { phrase, say, spokenDetail } from '../../i18n/phrase.js';
import type { Phrase } from '../../model/phrase.js';
import { compileAnchored, connectorConfigs, maskFieldTransforms, routeTopic, splitList, transformsOf, unwrapsEnvelope, type ConnectorConfig } from '../connectors.js';
import { connectorEvidence } from '../process.js';
import { defineLineageRule, type EdgeMask, type InferredEdge } from '../rule.js';
import { fieldPath, fieldsOf, indexView } from '../view-index.js';

export const RULE_ID = 'lineage.debezium-connector-config';

/** Source connectors only: Debezium's JDBC *sink* lives in the same package. */
const DEBEZIUM_SOURCE = /^io\.debezium\.connector\.(?!jdbc\.)/;

/** A Debezium filter list (regexes over `db` or `db.table`); undefined when not set. */
function filterList(config: Record<string, string>, ...keys: string[]): RegExp[] | undefined {
  const key = keys.find((k) => config[k] !== undefined);
  if (!key) return undefined;
  // Compiled once per connector: the rule asks for every captured table.
  let byValue = compiled.get(config);
  if (!byValue) compiled.set(config, (byValue = new Map()));
  let list = byValue.get(config[key]);
  // MySQL identifiers compare case-insensitively on the platforms Debezium is deployed on.
  if (!list) byValue.set(config[key], (list = splitList(config[key]).map((p) => compileAnchored(p, 'i')).filter((r): r is RegExp => r !== undefined)));
  return list;
}
const compiled = new WeakMap<Record<string, string>, Map<string, RegExp[]>>();

const matchesAny = (res: RegExp[] | undefined, value: string): boolean => !!res?.some((r) => r.test(value));

/** Whether Debezium captures `db.table` under this connector's include/exclude lists. */
export function capturesTable(config: Record<string, string>, db: string, table: string): { captured: boolean; why: string; whyPhrase?: Phrase } {
  const dbInclude = filterList(config, 'database.include.list', 'database.whitelist');
  const dbExclude = filterList(config, 'database.exclude.list', 'database.blacklist');
  const tInclude = filterList(config, 'table.include.list', 'table.whitelist');
  const tExclude = filterList(config, 'table.exclude.list', 'table.blacklist');
  const fq = `${db}.${table}`;
  if (dbInclude && !matchesAny(dbInclude, db)) return { captured: false, why: `database ${db} not in database.include.list` };
  if (matchesAny(dbExclude, db)) return { captured: false, why: `database ${db} in database.exclude.list` };
  if (tInclude) return matchesAny(tInclude, fq) ? captured(phrase('ev.lineage.tableIncluded', { list: config['table.include.list'] ?? config['table.whitelist'], table: fq })) : { captured: false, why: `${fq} not in table.include.list` };
  if (matchesAny(tExclude, fq)) return { captured: false, why: `${fq} in table.exclude.list` };
  return captured(dbInclude ? phrase('ev.lineage.databaseIncluded', { db }) : phrase('ev.lineage.noTableFilter'));
}

const captured = (p: Phrase) => ({ captured: true, why: say(p, 'en'), whyPhrase: p });
/** A mask with its English detail and its phrase. */
const mask = (kind: string, p: Phrase): EdgeMask => ({ kind, detail: say(p, 'en'), phrase: p });

/**
 * The masks this connector applies to `db.table.col`, or 'excluded' when the column never
 * leaves the database (column.exclude.list). Hash masks are pseudonyms, still recorded as masks:
 * the value sent is not the value sampled, so the sampled entity does not flow as such.
 */
export function columnTreatment(connector: ConnectorConfig, db: string, table: string, col: string): EdgeMask | 'excluded' | undefined {
  const config = connector.config;
  const fq = `${db}.${table}.${col}`;
  if (matchesAny(filterList(config, 'column.exclude.list', 'column.blacklist'), fq)) return 'excluded';
  for (const [key, value] of Object.entries(config)) {
    const chars = /^column\.mask\.with\.(\d+)\.chars$/.exec(key);
    const hash = /^column\.mask\.hash\.(?:v\d\.)?([^.]+)\.with\.salt\.(.+)$/.exec(key);
    if (!chars && !hash) continue;
    if (!matchesAny(filterList(config, key), fq)) continue;
    // The salt is not repeated in the evidence: it is a secret of the pipeline.
    return chars
      ? mask('mask-with-chars', phrase('ev.lineage.maskChars', { connector: connector.name, key, column: fq, count: chars[1] }))
      : mask('hash', phrase('ev.lineage.maskHash', { connector: connector.name, algorithm: hash![1], column: fq }));
  }
  for (const t of maskFieldTransforms(transformsOf(config))) {
    const fields = splitList(t.props.fields).map((f) => f.replace(/^after\./, ''));
    if (fields.includes(col)) return mask('mask-field', phrase('ev.lineage.maskField', { connector: connector.name, alias: t.alias, field: col }));
  }
  return undefined;
}

/**
 * Debezium source connector configs say which tables go to which topics (`topic.prefix`, or
 * `database.server.name` before Debezium 2.0, plus RegexRouter renames) and which columns are
 * masked, hashed or dropped on the way. Edges carry the masks so that PII stops there.
 */
export const debeziumConnectorConfig = defineLineageRule({
  id: RULE_ID,
  description: 'Debezium source connector configs (table.include.list, topic.prefix, column masks, MaskField) → cdc edges with the masks applied',
  infer(view) {
    const index = indexView(view);
    const tables: GraphNode[] = [...index.tablesByName.values()].flat();
    const out: InferredEdge[] = [];
    for (const connector of connectorConfigs(view)) {
      if (!DEBEZIUM_SOURCE.test(connector.className)) continue;
      const prefix = connector.config['topic.prefix'] ?? connector.config['database.server.name'];
      if (!prefix) continue;
      const transforms = transformsOf(connector.config);
      const unwrapped = unwrapsEnvelope(transforms) !== undefined;
      const through = connectorEvidence(connector, 'cdc-source', transforms);
      for (const table of tables) {
        const db = table.parent ? view.byUrn.get(table.parent)?.name : undefined;
        if (!db) continue;
        const { captured: isCaptured, why, whyPhrase } = capturesTable(connector.config, db, table.name);
        if (!isCaptured) continue;
        const topicName = routeTopic(`${prefix}.${db}.${table.name}`, transforms);
        const named = `${prefix}.${db}.${table.name}`;
        const base = { connector: connector.name, className: connector.className, table: `${db}.${table.name}`, why: whyPhrase ?? why, topic: named };
        const detailPhrase = topicName !== named ? phrase('ev.lineage.debeziumCapturesRouted', { ...base, routed: topicName }) : phrase('ev.lineage.debeziumCaptures', base);
        for (const topic of index.topicsByName.get(topicName) ?? []) {
          const fieldMap: Record<string, string> = {};
          const masked: string[] = [];
          for (const column of fieldsOf(index, table.urn)) {
            const col = fieldPath(column);
            const treatment = columnTreatment(connector, db, table.name, col);
            if (treatment === 'excluded') continue;
            if (treatment) masked.push(`${col} (${treatment.kind})`);
            for (const path of unwrapped ? [col] : [`after.${col}`, `before.${col}`]) {
              const field = index.fieldOf(topic.urn, path);
              if (!field) continue;
              if (!fieldMap[col]) fieldMap[col] = path;
              out.push({
                from: column.urn, to: field.urn, kind: 'cdc', confidence: 0.9,
                evidence: { rule: RULE_ID, ...spokenDetail(phrase('ev.lineage.columnToField', { base: detailPhrase, column: col, field: path })), config: connector.urn, ...through, ...(treatment ? { mask: treatment } : {}) },
              });
            }
          }
          out.push({
            from: table.urn, to: topic.urn, kind: 'cdc', confidence: 0.9,
            evidence: { rule: RULE_ID, ...spokenDetail(masked.length ? phrase('ev.lineage.maskedColumns', { base: detailPhrase, columns: masked.join(', ') }) : detailPhrase), config: connector.urn, fieldMap, ...through },
          });
        }
      }
    }
    return out;
  },
});
