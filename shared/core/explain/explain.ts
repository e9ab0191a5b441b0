import type { Lang } from '../i18n/index.js';
import { findKind, walkApiDocs, type ApiDocField, type ApiDocResource, type ApiDocType } from './api-docs.js';
import { describeCel } from './cel.js';
import { ReferenceTranslator, type Translation } from './translate.js';

/**
 * `driftline explain`, offline: a kind or field from a schema captured in the workspace (a CRD's
 * openAPIV3Schema or the API server's OpenAPI), or — for core kinds on a dump with no OpenAPI —
 * from the official API reference kept in resources/explain. Descriptions come in the reader's
 * language where an official translation exists, and in the author's English otherwise.
 */

/** A description: the text to show, the English original, and where any Chinese came from. */
export interface ExplainedText {
  /** In the requested language when a translation exists, else the English. */
  text?: string;
  en?: string;
  /** 'exact' / 'first-sentence': official Chinese found (see translate.ts); 'none': English only. */
  translation: 'exact' | 'first-sentence' | 'none' | 'not-needed';
  from?: string;
}

export interface ExplainedField {
  name: string;
  type?: string;
  required: boolean;
  description: ExplainedText;
  default?: unknown;
  enum?: unknown[];
  /** The core Kubernetes type this field's object was matched to (a CRD embedding LabelSelector). */
  coreType?: string;
}

export interface CelRule {
  rule: string;
  message?: string;
  /** What the rule requires, in the requested language. */
  meaning: string;
}

export interface Explanation {
  kind: string;
  apiVersion?: string;
  path: string;
  type?: string;
  required?: boolean;
  description: ExplainedText;
  default?: unknown;
  enum?: unknown[];
  coreType?: string;
  fields: ExplainedField[];
  validations: CelRule[];
  source: 'reference' | 'schema';
}

/** JSON schema as CRDs and the OpenAPI document write it (after $refs are inlined). */
export type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  allOf?: JsonSchema[];
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string }[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
};

export function typeOfSchema(s: JsonSchema): string | undefined {
  if (s['x-kubernetes-int-or-string']) return 'int-or-string';
  const t = Array.isArray(s.type) ? s.type.join('|') : s.type;
  if (t === 'array' && s.items) return `[]${typeOfSchema(mergedSchema(s.items)) ?? 'object'}`;
  if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map[string]${typeOfSchema(mergedSchema(s.additionalProperties)) ?? 'object'}`;
  return t ?? (s.properties ? 'object' : undefined);
}

export function mergedSchema(s: JsonSchema): JsonSchema {
  if (!s.allOf) return s;
  return s.allOf.reduce<JsonSchema>((acc, part) => {
    const m = mergedSchema(part);
    return { ...acc, ...m, properties: { ...acc.properties, ...m.properties }, required: [...(acc.required ?? []), ...(m.required ?? [])] };
  }, { ...s, allOf: undefined });
}

/** The object schema whose properties are a node's children: through arrays and maps. */
export function containerOf(s: JsonSchema): JsonSchema {
  const m = mergedSchema(s);
  if (m.items) return mergedSchema(m.items);
  if (m.additionalProperties && typeof m.additionalProperties === 'object' && !m.properties) return mergedSchema(m.additionalProperties);
  return m;
}

const text = (en: string | undefined, t: Translation | undefined, lang: Lang): ExplainedText => {
  if (!en && !t) return { translation: 'none' };
  if (lang === 'en') return { text: en, en, translation: 'not-needed' };
  if (t) return { text: t.zh, en, translation: t.match, from: t.from };
  return { text: en, en, translation: 'none' };
};

const fromDoc = (en: string | undefined, zh: string | undefined, lang: Lang, from: string): ExplainedText =>
  lang === 'en' ? { text: en, en, translation: 'not-needed' } : zh ? { text: zh, en, translation: 'exact', from } : { text: en, en, translation: 'none' };

/** Explains a core kind from the offline reference. Throws a message naming an unknown kind or field. */
export function explainFromReference(docs: ApiDocResource, kind: string, path: string, lang: Lang): Explanation {
  const k = findKind(docs, kind);
  if (!k) throw new Error(`no kind "${kind}" in the offline Kubernetes reference or this workspace's schemas; core kinds: ${[...new Set(Object.values(docs.kinds).map((x) => x.kind))].sort().join(', ')}`);
  const { type, field, fieldType } = walkApiDocs(docs, k.type, path, k.kind);
  const listed: ApiDocType | undefined = path ? fieldType : type;
  const fields = (listed?.fields ?? []).map((f: ApiDocField): ExplainedField => ({
    name: f.name, type: f.type ?? (f.fixed !== undefined ? 'string' : undefined), required: f.required,
    description: f.fixed !== undefined && !f.en ? { text: f.fixed, en: f.fixed, translation: 'not-needed' } : fromDoc(f.en, f.zh, lang, `${listed!.name}.${f.name}`),
  }));
  const description = path && field ? fromDoc(field.en, field.zh, lang, `${type.name}.${field.name}`) : fromDoc(type.description.en, type.description.zh, lang, type.name);
  return {
    kind: k.kind, apiVersion: k.apiVersion, path: path.split('.').filter(Boolean).join('.'),
    type: path ? field?.type : undefined, required: path ? field?.required : undefined,
    description, fields, validations: [], source: 'reference',
    ...(listed && path ? { coreType: listed.name } : {}),
  };
}

