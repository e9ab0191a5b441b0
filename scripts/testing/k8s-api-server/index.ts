import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseAllDocuments } from 'yaml';
import { BUILTIN_RESOURCES, apiResourceEntry, groupVersionOf, type ServedResource } from './resources.js';
import { ObjectStore, resourceKey, type K8sObject, type ObjectRef, type WatchEvent } from './store.js';
import { buildOpenApiV2 } from './openapi.js';
import { testCertificate } from './tls.js';

/**
 * A test Kubernetes API server speaking the real REST protocol over https on 127.0.0.1
 * (DESIGN.md "Testing against real parts": Debian's kubectl must be able to talk to it).
 * Protocol reference: https://kubernetes.io/docs/reference/using-api/api-concepts/
 * It is read-only for clients (mutations come from the test API) and records every request so tests
 * can prove a client sent nothing but GETs.
 */
export interface K8sApiServerOptions {
  /** Objects to seed (JSON objects; `kind: List` is expanded). */
  objects?: unknown[];
  /** YAML (multi-document) or JSON files to seed from, e.g. the corpora's manifests. */
  files?: string[];
  /** Namespace for seeded namespaced objects without one (default "default"). */
  namespace?: string;
  /** Bearer token clients must send; random when omitted. */
  token?: string;
  /** Resources every list/get/watch is refused for with 403, as 'secrets' or 'kafkaconnectors.kafka.strimzi.io'. */
  forbidden?: string[];
  /** The user name the server reports in 403 messages. */
  user?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  accept?: string;
}

export interface K8sApiServer {
  url: string;
  token: string;
  /** Every request received, in order (including refused ones). */
  requests: RecordedRequest[];
  /** The server's self-signed certificate (PEM), the CA a client must trust. */
  ca: string;
  /** Writes (once) a kubeconfig for this server (CA, token) into a temp dir and returns its path. */
  kubeconfigPath(): string;
  addObject(obj: unknown): K8sObject;
  updateObject(obj: unknown): K8sObject;
  deleteObject(ref: ObjectRef): K8sObject;
  /** Forgets history as etcd compaction does: older continue tokens and watch resourceVersions answer 410 Gone. */
  compact(): void;
  setForbidden(resources: string[]): void;
  /** Called before each request is answered; lets tests inject faults (e.g. compact after the first page). */
  onRequest(hook: ((req: RecordedRequest) => void) | undefined): void;
  /**
   * Holds back the answers to matching requests until `release()`: a capture that is reliably still
   * running while a test does something else (starts a second scan, a reader). `arrived` resolves at
   * the first matching request.
   */
  hold(match: (req: RecordedRequest) => boolean): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

const GIT_VERSION = 'v1.32.4';
const CONTEXT_NAME = 'driftline-test';

/** A metav1.Status, the body of every error (https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#response-status-kind). */
function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Reads seed objects from YAML/JSON files; `kind: List` documents are expanded. */
function readSeedFile(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d) => d.toJS({ maxAliasCount: 100 })).filter((o) => o && typeof o === 'object');
}

const expand = (o: any): unknown[] => (o && typeof o === 'object' && Array.isArray(o.items) && /List$/.test(String(o.kind)) ? o.items.flatMap(expand) : [o]);

interface ContinueToken { rv: number; start: string }
const encodeContinue = (t: ContinueToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeContinue(s: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return typeof t?.rv === 'number' && typeof t?.start === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Minimal equality-based label selector (`a=b,c!=d,e`), enough for kubectl's `-l`. */
function matchesLabels(obj: K8sObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = (obj.metadata.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)?\s*([^\s]*)\s*$/.exec(term);
    if (!m) return false;
    const [, key, op, value] = m;
    if (!op) return key in labels;
    return op === '!=' ? labels[key] !== value : labels[key] === value;
  });
}

/** Field selectors on metadata.name / metadata.namespace, as kubectl uses for `get NAME --watch`. */
function matchesFields(obj: K8sObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const m = /^(metadata\.name|metadata\.namespace)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) return true;
    const actual = m[1] === 'metadata.name' ? obj.metadata.name : obj.metadata.namespace;
    return m[2] === '!=' ? actual !== m[3] : actual === m[3];
  });
}

