import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, calls, EVENT_NAMES, events, type CallInput, type CallName, type CallOutput } from '../../core/api/contract.js';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { buildTestWorkspace } from '../../../scripts/testing/fixtures/report-workspace.js';
import { buildDemo } from '../../../scripts/build-demo.js';
import { registerIpc } from '../../../electron/main/ipc/register.js';
import { startHttpServer, type RunningServer } from '../serve/http-server.js';
import { Store } from '../store/index.js';
import { DriftlineService } from './driftline-service.js';

const tmp = useTempHome();
let store: Store;
let service: DriftlineService;
let server: RunningServer;

beforeAll(async () => {
  store = Store.open(tmp.path('c.driftline'), { create: true });
  service = new DriftlineService(store);
  server = await startHttpServer({ service, staticDir: tmp.dir });
});
afterAll(async () => {
  await server.close();
  store.close();
  tmp.cleanup();
});

const post = (name: string, body: unknown, token = server.token) =>
  fetch(`${server.url}api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the one contract', () => {
  it('has an input and output schema for every call and a schema for every event', () => {
    expect(CALL_NAMES.length).toBeGreaterThan(10);
    for (const name of CALL_NAMES) {
      expect(name).toMatch(/^[a-z]+:[a-z]+$/);
      expect(typeof calls[name].input.safeParse).toBe('function');
      expect(typeof calls[name].output.safeParse).toBe('function');
    }
    for (const e of EVENT_NAMES) expect(typeof events[e].safeParse).toBe('function');
  });

  it('has a handler in the service for every call', () => {
    for (const name of CALL_NAMES) expect(typeof service.handlers[name], name).toBe('function');
    expect(Object.keys(service.handlers).sort()).toEqual([...CALL_NAMES].sort());
  });

  it('binds every call over Electron IPC, refusing other frames and bad input as values', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: vi.fn((name: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(name, fn)), removeHandler: vi.fn() };
    const mainFrame = {};
    const webContents = { mainFrame, send: vi.fn(), isDestroyed: () => false };
    registerIpc(ipcMain as never, service, () => webContents as never);
    expect([...handlers.keys()].sort()).toEqual([...CALL_NAMES].sort());
    const call = handlers.get('workspace:info')!;
    await expect(call({ sender: webContents, senderFrame: mainFrame }, {})).resolves.toMatchObject({ ok: true, value: { id: store.workspace.id } });
    await expect(call({ sender: webContents, senderFrame: {} }, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expect(handlers.get('graph:search')!({ sender: webContents, senderFrame: mainFrame }, { query: 42 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('query') } });
  });

  it('answers every call over HTTP (valid → a Result, never an unknown call)', async () => {
    for (const name of CALL_NAMES) {
      const res = await post(name, { __probe: true });
      expect(res.status, name).toBe(200);
      const body = (await res.json()) as { ok: boolean; error?: { message: string } };
      if (!body.ok) expect(body.error?.message, name).not.toMatch(/unknown call/);
    }
    const info = (await (await post('workspace:info', {})).json()) as { ok: boolean; value: { id: string } };
    expect(info).toMatchObject({ ok: true, value: { id: store.workspace.id } });
  });

  it('validates HTTP payloads and names the field', async () => {
    const body = await (await post('graph:lineage', { urn: 5 })).json();
    expect(body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('urn') } });
    const unknown = await (await post('nope:nope', {})).json();
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('unknown call') } });
  });
});

describe('driftline serve security', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toContain(`#token=${server.token}`);
  });

  it('refuses calls without the token or with a wrong one', async () => {
    expect((await post('workspace:info', {}, 'wrong')).status).toBe(401);
    const res = await fetch(`${server.url}api/call/workspace:info`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/call/workspace:info', method: 'POST', headers: { Host: 'evil.example:80', Authorization: `Bearer ${server.token}` } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('streams events over an authenticated WebSocket only', async () => {
    const { WebSocket } = await import('ws');
    const bad = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=wrong`);
    await expect(new Promise((resolve, reject) => { bad.on('open', () => resolve('open')); bad.on('error', reject); })).rejects.toThrow(/401/);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    service.events.emit('scan:finished', { scanId: 's', ok: true, snapshots: [], message: 'done' });
    await expect(got).resolves.toEqual({ event: 'scan:finished', payload: { scanId: 's', ok: true, snapshots: [], message: 'done' } });
    ws.close();
  });

  it('does not serve files outside the studio folder', async () => {
    const res = await fetch(`${server.url}..%2f..%2fetc%2fpasswd`);
    const text = await res.text();
    expect(text).not.toMatch(/root:/);
  });
});

/**
 * A valid input for every call, on the fixture workspace below. Typed so that a call added to the
 * contract without a row here is a compile error: every call's answer is checked in a test.
 */
const SAMPLE_INPUTS = (snapshots: Record<string, number>): { [K in CallName]: CallInput<K> } => ({
  'workspace:info': {},
  'sources:list': {},
  'sources:kinds': {},
  'sources:test': { name: 'lake' },
  'sources:save': { entry: { name: 'more-dumps', kind: 'kafka', region: 'cn-north-1', file: './missing.jsonl' } },
  'snapshots:list': {},
  'graph:overview': {},
  'graph:get': { limit: 100 },
  'graph:node': { urn: 'mysql://shop-db/shop/users#phone' },
  'graph:lineage': { urn: 'mysql://shop-db/shop/users#phone', direction: 'downstream', depth: 5 },
  'graph:search': { query: 'users' },
  'findings:list': {},
  'changes:list': {},
  'configs:versions': { urn: 'k8s://prod-cn/shop/ConfigMap/shop-config' },
  'diff:snapshots': { from: snapshots.shop1, to: snapshots.shop3 },
  'explain:get': { kind: 'ConfigMap' },
  'predict:forecast': { horizonHours: 72, limit: 10 },
  'scan:start': { sources: ['events'] },
  'scan:cancel': { scanId: 'no-such-scan' },
  'report:export': { lang: 'zh-CN' },
  'snapshots:export': { sources: ['shop-db'] },
  'access:field': { urn: 'mysql://shop-db/shop/users#phone' },
  'access:principal': { principal: 'ServiceAccount:shop/reporting' },
  'access:matrix': {},
  'coverage:get': {},
  'drift:unknowns': {},
});

/**
 * The answer parses with the call's output schema AND says nothing the schema does not name: zod
 * strips unknown keys, so a field a handler added without adding it to the contract (which the
 * studio is typed against) shows as a difference between the answer and its parse.
 */
function expectContractShape(name: CallName, value: unknown): void {
  const parsed = calls[name].output.safeParse(value);
  expect(parsed.success, `${name}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
  expect(JSON.parse(JSON.stringify(parsed.data)), `${name}: fields outside the contract`).toEqual(JSON.parse(JSON.stringify(value)));
}

describe('every call answers what the contract says', () => {
  it('on a workspace holding every kind of record, each call is ok and its output parses with its output schema', async () => {
    const ws = buildTestWorkspace(tmp.path('every-call.driftline'));
    // The drift findings whose one side is absent (what the drift analyzer writes for them).
    ws.store.findings.add({ type: 'drift', rule: 'drift.missing-live', urn: 'k8s://prod-cn/shop/NetworkPolicy/deny-egress', severity: 'high', confidence: 1, evidence: 'in git, not in the cluster', path: '', desired: { kind: 'NetworkPolicy' }, live: undefined }, 'drift');
    ws.store.findings.add({ type: 'drift', rule: 'drift.unmanaged-live', urn: 'k8s://prod-cn/shop/ConfigMap/extra', severity: 'medium', confidence: 1, evidence: 'in the cluster, not in git', path: '', desired: undefined, live: { kind: 'ConfigMap' } }, 'drift');
    const checked = new DriftlineService(ws.store, { checkOutputs: true, exportsDir: tmp.path('exports') });
    const inputs = SAMPLE_INPUTS(ws.snapshots);
    const finished = new Promise((resolve) => checked.events.on('scan:finished', resolve));
    for (const name of CALL_NAMES) {
      const result = await checked.dispatch(name, inputs[name]);
      expect(result, name).toMatchObject({ ok: true });
      // dispatch already checked it; check again here so this test fails even if that check were lost.
      expectContractShape(name, (result as { value: unknown }).value);
    }
    await expect(finished).resolves.toMatchObject({ ok: false });
    ws.store.close();
  });

  it('on the demo (connectors as process nodes, flows with every hop, PII verdicts with their basis), every read call answers what the contract says', async () => {
    const path = tmp.path('demo.driftline');
    await buildDemo(path, { quiet: true });
    const demo = Store.open(path, { readOnly: true });
    try {
      const checked = new DriftlineService(demo, { checkOutputs: true });
      const ask = async <K extends CallName>(name: K, input: CallInput<K>) => {
        const result = await checked.dispatch(name, input);
        expect(result, name).toMatchObject({ ok: true });
        const value = (result as { value: unknown }).value;
        expectContractShape(name, value);
        return value as CallOutput<K>;
      };
      // What #11 and #12 added must be in the answers, so the checks above cover them.
      const flows = await ask('findings:list', { type: 'flow' });
      const hops = flows.flatMap((f) => (f.finding.type === 'flow' ? f.finding.hops ?? [] : []));
      expect(hops.some((h) => h.masks?.length), 'a hop with its masks').toBe(true);
      const graph = await ask('graph:get', {});
      const connector = graph.nodes.find((n) => n.urn.startsWith('connect://'));
      expect(connector, 'a connector process node').toBeDefined();
      expect(graph.nodes.some((n) => n.pii?.some((t) => t.basis)), 'a PII tag with its basis').toBe(true);
      const through = await ask('graph:lineage', { urn: connector!.urn, direction: 'both', depth: 3 });
      expect(through.edges.some((e) => e.to === connector!.urn) && through.edges.some((e) => e.from === connector!.urn)).toBe(true);
      await ask('graph:node', { urn: connector!.urn });
      await ask('graph:search', { query: connector!.name });
      for (const f of flows.slice(0, 3)) await ask('graph:node', { urn: f.finding.urn });
      await ask('findings:list', {});
      await ask('graph:overview', {});
      await ask('workspace:info', {});
      await ask('sources:list', {});
      await ask('snapshots:list', {});
      await ask('changes:list', {});
      // #14: who reads each PII field, and every transfer path with its hops.
      const matrix = await ask('access:matrix', {});
      expect(matrix.length, 'the PII fields').toBeGreaterThan(0);
      // Right or explicitly unknown: every field names its readers or says why they are unknown.
      expect(matrix.filter((a) => a.readers.length === 0 && a.unknown.length === 0).map((a) => a.urn)).toEqual([]);
      await ask('access:field', { urn: matrix[0]!.urn });
      await ask('access:principal', { principal: matrix.flatMap((a) => a.readers)[0]?.principal ?? 'ServiceAccount:shop/reporting' });
      const coverage = await ask('coverage:get', {});
      expect(coverage.datasets.flatMap((d) => d.paths).some((p) => p.hops?.length), 'a transfer path with its hops').toBe(true);
    } finally {
      demo.close();
    }
  }, 120_000);

  it('turns an answer that breaks the contract into an INTERNAL error naming the call and the field', async () => {
    const broken = new DriftlineService(store, { checkOutputs: true });
    (broken.handlers as { 'graph:search': unknown })['graph:search'] = () => [{ urn: 'mysql://x/y', kind: 'column' }];
    const result = await broken.dispatch('graph:search', { query: 'abc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^graph:search: the answer does not match the contract \(0\.name/) } });
    const unchecked = new DriftlineService(store, { checkOutputs: false });
    (unchecked.handlers as { 'graph:search': unknown })['graph:search'] = () => [{ urn: 'mysql://x/y', kind: 'column' }];
    await expect(unchecked.dispatch('graph:search', { query: 'abc' })).resolves.toMatchObject({ ok: true });
  });

  it('checks event payloads too when outputs are checked', () => {
    const checked = new DriftlineService(store, { checkOutputs: true });
    expect(() => checked.events.emit('scan:finished', { scanId: 's', ok: true } as never)).toThrow(/event scan:finished: the payload does not match the contract/);
  });

  it('is checked in every test run and every process the tests spawn', () => {
    expect(process.env.DRIFTLINE_CHECK_OUTPUTS).toBe('1');
    expect(new DriftlineService(store).checkOutputs).toBe(true);
  });
});