/** Explains a kind or field from a JSON schema in the workspace, with official Chinese where it matches. */
export function explainFromSchema(kind: string, schema: unknown, path: string, lang: Lang, translator?: ReferenceTranslator): Explanation {
  let node = mergedSchema(schema as JsonSchema);
  let nodeTranslation = translator?.byDescription(node.description);
  let required: boolean | undefined;
  const segments = path.split('.').map((s) => s.trim()).filter(Boolean);
  const walked: string[] = [];
  for (const seg of segments) {
    const container = containerOf(node);
    const next = container.properties?.[seg];
    if (!next) {
      const known = Object.keys(container.properties ?? {}).sort();
      throw new Error(`${kind}: field "${[...walked, seg].join('.')}" does not exist${known.length ? `; fields here: ${known.join(', ')}` : ''}`);
    }
    const core = translator?.matchType(container.properties, container.description);
    const m = mergedSchema(next);
    nodeTranslation = (core && translator?.byField(core, seg, m.description)) || translator?.byDescription(m.description);
    required = (container.required ?? []).includes(seg);
    walked.push(seg);
    node = m;
  }
  const container = containerOf(node);
  const core = translator?.matchType(container.properties, container.description);
  const fields = Object.entries(container.properties ?? {}).map(([name, s]): ExplainedField => {
    const m = mergedSchema(s);
    const t = (core && translator?.byField(core, name, m.description)) || translator?.byDescription(m.description);
    const childCore = translator?.matchType(containerOf(m).properties, containerOf(m).description);
    return {
      name, type: typeOfSchema(m), required: (container.required ?? []).includes(name), description: text(m.description, t, lang),
      ...(m.default !== undefined ? { default: m.default } : {}), ...(m.enum ? { enum: m.enum } : {}), ...(childCore ? { coreType: childCore.name } : {}),
    };
  }).sort((a, b) => a.name.localeCompare(b.name));
  const gvk = (schema as JsonSchema)['x-kubernetes-group-version-kind']?.[0];
  return {
    kind, ...(gvk ? { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version } : {}),
    path: walked.join('.'), type: typeOfSchema(node), ...(segments.length ? { required } : {}),
    description: text(node.description, nodeTranslation, lang),
    ...(node.default !== undefined ? { default: node.default } : {}), ...(node.enum ? { enum: node.enum } : {}),
    ...(core ? { coreType: core.name } : {}),
    fields, validations: celRules(node, lang), source: 'schema',
  };
}

/** The CEL rules declared on a schema node (and on its items), with what each requires. */
export function celRules(node: JsonSchema, lang: Lang): CelRule[] {
  const rules = [...(node['x-kubernetes-validations'] ?? []), ...(node.items ? mergedSchema(node.items)['x-kubernetes-validations'] ?? [] : [])];
  return rules.map((r) => ({ rule: r.rule, ...(r.message ? { message: r.message } : r.messageExpression ? { message: r.messageExpression } : {}), meaning: describeCel(r.rule, lang) }));
}
