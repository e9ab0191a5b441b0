import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * TEST SERVER, NOT PRODUCT CODE: the read side of the Kafka Connect REST API
 * (https://kafka.apache.org/documentation/#connect_rest) on 127.0.0.1, answering as a Connect worker
 * does: GET /connectors (names, or `?expand=info&expand=status` maps), GET /connectors/{name},
 * /connectors/{name}/config and /connectors/{name}/status, 404 `{error_code, message}` for an
 * unknown connector and 405 for every other method. It records every request, so tests prove an
 * auditor's capture only read; curl proves the answers are what a real client gets.
 */
export interface TestConnector {
  name: string;
  config: Record<string, string>;
  /** `RUNNING` (default), `PAUSED`, `FAILED`. */
  state?: string;
  type?: 'source' | 'sink';
  tasks?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
}

export interface TestConnectServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const WORKER = '127.0.0.1:8083';

export async function startConnectServer(connectors: TestConnector[]): Promise<TestConnectServer> {
  const byName = new Map(connectors.map((c) => [c.name, c]));
  const requests: RecordedRequest[] = [];
  const status = (c: TestConnector) => ({
    name: c.name,
    connector: { state: c.state ?? 'RUNNING', worker_id: WORKER },
    tasks: Array.from({ length: c.tasks ?? 1 }, (_, id) => ({ id, state: c.state ?? 'RUNNING', worker_id: WORKER })),
    type: c.type ?? (/Sink/.test(c.config['connector.class'] ?? '') ? 'sink' : 'source'),
  });
  const info = (c: TestConnector) => ({ name: c.name, config: { ...c.config, name: c.name }, tasks: Array.from({ length: c.tasks ?? 1 }, (_, task) => ({ connector: c.name, task })), type: status(c).type });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 1 && parts[0] === 'connectors') {
      const expand = url.searchParams.getAll('expand');
      if (expand.length === 0) return send(200, [...byName.keys()]);
      return send(200, Object.fromEntries([...byName.values()].map((c) => [c.name, { ...(expand.includes('info') ? { info: info(c) } : {}), ...(expand.includes('status') ? { status: status(c) } : {}) }])));
    }
    if (parts[0] !== 'connectors' || parts.length < 2 || parts.length > 3) return send(404, { error_code: 404, message: 'HTTP 404 Not Found' });
    const c = byName.get(parts[1]);
    if (!c) return send(404, { error_code: 404, message: `Connector ${parts[1]} not found` });
    if (parts.length === 2) return send(200, info(c));
    if (parts[2] === 'config') return send(200, { ...c.config, name: c.name });
    if (parts[2] === 'status') return send(200, status(c));
    return send(404, { error_code: 404, message: 'HTTP 404 Not Found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
