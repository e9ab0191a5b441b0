import { AppError } from '../../core/api/errors.js';
import type { ExplanationOutput } from '../../core/api/contract.js';
import { explainFromReference, explainFromSchema, type Explanation, type ExplainedText } from '../../core/explain/explain.js';
import { buildSchemaDoc, type CrdIdentity, type SchemaDoc } from '../../core/explain/schema-doc.js';
import type { Lang } from '../../core/i18n/index.js';
import type { Store } from '../store/index.js';
import { apiReference } from './reference.js';

export { apiReference } from './reference.js';

const flat = (d: ExplainedText) => ({ ...(d.text ? { description: d.text } : {}), ...(d.en && d.en !== d.text ? { descriptionEn: d.en } : {}), translation: d.translation });

function toOutput(e: Explanation): ExplanationOutput {
  return {
    kind: e.kind, ...(e.apiVersion ? { apiVersion: e.apiVersion } : {}), path: e.path, ...(e.type ? { type: e.type } : {}), ...(e.required !== undefined ? { required: e.required } : {}),
    ...flat(e.description), ...(e.coreType ? { coreType: e.coreType } : {}), ...(e.default !== undefined ? { default: e.default } : {}), ...(e.enum ? { enum: e.enum } : {}),
    source: e.source,
    fields: e.fields.map((f) => ({ name: f.name, ...(f.type ? { type: f.type } : {}), required: f.required, ...flat(f.description), ...(f.coreType ? { coreType: f.coreType } : {}), ...(f.default !== undefined ? { default: f.default } : {}), ...(f.enum ? { enum: f.enum } : {}) })),
    validations: e.validations,
  };
}

/**
 * Explains a kind or field: from a schema captured in the workspace (a CRD, or the API server's
 * OpenAPI) when there is one, else — for core kinds — from the offline API reference, so a dump
 * with no OpenAPI is explained too. Chinese comes only from the official reference.
 */
export function explainKind(store: Store, kind: string, path: string | undefined, lang: Lang): ExplanationOutput {
  const { docs, translator } = apiReference();
  const schema = store.configs.schema(kind);
  try {
    if (schema) return toOutput(explainFromSchema(kind, schema, path ?? '', lang, translator));
    return toOutput(explainFromReference(docs, kind, path ?? '', lang));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('NOT_FOUND', (err as Error).message);
  }
}

/** The CRD that defines `kind`, from the workspace's captured configuration (live or desired), if any. */
function crdIdentity(store: Store, kind: string): CrdIdentity {
  const rows = store.db.prepare(`SELECT content_json FROM config_versions WHERE urn LIKE 'k8s://%/_/CustomResourceDefinition/%' AND content_json <> 'null' ORDER BY id DESC`).pluck().all() as string[];
  for (const json of rows) {
    const crd = JSON.parse(json);
    if (String(crd?.spec?.names?.kind ?? '').toLowerCase() !== kind.toLowerCase()) continue;
    const versions: any[] = Array.isArray(crd.spec.versions) ? crd.spec.versions : [];
    const version = (versions.find((v) => v?.storage) ?? versions[0])?.name;
    return { kind: crd.spec.names.kind, group: crd.spec.group, version, scope: crd.spec.scope, plural: crd.spec.names.plural };
  }
  return { kind };
}

/** The full schema document of a custom resource captured in the workspace. */
export function schemaDocument(store: Store, kind: string, lang: Lang): SchemaDoc {
  const schema = store.configs.schema(kind);
  if (!schema) {
    const known = store.configs.schemaKinds();
    throw new AppError('NOT_FOUND', `no schema for kind "${kind}" in this workspace${known.length ? `; schemas kept: ${known.slice(0, 40).join(', ')}` : ''} — scan the CustomResourceDefinition (a dump or a repository that holds it); core kinds are explained without --doc`);
  }
  const identity = crdIdentity(store, kind);
  return buildSchemaDoc({ ...identity, kind: identity.kind ?? kind }, schema, lang, apiReference().translator);
}
