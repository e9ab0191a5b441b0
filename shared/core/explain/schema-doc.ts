import { translate, type Lang, type MessageKey } from '../i18n/index.js';
import { celRules, containerOf, mergedSchema, typeOfSchema, type CelRule, type ExplainedText, type JsonSchema } from './explain.js';
import { ReferenceTranslator } from './translate.js';

/**
 * The full document of a custom resource's schema: overview, field tree, every field with its
 * type, required, default, enum and limits, the CEL rules with what they require, a glossary of the
 * terms it uses and the credits — as a structure (for PDF) and as Markdown.
 */
export interface SchemaDocField {
  path: string;
  depth: number;
  type?: string;
  required: boolean;
  description: ExplainedText;
  default?: unknown;
  enum?: unknown[];
  limits: string[];
  coreType?: string;
  validations: CelRule[];
}

export interface SchemaDoc {
  lang: Lang;
  kind: string;
  group: string;
  version: string;
  scope?: string;
  plural?: string;
  description: ExplainedText;
  fields: SchemaDocField[];
  validations: (CelRule & { at: string })[];
  glossary: { term: string; zh: string }[];
  coverage: { translated: number; total: number };
}

/** Identity of the custom resource, from its CRD when the workspace holds it. */
export interface CrdIdentity { kind: string; group?: string; version?: string; scope?: string; plural?: string }

const MAX_FIELDS = 5_000;
const MAX_DEPTH = 24;

/** Every glossary term of the text catalogue (explain.term.*), in English and official Chinese. */
function glossaryTerms(): { id: string; en: string; zh: string }[] {
  return GLOSSARY_IDS.map((id) => ({ id, en: translate('en', `explain.term.${id}` as MessageKey), zh: translate('zh-CN', `explain.term.${id}` as MessageKey) }));
}
const GLOSSARY_IDS = ['selector', 'namespace', 'label', 'annotation', 'spec', 'condition', 'replica', 'container', 'probe', 'volume', 'taint', 'toleration', 'affinity', 'controller', 'template', 'finalizer', 'owner', 'endpoint', 'service-account', 'node', 'scheduler', 'image', 'rolling-update', 'rollback', 'garbage-collection', 'topology', 'lifecycle', 'environment-variable', 'persistent-volume', 'storage-class', 'admission', 'priority', 'preemption', 'patch-strategy', 'timeout', 'reference'];

export function buildSchemaDoc(identity: CrdIdentity, schema: unknown, lang: Lang, translator?: ReferenceTranslator): SchemaDoc {
  const root = mergedSchema(schema as JsonSchema);
  const gvk = root['x-kubernetes-group-version-kind']?.[0];
  const fields: SchemaDocField[] = [];
  const validations: SchemaDoc['validations'] = [];
  const texts: string[] = [];
  let translated = 0;
  let total = 0;
  const describe = (en: string | undefined, core: ReturnType<ReferenceTranslator['matchType']>, name: string): ExplainedText => {
    if (!en) return { translation: 'none' };
    total++;
    texts.push(en);
    if (lang === 'en') return { text: en, en, translation: 'not-needed' };
    const t = (core && translator?.byField(core, name, en)) || translator?.byDescription(en);
    if (!t) return { text: en, en, translation: 'none' };
    translated++;
    return { text: t.zh, en, translation: t.match, from: t.from };
  };

  const rootRules = celRules(root, lang);
  for (const r of rootRules) validations.push({ ...r, at: '(root)' });
  const visit = (node: JsonSchema, prefix: string, depth: number): void => {
    const container = containerOf(node);
    const core = translator?.matchType(container.properties, container.description);
    for (const [name, raw] of Object.entries(container.properties ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (fields.length >= MAX_FIELDS) return;
      const s = mergedSchema(raw);
      const path = prefix ? `${prefix}.${name}` : name;
      const inner = containerOf(s);
      const childCore = translator?.matchType(inner.properties, inner.description);
      const rules = celRules(s, lang);
      for (const r of rules) validations.push({ ...r, at: path });
      fields.push({
        path, depth, type: typeOfSchema(s), required: (container.required ?? []).includes(name),
        description: describe(s.description, core, name),
        ...(s.default !== undefined ? { default: s.default } : {}), ...(s.enum ? { enum: s.enum } : {}),
        limits: limitsOf(s, lang), ...(childCore ? { coreType: childCore.name } : {}), validations: rules,
      });
      if (depth < MAX_DEPTH && inner.properties) visit(s, path, depth + 1);
    }
  };
  visit(root, '', 0);
  const joined = texts.join(' ').toLowerCase();
  const glossary = glossaryTerms().filter((g) => new RegExp(`\\b${g.en}s?\\b`).test(joined)).map((g) => ({ term: g.en, zh: g.zh }));
  return {
    lang, kind: identity.kind, group: identity.group ?? gvk?.group ?? '', version: identity.version ?? gvk?.version ?? '',
    scope: identity.scope, plural: identity.plural,
    description: describe(root.description, undefined, ''), fields, validations, glossary, coverage: { translated, total },
  };
}

function limitsOf(s: JsonSchema, lang: Lang): string[] {
  const out: string[] = [];
  if (s.format) out.push(`${translate(lang, 'explain.doc.format')}: ${s.format}`);
  if (s.pattern) out.push(`${translate(lang, 'explain.doc.pattern')}: \`${s.pattern}\``);
  const range = (lo?: number, hi?: number) => (lo !== undefined || hi !== undefined ? `${lo ?? ''}…${hi ?? ''}` : undefined);
  const r = range(s.minimum, s.maximum) ?? range(s.minLength, s.maxLength) ?? range(s.minItems, s.maxItems);
  if (r) out.push(`${translate(lang, 'explain.doc.range')}: ${r}`);
  if (s['x-kubernetes-preserve-unknown-fields']) out.push(translate(lang, 'explain.doc.preserveUnknown'));
  return out;
}

const code = (v: unknown): string => `\`${(typeof v === 'string' ? v : JSON.stringify(v)).replace(/`/g, "'")}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n+/g, '<br>');

