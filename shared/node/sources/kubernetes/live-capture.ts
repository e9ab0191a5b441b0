import { spoken } from '../../../core/i18n/phrase.js';
import type { ChangeAuthors } from './change-authors.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { AppError, isAppError } from '../../../core/api/errors.js';
import { KubeApiClient, KubeHttpError, forbiddenUser } from './api-client.js';
import { CAPTURED_KINDS, WELL_KNOWN_CUSTOM_RESOURCES, apiVersionOf, type KindSpec } from './kinds.js';
import { ObjectRecordBuilder } from './object-records.js';
import { kindSchemasFromSwagger } from './openapi-schemas.js';
import type { KubernetesSourceConfig } from './config.js';

/** Page size for list calls: the API server's own default chunk size for kubectl. */
export const LIST_PAGE_SIZE = 500;
/** A list whose continue token expires (410) is restarted at most this often before the kind fails. */
const MAX_LIST_RESTARTS = 3;
/** A bound on pages per list, so a server that always answers with a continue token cannot loop us forever. */
const MAX_PAGES = 100_000;

const basePath = (k: Pick<KindSpec, 'group' | 'version'>): string => (k.group ? `/apis/${k.group}/${k.version}` : '/api/v1');
const objectKey = (o: any): string => `${o?.metadata?.namespace ?? ''}/${o?.metadata?.name ?? ''}`;

/**
 * Lists one collection page by page (limit/continue,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
 * When a continue token expires (410 Gone, reason Expired) the list restarts from the beginning, as
 * client-go's pager does; objects already yielded are skipped by namespace/name.
 */
async function* listPages(client: KubeApiClient, path: string, spec: KindSpec, ctx: CaptureContext, pageSize: number, onRestart: () => void): AsyncGenerator<any[]> {
  const seen = new Set<string>();
  let cont: string | undefined;
  let restarts = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', `k8s://${ctx.sourceName}: capture cancelled`);
    let list: any;
    try {
      list = await client.getJson(path, { limit: pageSize, continue: cont }, ctx.signal);
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 410 && cont !== undefined && restarts < MAX_LIST_RESTARTS) {
        restarts++;
        cont = undefined;
        onRestart();
        continue;
      }
      throw err;
    }
    const items: any[] = Array.isArray(list?.items) ? list.items : [];
    const fresh: any[] = [];
    for (const item of items) {
      const key = objectKey(item);
      if (seen.has(key)) continue;
      seen.add(key);
      // Built-in lists leave apiVersion/kind out of their items: they are implied by the list.
      fresh.push({ ...item, apiVersion: item.apiVersion ?? apiVersionOf(spec), kind: item.kind ?? spec.kind });
    }
    yield fresh;
    cont = typeof list?.metadata?.continue === 'string' && list.metadata.continue !== '' ? list.metadata.continue : undefined;
    if (!cont) return;
  }
  throw new AppError('SOURCE_BAD_DATA', `k8s://${ctx.sourceName}: ${path} still had a continue token after ${MAX_PAGES} pages — stopped`);
}

let pageSizeOverride: number | undefined;
/**
 * @internal Tests exercise pagination with tiny pages; production always uses LIST_PAGE_SIZE. Kept out
 * of the sources.yaml schema on purpose: a user has no reason to tune it.
 */
export function setListPageSizeForTests(size: number | undefined): void {
  pageSizeOverride = size;
}

export interface LiveCaptureOptions {
  kubeconfigFile: string;
  /** Audit-log entries and Events that name who wrote an object. */
  authors?: ChangeAuthors;
}

/** Captures a live cluster, read-only (GETs only). */
export async function* captureLive(config: KubernetesSourceConfig, ctx: CaptureContext, opts: LiveCaptureOptions): AsyncGenerator<CaptureRecord> {
  const label = `k8s://${config.name}`;
  const client = KubeApiClient.fromKubeconfig(opts.kubeconfigFile, config.context, label);
  const builder = new ObjectRecordBuilder({ source: config.name, region: config.region, fingerprint: ctx.fingerprint, authors: opts.authors });
  const pageSize = pageSizeOverride ?? LIST_PAGE_SIZE;
  const namespaces = config.namespaces?.length ? config.namespaces : undefined;
  const crds = new Map<string, any>(); // "plural.group" → CRD
  const listed: KindSpec[] = [];

  const plan: KindSpec[] = [...CAPTURED_KINDS];
  let planExtended = false;
  for (let i = 0; i < plan.length; i++) {
    if (!planExtended && i > 0 && plan[i - 1].kind === 'CustomResourceDefinition') {
      plan.push(...customResourceKinds(config, crds, ctx));
      planExtended = true;
    }
    const spec = plan[i];
    let count = 0;
    const what = namespaces && spec.namespaced ? `${spec.plural} in ${namespaces.join(', ')}` : spec.plural;
    ctx.progress({ done: i, total: plan.length, item: `${label}: ${what}` });
    try {
      for await (const obj of listKind(client, spec, namespaces, ctx, pageSize, label)) {
        count++;
        if (spec.kind === 'CustomResourceDefinition') crds.set(obj.metadata?.name, obj);
        try {
          yield* builder.records(obj);
        } catch (err) {
          ctx.fail(`${label}/${spec.plural}/${objectKey(obj)}`, err);
        }
      }
      listed.push(spec);
      ctx.log.debug('listed', { source: config.name, resource: spec.plural, count });
    } catch (err) {
      const gap = asGap(err, spec, label, client);
      if (gap) {
        ctx.log.warn('kind not captured', { source: config.name, resource: spec.plural, reason: gap.reason });
        yield gap;
        continue;
      }
      if (isAppError(err, 'SOURCE_AUTH') || isAppError(err, 'SOURCE_UNREACHABLE') || isAppError(err, 'CANCELLED') || isAppError(err, 'CONFIG_INVALID')) throw err;
      ctx.fail(`${label}/${spec.plural}`, err instanceof KubeHttpError ? new AppError('SOURCE_BAD_DATA', `${label}: list ${spec.plural} failed: ${err.status} ${err.message}`, { cause: err }) : err);
    }
  }
  ctx.progress({ done: plan.length, total: plan.length, item: `${label}: done` });
  yield* builder.finish();
  yield* openApiSchemas(client, listed, ctx, label);
}

