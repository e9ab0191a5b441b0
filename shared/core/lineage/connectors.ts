import type { LineageView } from './rule.js';
import { configValueText, isHiddenValue } from '../drift/hidden-values.js';

/** A Kafka Connect connector's configuration, wherever it was found. */
export interface ConnectorConfig {
  /** The configuration object it came from (a KafkaConnector CR, a ConfigMap, a REST dump). */
  urn: string;
  name: string;
  className: string;
  /** Connect configs are string maps; numbers and booleans from YAML are turned into strings. */
  config: Record<string, string>;
  origin: 'strimzi' | 'embedded';
}

/** One Single Message Transform declared in `transforms`. */
export interface TransformConfig {
  alias: string;
  type: string;
  props: Record<string, string>;
}

const MAX_DEPTH = 6;
const cache = new WeakMap<LineageView, ConnectorConfig[]>();

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringMap(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = v;
    else if (isHiddenValue(v)) out[k] = configValueText(v) ?? ''; // a password hidden by policy: its masked preview
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** `a=b` lines of a Java .properties text (connector files mounted from ConfigMaps). */
function parseProperties(text: string): Record<string, string> | undefined {
  if (!/^\s*connector\.class\s*[=:]/m.test(text)) return undefined;
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

/**
 * Every connector config in a configuration object. Strimzi CRs keep the class in `spec.class`;
 * everything else (Connect REST dumps, `?expand=info` maps, ConfigMaps holding JSON or
 * .properties) is found by walking the object for maps holding `connector.class`.
 */
export function connectorsIn(urn: string, content: unknown): ConnectorConfig[] {
  const out: ConnectorConfig[] = [];
  if (isObject(content) && content.kind === 'KafkaConnector' && isObject(content.spec)) {
    const spec = content.spec;
    const config = isObject(spec.config) ? stringMap(spec.config) : {};
    const className = typeof spec.class === 'string' ? spec.class : config['connector.class'];
    const name = isObject(content.metadata) && typeof content.metadata.name === 'string' ? content.metadata.name : urn;
    if (className) out.push({ urn, name, className, config: { ...config, 'connector.class': className }, origin: 'strimzi' });
    return out;
  }
  const walk = (value: unknown, parentName: string | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
          walk(JSON.parse(trimmed), parentName, depth + 1);
        } catch {
          // Not JSON: a ConfigMap value can be anything.
        }
      } else {
        const props = parseProperties(value);
        if (props) out.push({ urn, name: props.name ?? parentName ?? urn, className: props['connector.class'], config: props, origin: 'embedded' });
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, parentName, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    if (typeof value['connector.class'] === 'string') {
      const config = stringMap(value);
      out.push({ urn, name: config.name ?? parentName ?? urn, className: config['connector.class'], config, origin: 'embedded' });
      return;
    }
    const ownName = typeof value.name === 'string' ? value.name : parentName;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'status' || key === 'tasks') continue;
      // In `GET /connectors?expand=info` the map key is the connector's name.
      walk(child, isObject(child) || typeof child === 'string' ? (ownName ?? key) : ownName, depth + 1);
    }
  };
  walk(content, undefined, 0);
  return out;
}

/** Every connector config in the view (memoized: several rules ask). */
export function connectorConfigs(view: LineageView): ConnectorConfig[] {
  let list = cache.get(view);
  if (!list) {
    list = view.configs.flatMap((c) => connectorsIn(c.urn, c.content));
    cache.set(view, list);
  }
  return list;
}

/** The SMTs in declaration order. */
export function transformsOf(config: Record<string, string>): TransformConfig[] {
  return splitList(config.transforms).map((alias) => {
    const prefix = `transforms.${alias}.`;
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) props[k.slice(prefix.length)] = v;
    return { alias, type: props.type ?? '', props };
  });
}

/** Connect list values: comma-separated, blanks dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Debezium's ExtractNewRecordState (or the older UnwrapFromEnvelope) flattens `after.x` to `x`. */
export const unwrapsEnvelope = (transforms: TransformConfig[]): TransformConfig | undefined =>
  transforms.find((t) => /ExtractNewRecordState|UnwrapFromEnvelope/.test(t.type));

/** Kafka's MaskField SMT on the record value: replaces the listed fields with an empty/replacement value. */
export const maskFieldTransforms = (transforms: TransformConfig[]): TransformConfig[] =>
  transforms.filter((t) => /MaskField\$Value$/.test(t.type) || t.type.endsWith('MaskField'));

/**
 * Compiles a Java-regex list entry the way Connect/Debezium apply it: anchored, whole string.
 * Returns undefined for patterns JavaScript cannot compile (they are reported, not guessed).
 */
export function compileAnchored(pattern: string, flags = ''): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, flags);
  } catch {
    return undefined;
  }
}

/** RegexRouter SMTs rename topics; applied in order, as Connect does. */
export function routeTopic(topic: string, transforms: TransformConfig[]): string {
  let name = topic;
  for (const t of transforms) {
    if (!/RegexRouter$/.test(t.type) || !t.props.regex) continue;
    const re = compileAnchored(t.props.regex);
    // Java's replacement syntax ($1) is JavaScript's too.
    if (re && re.test(name)) name = name.replace(re, t.props.replacement ?? '');
  }
  return name;
}

/** The captured topics a sink connector consumes: its `topics` list or `topics.regex`. */
export function sinkTopics<T extends { name: string }>(config: Record<string, string>, topicsByName: Map<string, T[]>): { topics: T[]; how: string } {
  const listed = splitList(config.topics);
  if (listed.length > 0) return { topics: listed.flatMap((t) => topicsByName.get(t) ?? []), how: `topics=${config.topics}` };
  const re = config['topics.regex'] ? compileAnchored(config['topics.regex']) : undefined;
  if (!re) return { topics: [], how: 'no topics or valid topics.regex' };
  const topics: T[] = [];
  for (const [name, list] of topicsByName) if (re.test(name)) topics.push(...list);
  return { topics, how: `topics.regex=${config['topics.regex']}` };
}