/** A description as Markdown: the translation (or English), with the English kept where they differ. */
export function describeMarkdown(d: ExplainedText, lang: Lang): string {
  if (!d.text) return '—';
  if (lang === 'en' || d.translation === 'not-needed') return d.text;
  if (d.translation === 'none') return `${d.text} ${translate(lang, 'explain.label.englishOnly')}`;
  if (d.translation === 'first-sentence') return `${d.text} ${translate(lang, 'explain.label.partial', { from: d.from ?? '' })}\n\n> ${d.en}`;
  return d.text;
}

/** The document as Markdown. */
export function schemaDocMarkdown(doc: SchemaDoc): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(doc.lang, key, params);
  const lines: string[] = [];
  lines.push(`# ${t('explain.doc.title', { kind: doc.kind, group: doc.group || 'core', version: doc.version })}`, '', t('explain.doc.intro'), '');
  lines.push(`## ${t('explain.doc.overview')}`, '');
  lines.push(`- ${t('explain.doc.group')}: ${code(doc.group || 'core')}`, `- ${t('explain.doc.versionLabel')}: ${code(doc.version)}`);
  if (doc.scope) lines.push(`- ${t('explain.doc.scope')}: ${code(doc.scope)}`);
  if (doc.plural) lines.push(`- ${t('explain.doc.plural')}: ${code(doc.plural)}`);
  lines.push('', describeMarkdown(doc.description, doc.lang), '', t('explain.doc.coverage', doc.coverage), '');

  lines.push(`## ${t('explain.doc.tree')}`, '', '```');
  for (const f of doc.fields) lines.push(`${'  '.repeat(f.depth)}${f.path.split('.').pop()}  <${f.type ?? '?'}>${f.required ? ` (${t('explain.label.required')})` : ''}${f.coreType ? `  [${f.coreType}]` : ''}`);
  lines.push('```', '');

  lines.push(`## ${t('explain.doc.details')}`, '');
  for (const f of doc.fields) {
    lines.push(`### ${f.path}`, '');
    const facts = [`${t('explain.doc.type')}: ${code(f.type ?? '?')}`];
    if (f.required) facts.push(`**${t('explain.label.required')}**`);
    if (f.default !== undefined) facts.push(`${t('explain.label.default')}: ${code(f.default)}`);
    if (f.coreType) facts.push(t('explain.doc.coreType', { type: f.coreType }));
    lines.push(facts.join(' · '), '');
    if (f.enum?.length) lines.push(`${t('explain.label.enum')}: ${f.enum.map(code).join(', ')}`, '');
    if (f.limits.length) lines.push(f.limits.join(' · '), '');
    lines.push(describeMarkdown(f.description, doc.lang), '');
    for (const r of f.validations) lines.push(`- ${t('explain.doc.rule')}: ${code(r.rule)} — ${r.meaning}${r.message ? ` (${t('explain.doc.message')}: ${r.message})` : ''}`);
    if (f.validations.length) lines.push('');
  }

  lines.push(`## ${t('explain.doc.validations')}`, '');
  if (doc.validations.length === 0) lines.push(t('explain.doc.noValidations'), '');
  else {
    lines.push(`| ${t('explain.doc.at')} | ${t('explain.doc.rule')} | ${t('explain.doc.meaning')} | ${t('explain.doc.message')} |`, '|---|---|---|---|');
    for (const v of doc.validations) lines.push(`| ${cell(v.at)} | ${cell(code(v.rule))} | ${cell(v.meaning)} | ${cell(v.message ?? '—')} |`);
    lines.push('');
  }
  if (doc.glossary.length) {
    lines.push(`## ${t('explain.doc.glossary')}`, '', `| ${t('explain.doc.term')} | ${t('explain.doc.translation')} |`, '|---|---|');
    for (const g of doc.glossary) lines.push(`| ${g.term} | ${g.zh} |`);
    lines.push('');
  }
  lines.push(`## ${t('explain.doc.credit')}`, '', t('explain.doc.creditText'), '');
  return lines.join('\n');
}