/** Yields every object of one kind: per namespace when the capture is limited to namespaces. */
async function* listKind(client: KubeApiClient, spec: KindSpec, namespaces: string[] | undefined, ctx: CaptureContext, pageSize: number, label: string): AsyncGenerator<any> {
  const onRestart = () => ctx.warn(`${label}/${spec.plural}`, `${label}: the continue token for ${spec.plural} expired (410 Gone) — the list was restarted; objects changed meanwhile may show their newer version`);
  if (spec.kind === 'Namespace' && namespaces) {
    // A namespace-scoped auditor often cannot list namespaces but can get their own.
    for (const ns of namespaces) {
      try {
        yield await client.getJson(`/api/v1/namespaces/${encodeURIComponent(ns)}`, {}, ctx.signal).then((o) => ({ apiVersion: 'v1', kind: 'Namespace', ...o }));
      } catch (err) {
        if (err instanceof KubeHttpError && err.status === 404) ctx.warn(`${label}/namespaces/${ns}`, `${label}: namespace "${ns}" does not exist — check \`namespaces\` in sources.yaml`);
        else throw err;
      }
    }
    return;
  }
  const paths = namespaces && spec.namespaced
    ? namespaces.map((ns) => `${basePath(spec)}/namespaces/${encodeURIComponent(ns)}/${spec.plural}`)
    : [`${basePath(spec)}/${spec.plural}`];
  for (const path of paths) {
    for await (const page of listPages(client, path, spec, ctx, pageSize, onRestart)) {
      for (const obj of page) {
        // A cluster-wide list of a custom resource of unknown scope may return other namespaces' objects.
        if (namespaces && obj.metadata?.namespace && !namespaces.includes(obj.metadata.namespace)) continue;
        yield obj;
      }
    }
  }
}

/** The configured custom resources, plus the well-known ones whose CRD the cluster has. */
function customResourceKinds(config: KubernetesSourceConfig, crds: Map<string, any>, ctx: CaptureContext): KindSpec[] {
  const wanted = [...(config.customResources ?? [])];
  for (const wk of WELL_KNOWN_CUSTOM_RESOURCES) {
    if (crds.has(`${wk.plural}.${wk.group}`) && !wanted.some((w) => w.group === wk.group && w.plural === wk.plural)) wanted.push(wk);
  }
  return wanted.map((w) => {
    const crd = crds.get(`${w.plural}.${w.group}`);
    if (!crd && crds.size > 0) ctx.log.info('custom resource without a visible CRD', { resource: `${w.plural}.${w.group}` });
    return {
      group: w.group,
      version: w.version,
      plural: w.plural,
      kind: crd?.spec?.names?.kind ?? w.plural,
      // Unknown scope (CRD not visible): list cluster-wide, which works for both scopes.
      namespaced: crd ? crd.spec?.scope !== 'Cluster' : false,
      custom: true,
    };
  });
}

/** A 403 or 404 on a kind becomes a gap in the snapshot: the capture goes on without it. */
function asGap(err: unknown, spec: KindSpec, label: string, client: KubeApiClient): Extract<CaptureRecord, { type: 'gap' }> | undefined {
  if (!(err instanceof KubeHttpError)) return undefined;
  const resource = spec.group ? `${spec.plural}.${spec.group}` : spec.plural;
  if (err.status === 403) {
    const user = forbiddenUser(err.message, client.userName);
    const said = spoken('gap.k8s.forbidden', { label, resource, user, message: err.message });
    return { type: 'gap', item: `${label}/${resource}`, reason: said.text, phrase: said.phrase };
  }
  if (err.status === 404) {
    const said = spoken('gap.k8s.notServed', { label, apiVersion: apiVersionOf(spec), plural: spec.plural });
    return { type: 'gap', item: `${label}/${resource}`, reason: said.text, phrase: said.phrase };
  }
  return undefined;
}

/** Schema records for the built-in kinds that were captured, from GET /openapi/v2. Best effort. */
async function* openApiSchemas(client: KubeApiClient, listed: KindSpec[], ctx: CaptureContext, label: string): AsyncGenerator<CaptureRecord> {
  const builtins = listed.filter((k) => !k.custom); // custom resources get theirs from their CRD
  if (builtins.length === 0) return;
  let doc: unknown;
  try {
    doc = await client.getJson('/openapi/v2', {}, ctx.signal);
  } catch (err) {
    if (isAppError(err, 'CANCELLED')) throw err;
    ctx.warn(`${label}/openapi/v2`, `${label}: no field descriptions — GET /openapi/v2 failed: ${(err as Error).message}`);
    return;
  }
  for (const { kind, schema } of kindSchemasFromSwagger(doc, builtins)) yield { type: 'schema', kind, schema };
}
