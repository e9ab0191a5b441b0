import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../core/api/contract.js';
import { AppError } from '../../core/api/errors.js';
import { fail } from '../../core/api/result.js';
import type { DriftlineService } from '../services/driftline-service.js';
import { createLogger } from '../log/logger.js';
import { readPlainFile, realFileInside } from './safe-files.js';

const log = createLogger('serve.http');

/** Same policy as the Electron window: no remote code, no inline script, connections to ourselves only. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };
const MAX_BODY = 1024 * 1024;
const EXPORT_MIME: Record<string, string> = { '.pdf': 'application/pdf', '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.ndjson': 'application/x-ndjson', '.dlbundle': 'application/octet-stream' };

export interface ServeOptions {
  service: DriftlineService;
  /** The built renderer (renderer/dist). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random per run otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to a server. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * `driftline serve`: the contract over HTTP (POST /api/call/<name>) and WebSocket (/api/events)
 * on 127.0.0.1 only. Every API request needs the per-run bearer token, and the Host header must be
 * ours, so other local pages (and DNS-rebinding sites) cannot call it.
 */
export async function startHttpServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const staticRoot = resolve(options.staticDir);
  let port = 0;
  const tokenOk = (candidate: string | undefined | null) => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // The path only: the query may carry the token (download links), which must never reach a log.
      log.error('request failed', { path: pathOf(req.url), error: String(err) });
      if (!res.headersSent) sendJson(res, 500, fail(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!hostOk(req)) return sendJson(res, 421, fail(new AppError('UNAUTHORIZED', 'wrong Host header: open the URL that "driftline serve" printed')));
    let url: URL;
    let path: string;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      path = decodeURIComponent(url.pathname);
    } catch {
      return sendJson(res, 400, fail(new AppError('INVALID_INPUT', 'the request path is not a valid URL (a malformed % escape?)')));
    }
    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return sendJson(res, 405, fail(new AppError('INVALID_INPUT', 'use POST for API calls')));
      const auth = req.headers.authorization?.replace(/^Bearer /, '');
      if (!tokenOk(auth)) return sendJson(res, 401, fail(new AppError('UNAUTHORIZED', 'missing or wrong token: open the URL that "driftline serve" printed')));
      const name = path.slice('/api/call/'.length);
      let body: unknown;
      try {
        body = await readJsonBody(req);
      } catch (err) {
        return sendJson(res, 400, fail(err));
      }
      // The one dispatch every transport shares (input validated, errors as values).
      return sendJson(res, 200, await options.service.dispatch(name, body));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, fail(new AppError('INVALID_INPUT', 'method not allowed')));
    if (url.pathname.startsWith('/api/exports/')) {
      // A download link cannot carry a header, so the token may come as ?token=.
      const auth = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token');
      if (!tokenOk(auth)) return sendJson(res, 401, fail(new AppError('UNAUTHORIZED', 'missing or wrong token')));
      return serveExport(path.slice('/api/exports/'.length), res);
    }
    return serveStatic(path, res);
  }

  /** Serves one file of the exports folder by its plain name; nothing else on disk is reachable. */
  async function serveExport(fileName: string, res: ServerResponse): Promise<void> {
    const dir = options.service.exportsDir;
    // A plain name, and a plain file: a link planted in the folder is not followed.
    const body = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/.test(fileName) ? await readPlainFile(dir, fileName) : undefined;
    if (!body) return sendJson(res, 404, fail(new AppError('NOT_FOUND', `no export named "${fileName}"`)));
    res.writeHead(200, {
      'Content-Type': EXPORT_MIME[extname(fileName)] ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  async function serveStatic(decodedPath: string, res: ServerResponse): Promise<void> {
    const rel = normalize(decodedPath).replace(/^([/\\])+/, '');
    const wanted = resolve(staticRoot, rel || 'index.html');
    if (!wanted.startsWith(staticRoot + sep) && wanted !== staticRoot) return void res.writeHead(404).end();
    // Only files really inside the renderer folder: a link planted in it leads nowhere.
    const file = (rel !== '' && realFileInside(staticRoot, wanted)) || realFileInside(staticRoot, join(staticRoot, 'index.html'));
    if (!file) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('The studio is not built. Run "npm run build:renderer" and start "driftline serve" again.');
    }
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache' });
    res.end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = URL.canParse(req.url ?? '/', `http://127.0.0.1:${port}`) ? new URL(req.url ?? '/', `http://127.0.0.1:${port}`) : undefined;
    const origin = req.headers.origin;
    const originOk = !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!url || url.pathname !== '/api/events' || !hostOk(req) || !originOk || !tokenOk(url.searchParams.get('token'))) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });
  const unsubscribe = EVENT_NAMES.map((event) => options.service.events.on(event, (payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(message);
  }));

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new AppError('INVALID_INPUT', err.code === 'EADDRINUSE' ? `port ${options.port} is in use; choose another with --port` : err.message, { cause: err })));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe.forEach((u) => u());
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AppError('INVALID_INPUT', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('INVALID_INPUT', 'request body is not valid JSON');
  }
}

/** A request target without its query, for logs. */
function pathOf(target: string | undefined): string {
  return (target ?? '/').split('?')[0];
}
