import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, createHttpTransport, createIpcTransport, takeTokenFromLocation, type PreloadBridge } from './client';

/** A WebSocket double that records instances, so reconnects can be driven by the test. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  close() {
    this.closed = true;
  }
}

describe('takeTokenFromLocation', () => {
  it('takes the token from the fragment, stores it and removes it from the visible URL', () => {
    const storage = new Map<string, string>();
    const replaceState = vi.fn();
    const token = takeTokenFromLocation(
      { hash: '#token=abc123&view=findings', pathname: '/', search: '' },
      { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      { replaceState, state: null },
    );
    expect(token).toBe('abc123');
    expect([...storage.values()]).toEqual(['abc123']);
    expect(replaceState).toHaveBeenCalledWith(null, '', '/#view=findings');
  });

  it('falls back to the stored token after a reload (fragment already cleaned)', () => {
    const replaceState = vi.fn();
    const token = takeTokenFromLocation({ hash: '', pathname: '/', search: '' }, { getItem: () => 'kept', setItem: () => {} }, { replaceState, state: null });
    expect(token).toBe('kept');
    expect(replaceState).not.toHaveBeenCalled();
  });
});

describe('HTTP transport', () => {
  it('POSTs /api/call/<name> with the bearer token and unwraps the Result', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: [{ name: 'shop-db' }] })));
    const client = createClient(createHttpTransport({ baseUrl: 'http://127.0.0.1:4000/', token: 't0k', fetchImpl: fetchImpl as unknown as typeof fetch, webSocketImpl: FakeSocket as unknown as typeof WebSocket }));
    await expect(client.invoke('sources:list', {})).resolves.toEqual([{ name: 'shop-db' }]);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [URL, RequestInit];
    expect(String(url)).toBe('http://127.0.0.1:4000/api/call/sources%3Alist');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer t0k');
    expect(init.method).toBe('POST');
  });

  it('throws an ApiError carrying the contract error code', async () => {
    const fetchImpl = async () => new Response(JSON.stringify({ ok: false, error: { code: 'WORKSPACE_READ_ONLY', message: 'sealed' } }));
    const client = createClient(createHttpTransport({ baseUrl: 'http://127.0.0.1:4000/', token: 't', fetchImpl: fetchImpl as typeof fetch, webSocketImpl: FakeSocket as unknown as typeof WebSocket }));
    const err = await client.invoke('scan:start', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WORKSPACE_READ_ONLY');
    expect((err as ApiError).message).toBe('sealed');
  });

  it('turns a dead server into a SOURCE_UNREACHABLE error that says what to check', async () => {
    const fetchImpl = async () => { throw new TypeError('Failed to fetch'); };
    const client = createClient(createHttpTransport({ baseUrl: 'http://127.0.0.1:4000/', token: 't', fetchImpl: fetchImpl as typeof fetch, webSocketImpl: FakeSocket as unknown as typeof WebSocket }));
    await expect(client.invoke('workspace:info', {})).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE', message: expect.stringContaining('driftline serve') });
  });

  it('delivers events from the WebSocket and reconnects with bounded backoff', async () => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:4000/', token: 'tk', webSocketImpl: FakeSocket as unknown as typeof WebSocket, minDelayMs: 100, maxDelayMs: 800 });
    const states: string[] = [];
    transport.onConnectionChange((s) => states.push(s));
    const got: unknown[] = [];
    const off = createClient(transport).on('scan:finished', (p) => got.push(p));
    expect(FakeSocket.instances).toHaveLength(1);
    expect(FakeSocket.instances[0].url).toBe('ws://127.0.0.1:4000/api/events?token=tk');
    FakeSocket.instances[0].onopen!();
    FakeSocket.instances[0].onmessage!({ data: JSON.stringify({ event: 'scan:finished', payload: { scanId: 's', ok: true, snapshots: [], message: 'done' } }) });
    FakeSocket.instances[0].onmessage!({ data: JSON.stringify({ event: 'scan:progress', payload: {} }) });
    expect(got).toEqual([{ scanId: 's', ok: true, snapshots: [], message: 'done' }]);

    // Ten drops in a row: every retry waits at most maxDelayMs.
    for (let i = 0; i < 10; i++) {
      FakeSocket.instances.at(-1)!.onclose!();
      vi.advanceTimersByTime(800);
      expect(FakeSocket.instances).toHaveLength(i + 2);
    }
    expect(states).toContain('connected');
    expect(states.at(-1)).toBe('connecting');
    off();
    expect(FakeSocket.instances.at(-1)!.closed).toBe(true);
    vi.useRealTimers();
  });
});

describe('IPC transport', () => {
  it('uses the preload bridge for calls and events', async () => {
    const bridge: PreloadBridge = {
      invoke: vi.fn(async () => ({ ok: true as const, value: { scanId: 'x' } })),
      on: vi.fn(() => () => {}),
    };
    const client = createClient(createIpcTransport(bridge));
    await expect(client.invoke('scan:start', { sources: ['a'] })).resolves.toEqual({ scanId: 'x' });
    expect(bridge.invoke).toHaveBeenCalledWith('scan:start', { sources: ['a'] });
    client.on('scan:progress', () => {});
    expect(bridge.on).toHaveBeenCalledWith('scan:progress', expect.any(Function));
  });
});
