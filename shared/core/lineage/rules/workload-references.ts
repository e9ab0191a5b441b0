import type { GraphNode } from '../../model/graph.js';
import { phrase, say, spokenDetail } from '../../i18n/phrase.js';
import type { Phrase } from '../../model/phrase.js';
import { k8sUrn, parseUrn } from '../../model/urn.js';
import { splitList } from '../connectors.js';
import { configValueText } from '../../drift/hidden-values.js';
import { defineLineageRule, type InferredEdge, type LineageView } from '../rule.js';
import { indexView, type ViewIndex } from '../view-index.js';

export const RULE_ID = 'lineage.workload-references';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** Name hints: the variable names teams use for the direction of a data dependency. */
const READ_HINT = /CONSUM|SUBSCRIB|INPUT|SOURCE|LISTEN|READ|(^|_)IN(_|$)/i;
const WRITE_HINT = /PRODUC|PUBLISH|OUTPUT|SINK|WRITE|DEST|TARGET|UPLOAD|EXPORT|(^|_)OUT(_|$)/i;

/** `mysql://u:p@host/db`, `jdbc:mariadb://host:3306/db?…`, and Go's `u:p@tcp(host:3306)/db`. */
const DSN = /(?:jdbc:)?(?:mysql|mariadb):\/\/[^/\s]*\/([A-Za-z0-9_$]+)|@tcp\([^)]*\)\/([A-Za-z0-9_$]+)/i;
const S3_URL = /\bs3a?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/i;

/** One configuration value a workload sees, and where it came from (for the evidence). */
export interface WorkloadSetting { name: string; value: string; origin: string; originPhrase?: Phrase }

/** A setting's origin: English text and phrase. */
const originOf = (p: Phrase): { origin: string; originPhrase: Phrase } => ({ origin: say(p, 'en'), originPhrase: p });

export type Direction = 'reads' | 'writes';

/** reads/writes from a variable name; undefined when the name gives no hint. */
export function directionHint(name: string): Direction | undefined {
  const reads = READ_HINT.test(name);
  const writes = WRITE_HINT.test(name);
  return reads === writes ? undefined : reads ? 'reads' : 'writes';
}

/** The data a setting points at: topic names, a database name (DSN) or a bucket name. */
export function referencesIn(setting: WorkloadSetting): { kind: 'topic' | 'database' | 'bucket'; name: string; how: string; howPhrase?: Phrase }[] {
  const out: { kind: 'topic' | 'database' | 'bucket'; name: string; how: string; howPhrase?: Phrase }[] = [];
  const said = (p: Phrase) => ({ how: say(p, 'en'), howPhrase: p });
  const dsn = DSN.exec(setting.value);
  // A DSN carries a password: the evidence names the database only.
  if (dsn) out.push({ kind: 'database', name: dsn[1] ?? dsn[2], ...said(phrase('ev.workload.dsn', { setting: setting.name, db: dsn[1] ?? dsn[2] })) });
  const s3 = S3_URL.exec(setting.value);
  if (s3) out.push({ kind: 'bucket', name: s3[1], ...said(phrase('ev.workload.s3', { setting: setting.name, bucket: s3[1] })) });
  else if (/BUCKET/i.test(setting.name) && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(setting.value)) out.push({ kind: 'bucket', name: setting.value, how: `${setting.name}=${setting.value}` });
  if (/TOPIC/i.test(setting.name) && !dsn && !s3) {
    for (const topic of splitList(setting.value)) out.push({ kind: 'topic', name: topic, ...said(phrase('ev.workload.topic', { setting: setting.name, topic })) });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The pod spec of any workload kind (CronJob nests it twice). */
function podSpecOf(obj: Record<string, any>): Record<string, any> | undefined {
  if (obj.kind === 'Pod') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}

/** `key=value` and `key: value` lines of a mounted config file. */
function fileSettings(file: string, text: string, origin: string, originPhrase?: Phrase): WorkloadSetting[] {
  const out: WorkloadSetting[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_.\-]+)\s*[=:]\s*"?([^"#]*)"?\s*$/.exec(line);
    if (m && m[2]) out.push({ name: m[1], value: m[2].trim(), ...originOf(phrase('ev.workload.file', { origin: originPhrase ?? origin, file })) });
  }
  return out;
}

interface Collected { settings: WorkloadSetting[]; secrets: Map<string, 'references' | 'mounts'>; configMaps: Map<string, 'references' | 'mounts'> }

