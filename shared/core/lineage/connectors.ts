import { connectUrn, parseUrn } from '../model/urn.js';
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
  /**
   * Set by `connectorConfigs` when the same connector is described by several configuration
   * objects (its Connect REST capture and its Strimzi KafkaConnector, a ConfigMap…): the one
   * process URN they share and every configuration object that describes it (see `sameConnector`).
   */
  process?: { urn: string; evidence: string[] };
  /** Settings whose value was hidden by policy (a hashed secret, a masked connection string): their text is a preview, not the value. */
  hidden?: string[];
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

function stringMap(obj: Record<string, unknown>, hidden?: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = v;
    else if (isHiddenValue(v)) {
      out[k] = configValueText(v) ?? ''; // a password hidden by policy: its masked preview
      hidden?.push(k);
    }
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
    const hidden: string[] = [];
    const config = isObject(spec.config) ? stringMap(spec.config, hidden) : {};
    const className = typeof spec.class === 'string' ? spec.class : config['connector.class'];
    const name = isObject(content.metadata) && typeof content.metadata.name === 'string' ? content.metadata.name : urn;
    if (className) out.push({ urn, name, className, config: { ...config, 'connector.class': className }, origin: 'strimzi', ...(hidden.length ? { hidden } : {}) });
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
      const hidden: string[] = [];
      const config = stringMap(value, hidden);
      out.push({ urn, name: config.name ?? parentName ?? urn, className: config['connector.class'], config, origin: 'embedded', ...(hidden.length ? { hidden } : {}) });
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

/** Every connector config in the view, each one connector seen twice sharing one process (memoized: several rules ask). */
export function connectorConfigs(view: LineageView): ConnectorConfig[] {
  let list = cache.get(view);
  if (!list) {
    list = unifySameConnectors(view.configs.flatMap((c) => connectorsIn(c.urn, c.content)));
    cache.set(view, list);
  }
  return list;
}

/**
 * Settings that do not change which data a connector moves or how: its name and class (compared
 * apart) and its parallelism (Strimzi writes `spec.tasksMax` into the config as `tasks.max`).
 */
const NOT_IDENTITY = new Set(['name', 'tasks.max', 'connector.class']);

const isLive = (c: ConnectorConfig) => c.urn.startsWith('connect://');

/**
 * THE IDENTITY RULE: two configuration objects describe the same connector when they name the same
 * connector with the same class and carry the same settings (tasks.max and hidden values aside).
 *
 * Why not "Connect cluster + connector name": nothing the auditor captured proves which cluster a
 * REST endpoint is — the URL is whatever host was reachable (a port-forward, an ingress), and a
 * KafkaConnector's `strimzi.io/cluster` label names a KafkaConnect resource, not a URL — while a
 * bare name is not unique (dev and prod clusters both run "inventory-connector"). The settings are
 * what decide where data goes (database.hostname, topic.prefix, topics, s3.bucket.name, masks): two
 * objects that agree on all of them move the same data between the same datasets, so one process
 * node is the truth about the flow whichever of them is live.
 *
 * Why every setting, not only those both carry: Connect's `GET /connectors/{name}/config` answers
 * exactly the config that was submitted (plus `name`), and Strimzi submits `spec.config` plus the
 * class and tasks.max, so the same connector has the same keys on both sides. A key only one side
 * has — a masking SMT added by hand over REST, a stale CR — is a setting in force on one and not on
 * the other; merging would put one's masks or destinations on the other's hop, so they stay two.
 *
 * A value hidden by policy on either side (a hashed secret, a connection string with its password
 * masked) is not compared: a preview cannot prove two values equal or different, and credentials do
 * not decide where data goes.
 */
export function sameConnector(a: ConnectorConfig, b: ConnectorConfig): boolean {
  if (a.name !== b.name || a.className !== b.className) return false;
  const hidden = new Set([...(a.hidden ?? []), ...(b.hidden ?? [])]);
  for (const k of new Set([...Object.keys(a.config), ...Object.keys(b.config)])) {
    if (NOT_IDENTITY.has(k) || hidden.has(k)) continue;
    const x = a.config[k];
    const y = b.config[k];
    if (x === undefined || y === undefined || x.trim() !== y.trim()) return false;
  }
  return true;
}

/** The live capture (connect://, which carries state and tasks) first, as the one process URN; then the lowest URN, so a re-run picks the same. */
const evidenceOrder = (a: ConnectorConfig, b: ConnectorConfig): number =>
  Number(!isLive(a)) - Number(!isLive(b)) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);

/**
 * Groups the configs that describe the same connector (`sameConnector` with every member) and marks
 * each group's shared process. Two live captures are never one group: each is a connector running on
 * a cluster, with its own state and tasks. A CR or ConfigMap that matches several groups (the same
 * config deployed on two clusters) cannot be told apart by what was captured: it stays its own
 * process rather than be attached to a guess.
 */
function unifySameConnectors(list: ConnectorConfig[]): ConnectorConfig[] {
  const groups: ConnectorConfig[][] = [];
  for (const c of [...list].sort(evidenceOrder)) {
    const matches = isLive(c) ? [] : groups.filter((g) => g.every((m) => m.urn !== c.urn && sameConnector(m, c)));
    if (matches.length === 1) matches[0].push(c);
    else groups.push([c]);
  }
  for (const group of groups) {
    if (group.length < 2) continue;
    const urn = processUrnOf(group[0]);
    const evidence = group.map((c) => c.urn);
    for (const c of group) c.process = { urn, evidence };
  }
  return list;
}

/** The process URN of one connector config on its own: its Connect capture's own URN, or one per cluster source and namespace. */
export function processUrnOf(c: Pick<ConnectorConfig, 'urn' | 'name'>): string {
  try {
    const p = parseUrn(c.urn);
    if (p.scheme === 'connect') return c.urn;
    if (p.scheme === 'k8s') return connectUrn(p.source, c.name, p.segments[0] === '_' ? undefined : p.segments[0]);
    return connectUrn(p.source, c.name);
  } catch {
    return connectUrn('unknown', c.name);
  }
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
