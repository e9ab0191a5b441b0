import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { setLogSink } from '../log/logger.js';
import { Store } from '../store/index.js';
import { DriftlineService } from '../services/driftline-service.js';
import { startHttpServer, type RunningServer } from './http-server.js';

// Small items of issue #10 point 6 for `driftline serve`: the token never reaches a log, a
// malformed % escape is the client's mistake (400), and no planted symbolic link is followed —
// neither when an export is offered for download, nor when one is written, nor in the renderer folder.
const tmp = useTempHome();
const SECRET = 'the contents of a private file outside every served folder';
const logLines: string[] = [];
let store: Store;
let server: RunningServer;

beforeAll(async () => {
  writeFileSync(tmp.path('private.txt'), SECRET);
  mkdirSync(tmp.path('static'));
  writeFileSync(tmp.path('static/index.html'), '<!doctype html><title>studio</title>');
  symlinkSync(tmp.path('private.txt'), tmp.path('static/leak.txt'));
  mkdirSync(tmp.path('exports'));
  symlinkSync(tmp.path('private.txt'), tmp.path('exports/leak.csv'));
  store = Store.open(tmp.path('x.driftline'), { create: true });
  const service = new DriftlineService(store, { exportsDir: tmp.path('exports') });
  server = await startHttpServer({ service, staticDir: tmp.path('static') });
  setLogSink((line) => logLines.push(line), 'debug');
});
afterAll(async () => {
  setLogSink((line) => process.stderr.write(line + '\n'), 'warn');
  await server.close();
  store.close();
  tmp.cleanup();
});

/** A raw request: fetch() would re-encode a malformed escape before sending it. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: path.startsWith('/api/call/') ? 'POST' : 'GET', headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

const call = async (name: string, body: unknown) => (await fetch(`${server.url}api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) })).json() as Promise<any>;

describe('serve: malformed requests and the token', () => {
  it.each([
    [`/api/exports/%E0%A4%A?token=TOKEN`, 'an export name'],
    ['/api/call/graph%ZZoverview', 'a call name'],
    ['/assets/%E0%A4%A.js', 'a studio file'],
  ])('answers 400 to a malformed percent escape in %s (%s)', async (path) => {
    const r = await rawGet(path.replace('TOKEN', server.token), { Authorization: `Bearer ${server.token}` });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('% escape') } });
  });

  it('writes no token into the log, whatever the request', () => {
    // The requests above included the token in the query and in the header.
    expect(logLines.join('\n')).not.toContain(server.token);
  });
});

describe('serve: planted symbolic links', () => {
  it('does not offer a link planted in the exports folder for download', async () => {
    const r = await rawGet(`/api/exports/leak.csv?token=${server.token}`);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain(SECRET);
  });

  it('does not serve a link planted in the renderer folder', async () => {
    const r = await rawGet('/leak.txt');
    expect(r.body).not.toContain(SECRET);
    expect(r.body).toContain('<title>studio</title>');
  });

  it('never writes an export through a link, at its name or at its temporary name', async () => {
    symlinkSync(tmp.path('private.txt'), tmp.path('exports/report.pdf'));
    const atName = await call('report:export', { lang: 'en', fileName: 'report.pdf' });
    expect(atName).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('symbolic link') } });
    // The temporary name a writer uses is predictable (<name>.partial-<pid>): a link there is refused too.
    symlinkSync(tmp.path('private.txt'), tmp.path(`exports/other.pdf.partial-${process.pid}`));
    const atTemp = await call('report:export', { lang: 'en', fileName: 'other.pdf' });
    expect(atTemp).toMatchObject({ ok: false });
    expect(readFileSync(tmp.path('private.txt'), 'utf8')).toBe(SECRET);
    expect(existsSync(tmp.path('exports/other.pdf'))).toBe(false);
  });

  it('refuses an exports folder that is itself a link', async () => {
    mkdirSync(tmp.path('elsewhere'));
    symlinkSync(tmp.path('elsewhere'), tmp.path('linked-exports'));
    const service = new DriftlineService(store, { exportsDir: tmp.path('linked-exports') });
    await expect(service.handlers['report:export']({ lang: 'en' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('exports folder') });
    expect(readdirSync(tmp.path('elsewhere'))).toEqual([]);
    // A link to nowhere (it would be created through) is refused the same way.
    symlinkSync(tmp.path('nowhere/exports'), tmp.path('dangling-exports'));
    const dangling = new DriftlineService(store, { exportsDir: tmp.path('dangling-exports') });
    await expect(dangling.handlers['report:export']({ lang: 'en' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('exports folder') });
    expect(existsSync(tmp.path('nowhere'))).toBe(false);
  });
});