/** Everything a workload's containers read: env, envFrom, and mounted ConfigMap files; plus the Secrets/ConfigMaps it uses. */
export function collectSettings(obj: Record<string, any>, configMapData: (name: string) => Record<string, unknown> | undefined): Collected {
  const settings: WorkloadSetting[] = [];
  const secrets = new Map<string, 'references' | 'mounts'>();
  const configMaps = new Map<string, 'references' | 'mounts'>();
  const spec = podSpecOf(obj);
  if (!isObject(spec)) return { settings, secrets, configMaps };
  const cmEntries = (name: string, origin: { origin: string; originPhrase: Phrase }) => {
    for (const [k, v] of Object.entries(configMapData(name) ?? {})) {
      const text = configValueText(v);
      if (text !== undefined) settings.push({ name: k, value: text, ...origin });
    }
  };
  const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])].filter(isObject);
  for (const c of containers) {
    for (const env of Array.isArray(c.env) ? c.env.filter(isObject) : []) {
      const name = String(env.name ?? '');
      // A hidden value (a DSN with its password) is read through its masked preview.
      const value = configValueText(env.value);
      if (value !== undefined) settings.push({ name, value, ...originOf(phrase('ev.workload.env', { container: String(c.name), env: name })) });
      const cmRef = env.valueFrom?.configMapKeyRef;
      if (isObject(cmRef) && typeof cmRef.name === 'string') {
        configMaps.set(cmRef.name, 'references');
        const v = configValueText(configMapData(cmRef.name)?.[String(cmRef.key)]);
        if (v !== undefined) settings.push({ name, value: v, ...originOf(phrase('ev.workload.envFromConfigMapKey', { container: String(c.name), env: name, configMap: cmRef.name })) });
      }
      const secretRef = env.valueFrom?.secretKeyRef;
      if (isObject(secretRef) && typeof secretRef.name === 'string') secrets.set(secretRef.name, 'references');
    }
    for (const from of Array.isArray(c.envFrom) ? c.envFrom.filter(isObject) : []) {
      if (isObject(from.configMapRef) && typeof from.configMapRef.name === 'string') {
        configMaps.set(from.configMapRef.name, 'references');
        cmEntries(from.configMapRef.name, originOf(phrase('ev.workload.envFromConfigMap', { container: String(c.name), configMap: from.configMapRef.name })));
      }
      if (isObject(from.secretRef) && typeof from.secretRef.name === 'string') secrets.set(from.secretRef.name, 'references');
    }
  }
  for (const vol of Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : []) {
    const sources = [vol, ...(Array.isArray(vol.projected?.sources) ? vol.projected.sources.filter(isObject) : [])];
    for (const s of sources) {
      if (isObject(s.configMap) && typeof s.configMap.name === 'string') {
        configMaps.set(s.configMap.name, 'mounts');
        for (const [file, text] of Object.entries(configMapData(s.configMap.name) ?? {})) {
          const content = configValueText(text);
          if (content !== undefined) settings.push(...fileSettings(file, content, `volume ConfigMap ${s.configMap.name}`, phrase('ev.workload.volume', { configMap: s.configMap.name })));
        }
      }
      const secretName = isObject(s.secret) ? s.secret.secretName ?? s.secret.name : undefined;
      if (typeof secretName === 'string') secrets.set(secretName, 'mounts');
    }
  }
  return { settings, secrets, configMaps };
}

function targets(index: ViewIndex, ref: { kind: 'topic' | 'database' | 'bucket'; name: string }): GraphNode[] {
  if (ref.kind === 'topic') return index.topicsByName.get(ref.name) ?? [];
  if (ref.kind === 'database') return index.databasesByName.get(ref.name.toLowerCase()) ?? [];
  return index.bucketsByName.get(ref.name) ?? [];
}

/** The Kubernetes configs of one cluster source, by `<namespace>/<name>`. */
function configsByKind(view: LineageView, kind: string): Map<string, Record<string, any>> {
  const map = new Map<string, Record<string, any>>();
  for (const c of view.configs) {
    if (!isObject(c.content) || c.content.kind !== kind) continue;
    const p = safeParse(c.urn);
    if (p?.scheme === 'k8s') map.set(`${p.source}/${p.segments[0]}/${p.segments[2]}`, c.content);
  }
  return map;
}

function safeParse(urn: string) {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
}

/**
 * Workloads name their data in env vars, ConfigMaps and mounted config files (KAFKA_TOPIC,
 * DATABASE_URL, S3_BUCKET…): `reads`/`writes` edges from the workload (its k8s URN, the node the
 * cluster source captured) to the topic, database or bucket, direction from the variable's name
 * (unknown → reads, lower confidence); and `references`/`mounts` edges to the Secrets and
 * ConfigMaps it uses, which the exposure analyzer follows.
 */
export const workloadReferences = defineLineageRule({
  id: RULE_ID,
  description: 'Workload env vars, ConfigMaps and mounted files naming topics, DSNs and buckets → reads/writes edges; Secrets/ConfigMaps used → references/mounts',
  infer(view) {
    const index = indexView(view);
    const configMaps = configsByKind(view, 'ConfigMap');
    const out: InferredEdge[] = [];
    for (const c of view.configs) {
      if (!isObject(c.content) || !WORKLOAD_KINDS.has(c.content.kind)) continue;
      const p = safeParse(c.urn);
      if (p?.scheme !== 'k8s') continue;
      const [namespace] = p.segments;
      const workload = `${c.content.kind} ${namespace}/${p.segments[2]}`;
      const collected = collectSettings(c.content, (name) => configMaps.get(`${p.source}/${namespace}/${name}`)?.data);
      const seen = new Set<string>();
      for (const setting of collected.settings) {
        for (const ref of referencesIn(setting)) {
          const hint = directionHint(setting.name);
          for (const target of targets(index, ref)) {
            const kind = hint ?? 'reads';
            const key = `${kind} ${target.urn}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({
              from: c.urn, to: target.urn, kind, confidence: hint ? 0.8 : 0.5,
              evidence: { rule: RULE_ID, ...spokenDetail(phrase('ev.workload.ref', { workload, how: ref.howPhrase ?? ref.how, origin: setting.originPhrase ?? setting.origin, direction: hint ? phrase('ev.workload.suggests', { setting: setting.name, direction: phrase(hint === 'reads' ? 'ev.workload.reads' : 'ev.workload.writes') }) : phrase('ev.workload.directionUnknown') })), config: c.urn },
            });
          }
        }
      }
      for (const [kind, used] of [['Secret', collected.secrets], ['ConfigMap', collected.configMaps]] as const) {
        for (const [name, how] of used) {
          const urn = k8sUrn(p.source, namespace, kind, name);
          out.push({ from: c.urn, to: urn, kind: how, confidence: 1, evidence: { rule: RULE_ID, ...spokenDetail(phrase(how === 'mounts' ? 'ev.workload.mounts' : 'ev.workload.envFromObject', { workload, kind, object: `${namespace}/${name}` })), config: c.urn } });
        }
      }
    }
    return out;
  },
});