/** Starts the server on 127.0.0.1 with an OS-chosen port. */
export async function startK8sApiServer(opts: K8sApiServerOptions = {}): Promise<K8sApiServer> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  const user = opts.user ?? 'system:serviceaccount:audit:driftline';
  const store = new ObjectStore(opts.namespace ?? 'default');
  let forbidden = new Set(opts.forbidden ?? []);
  let hook: ((r: RecordedRequest) => void) | undefined;
  const requests: RecordedRequest[] = [];
  const openWatches = new Set<ServerResponse>();
  const tempDirs: string[] = [];
  let kubeconfigFile: string | undefined;

  const seeds = [...(opts.objects ?? []), ...(opts.files ?? []).flatMap(readSeedFile)].flatMap(expand) as K8sObject[];
  // CRDs first, so the custom resources in the same seed have a resource to live under.
  for (const o of [...seeds].sort((a, b) => Number(b?.kind === 'CustomResourceDefinition') - Number(a?.kind === 'CustomResourceDefinition'))) store.add(o);

  const isForbidden = (r: ServedResource): boolean => forbidden.has(r.plural) || forbidden.has(r.group ? `${r.plural}.${r.group}` : r.plural);

  /** Shapes an object as the server returns it at the requested version. */
  const present = (o: K8sObject, r: ServedResource, inList: boolean): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...o, apiVersion: groupVersionOf(r), kind: r.kind };
    // The real server leaves apiVersion/kind out of the items of built-in lists (they are implied by
    // the List's kind); custom resources keep them. Clients must cope: kubectl fills them in.
    if (inList && BUILTIN_RESOURCES.includes(r)) {
      delete copy.apiVersion;
      delete copy.kind;
    }
    return copy;
  };

  const discovery = (url: URL, res: ServerResponse): boolean => {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const resources = store.resources();
    if (p === '/version') {
      sendJson(res, 200, { major: '1', minor: '32', gitVersion: GIT_VERSION, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64' });
      return true;
    }
    if (p === '/api') {
      sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: url.host }] });
      return true;
    }
    const groups = new Map<string, string[]>();
    for (const r of resources) if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
    const groupEntry = (name: string) => {
      const versions = groups.get(name)!.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    };
    if (p === '/apis') {
      sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups.keys()].map(groupEntry) });
      return true;
    }
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p) ?? (p === '/api/v1' ? [p, '', 'v1'] : null);
    if (!m) return false;
    const [, group, version] = m;
    if (group && !groups.has(group)) return sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource')), true;
    if (group && !version) return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) }), true;
    const served = resources.filter((r) => r.group === group && r.version === version);
    if (served.length === 0) return sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource')), true;
    sendJson(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : 'v1', resources: served.map(apiResourceEntry) });
    return true;
  };

  const serveResource = (url: URL, req: IncomingMessage, res: ServerResponse): void => {
    const parts = url.pathname.split('/').filter(Boolean);
    const [group, version, rest] = parts[0] === 'api' ? ['', parts[1], parts.slice(2)] : ['', '', []];
    const [g, v, r] = parts[0] === 'apis' ? [parts[1], parts[2], parts.slice(3)] : [group, version, rest];
    let namespace: string | undefined;
    let tail = r;
    if (tail[0] === 'namespaces' && tail.length >= 3) {
      namespace = tail[1];
      tail = tail.slice(2);
    }
    const served = store.resources().find((x) => x.group === g && x.version === v && x.plural === tail[0]);
    if (!served || tail.length > 2 || (namespace !== undefined && !served.namespaced)) {
      return sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const name = tail[1];
    const q = url.searchParams;
    const verb = name ? 'get' : q.get('watch') === 'true' || q.get('watch') === '1' ? 'watch' : 'list';
    const groupLabel = served.group;
    if (isForbidden(served)) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return sendJson(res, 403, status(403, 'Forbidden', `${served.plural}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${served.plural}" in API group "${groupLabel}" ${scope}`, { ...(name ? { name } : {}), group: groupLabel, kind: served.plural }));
    }
    if (name) {
      const obj = store.get(served, namespace, name);
      if (!obj) return sendJson(res, 404, status(404, 'NotFound', `${served.plural}${groupLabel ? '.' + groupLabel : ''} "${name}" not found`, { name, group: groupLabel, kind: served.plural }));
      return sendJson(res, 200, present(obj, served, false));
    }
    const matches = (o: K8sObject) => (namespace === undefined || o.metadata.namespace === namespace) && matchesLabels(o, q.get('labelSelector') ?? undefined) && matchesFields(o, q.get('fieldSelector') ?? undefined);
    if (verb === 'watch') return serveWatch(served, matches, q, req, res);

    // list, with limit/continue chunking (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks)
    let snapshotRv = store.currentRv;
    let start = '';
    const cont = q.get('continue');
    if (cont) {
      const token = decodeContinue(cont);
      if (!token) return sendJson(res, 400, status(400, 'BadRequest', 'continue key is not valid: illegal base64 data'));
      if (token.rv < store.compactedRv) {
        return sendJson(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
      }
      snapshotRv = token.rv;
      start = token.start;
    }
    const all = store.list(served).filter(matches).filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > start);
    const limit = Number(q.get('limit') ?? 0);
    const page = limit > 0 ? all.slice(0, limit) : all;
    const more = limit > 0 && all.length > limit;
    const last = page[page.length - 1];
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshotRv) };
    if (more && last) {
      metadata.continue = encodeContinue({ rv: snapshotRv, start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` });
      metadata.remainingItemCount = all.length - page.length;
    }
    sendJson(res, 200, { kind: `${served.kind}List`, apiVersion: groupVersionOf(served), metadata, items: page.map((o) => present(o, served, true)) });
  };

  /** Watch: a stream of JSON lines {type, object} (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes). */
  const serveWatch = (served: ServedResource, matches: (o: K8sObject) => boolean, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    const write = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
    const rvParam = q.get('resourceVersion');
    const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (fromRv !== undefined && (!Number.isFinite(fromRv) || fromRv < store.compactedRv)) {
      // The real server answers 200 and then an ERROR event carrying a 410 Status.
      write('ERROR', status(410, 'Expired', `too old resource version: ${rvParam} (${store.compactedRv})`));
      res.end();
      return;
    }
    const key = resourceKey(served);
    const relevant = (e: WatchEvent) => e.resourceKey === key && matches(e.object);
    if (fromRv === undefined) for (const o of store.list(served).filter(matches)) write('ADDED', present(o, served, false));
    else for (const e of store.eventsSince(fromRv).filter(relevant)) write(e.type, present(e.object, served, false));
    const unsubscribe = store.onEvent((e) => {
      if (relevant(e)) write(e.type, present(e.object, served, false));
    });
    openWatches.add(res);
    const timeoutS = Math.min(Number(q.get('timeoutSeconds') ?? 1800) || 1800, 1800);
    const timer = setTimeout(() => res.end(), timeoutS * 1000);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      openWatches.delete(res);
    };
    req.on('close', done);
    res.on('finish', done);
  };

  const { cert, key } = testCertificate();
  const holds: { match: (r: RecordedRequest) => boolean; arrive: () => void; released: Promise<void> }[] = [];
  const server = createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), accept: req.headers.accept };
    requests.push(recorded);
    const held = holds.find((h) => h.match(recorded));
    if (held) {
      held.arrive();
      void held.released.then(() => answer(url, recorded, req, res));
      return;
    }
    answer(url, recorded, req, res);
  });
  const answer = (url: URL, recorded: RecordedRequest, req: IncomingMessage, res: ServerResponse): void => {
    try {
      hook?.(recorded);
      if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      if (req.method !== 'GET') {
        // Nothing in Driftline may mutate a cluster; refusing makes an accidental write loud in tests.
        return sendJson(res, 405, status(405, 'MethodNotAllowed', `the test API server is read-only: ${req.method} is not allowed`));
      }
      if (url.pathname === '/openapi/v2') return sendJson(res, 200, buildOpenApiV2(GIT_VERSION));
      if (discovery(url, res)) return;
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/apis/')) return serveResource(url, req, res);
      sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    } catch (err) {
      sendJson(res, 500, status(500, 'InternalError', `test API server: ${(err as Error).message}`));
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    ca: cert,
    requests,
    kubeconfigPath() {
      if (kubeconfigFile) return kubeconfigFile;
      const dir = mkdtempSync(join(tmpdir(), 'driftline-kubeconfig-'));
      tempDirs.push(dir);
      kubeconfigFile = join(dir, 'config');
      writeFileSync(kubeconfigFile, [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${CONTEXT_NAME}`,
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${Buffer.from(cert).toString('base64')}`,
        'users:',
        `- name: ${CONTEXT_NAME}-user`,
        '  user:',
        `    token: ${token}`,
        'contexts:',
        `- name: ${CONTEXT_NAME}`,
        '  context:',
        `    cluster: ${CONTEXT_NAME}`,
        `    user: ${CONTEXT_NAME}-user`,
        `current-context: ${CONTEXT_NAME}`,
        '',
      ].join('\n'), { mode: 0o600 });
      return kubeconfigFile;
    },
    addObject: (o) => store.add(o),
    updateObject: (o) => store.update(o),
    deleteObject: (ref) => store.delete(ref),
    compact: () => store.compact(),
    setForbidden(resources) {
      forbidden = new Set(resources);
    },
    onRequest(next) {
      hook = next;
    },
    hold(match) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => { arrive = r; });
      const released = new Promise<void>((r) => { release = r; });
      const entry = { match, arrive, released };
      holds.push(entry);
      return { arrived, release: () => { holds.splice(holds.indexOf(entry), 1); release(); } };
    },
    async close() {
      for (const w of openWatches) w.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export type { K8sObject, ObjectRef } from './store.js';
