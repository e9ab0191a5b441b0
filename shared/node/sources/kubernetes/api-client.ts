import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../../core/api/errors.js';
import { describeJsonError } from '../parse-errors.js';

/** An error answer of the API server, with its metav1.Status body when there was one. */
export class KubeHttpError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * A read-only REST client for one kubeconfig context. Authentication is @kubernetes/client-node's
 * own (KubeConfig.applyToHTTPSOptions: tokens, client certificates, exec plugins, auth providers),
 * so it works as the user's kubeconfig does. Requests are plain GETs of raw JSON: the typed API
 * classes re-shape objects (dates become Date, unknown fields are dropped), and drift needs the
 * objects exactly as the server sent them. There is deliberately no method that is not a GET.
 */
export class KubeApiClient {
  private constructor(private readonly kc: KubeConfig, readonly server: string, readonly userName: string, private readonly label: string) {}

  /** Loads a kubeconfig file and selects a context; throws AppError('CONFIG_INVALID') naming what is wrong. */
  static fromKubeconfig(file: string, context: string | undefined, label: string): KubeApiClient {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `${label}: cannot read kubeconfig ${file}: ${(err as Error).message} — check the path in sources.yaml`, { cause: err });
    }
    if (context) {
      if (!kc.getContexts().some((c) => c.name === context)) {
        throw new AppError('CONFIG_INVALID', `${label}: context "${context}" is not in ${file} (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
      }
      kc.setCurrentContext(context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new AppError('CONFIG_INVALID', `${label}: kubeconfig ${file} has no cluster for context "${kc.getCurrentContext()}"`);
    return new KubeApiClient(kc, cluster.server.replace(/\/+$/, ''), kc.getCurrentUser()?.name ?? 'unknown', label);
  }

  /** GETs a path and parses the JSON answer. Errors: AppError for transport/auth, KubeHttpError for other statuses. */
  async getJson(path: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<any> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json', 'User-Agent': 'driftline (read-only audit)' } };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new AppError('SOURCE_AUTH', `${this.label}: could not obtain credentials for user "${this.userName}": ${(err as Error).message} — check the kubeconfig user (exec plugin, token or certificate)`, { cause: err });
    }
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const { status, body } = await this.request(url, opts, combined);
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(body);
      } catch (err) {
        throw new AppError('SOURCE_BAD_DATA', `${this.label}: ${url.pathname} answered invalid JSON (${describeJsonError(err)})`, { cause: err });
      }
    }
    let statusBody: any;
    try {
      statusBody = JSON.parse(body);
    } catch {
      statusBody = undefined;
    }
    const message = typeof statusBody?.message === 'string' ? statusBody.message : body.slice(0, 300);
    if (status === 401) {
      throw new AppError('SOURCE_AUTH', `${this.label}: the API server ${this.server} rejected the credentials of user "${this.userName}" (401 Unauthorized) — refresh the token or log in again for this kubeconfig context`);
    }
    throw new KubeHttpError(status, String(statusBody?.reason ?? ''), message);
  }

  private request(url: URL, opts: https.RequestOptions, signal: AbortSignal): Promise<{ status: number; body: string }> {
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { ...opts, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (signal.aborted) {
          const reason = signal.reason;
          if (reason instanceof DOMException && reason.name === 'TimeoutError') {
            return reject(new AppError('SOURCE_UNREACHABLE', `${this.label}: ${url.pathname} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s — check the cluster address and network/VPN`, { cause: err }));
          }
          return reject(new AppError('CANCELLED', `${this.label}: capture cancelled`, { cause: err }));
        }
        const tls = /certificate|self[- ]signed|TLS|SSL/i.test(err.message);
        reject(new AppError('SOURCE_UNREACHABLE', tls
          ? `${this.label}: TLS with ${this.server} failed (${err.message}) — check the cluster's certificate-authority in the kubeconfig`
          : `${this.label}: cannot reach the API server ${this.server} (${err.code ?? err.message}) — check the cluster address, VPN or that the cluster is running`, { cause: err }));
      });
      req.end();
    });
  }
}

/** Reads the user name out of a 403 Status message (`User "x" cannot list …`), else the kubeconfig user. */
export const forbiddenUser = (message: string, fallback: string): string => /User "([^"]*)"/.exec(message)?.[1] ?? fallback;
