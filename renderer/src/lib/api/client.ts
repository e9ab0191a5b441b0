import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../../shared/core/api/contract';
import type { ErrorCode } from '../../../../shared/core/api/errors';
import type { Result } from '../../../../shared/core/api/result';
import type { DriftlineBridge } from '../../../../shared/core/api/bridge';

/**
 * The one API client of the studio. The same calls run over Electron IPC (the preload's
 * `window.driftline`) or over HTTP + WebSocket when the page is served by `driftline serve`;
 * nothing above this module can tell which.
 */

/** What the Electron preload exposes on `window.driftline`: the one type the preload implements. */
export type PreloadBridge = DriftlineBridge;

declare global {
  interface Window {
    driftline?: PreloadBridge;
  }
}

/** A failed call, with the contract's error code so the UI can react to it (e.g. WORKSPACE_READ_ONLY). */
export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ConnectionState = 'connected' | 'connecting' | 'offline';

/** A way to reach the service: request/response calls plus pushed events. */
export interface Transport {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
  onConnectionChange(cb: (state: ConnectionState) => void): () => void;
  /** Where the browser can download an export by name (HTTP only; under Electron the file is local). */
  exportUrl?(fileName: string): string;
}

export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    call: (name, input) => bridge.invoke(name, input),
    subscribe: (event, cb) => bridge.on(event, cb),
    // IPC has no connection to lose.
    onConnectionChange: (cb) => {
      cb('connected');
      return () => {};
    },
  };
}

const TOKEN_STORAGE_KEY = 'driftline.token';

/**
 * Reads the per-run token of `driftline serve` from `#token=…`, keeps it in sessionStorage (so a
 * reload still works) and removes it from the visible URL, where it would leak into screenshots,
 * screen shares and bookmarks.
 */
export function takeTokenFromLocation(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  history: Pick<History, 'replaceState' | 'state'>,
): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    storage.setItem(TOKEN_STORAGE_KEY, fromHash);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

export interface HttpTransportOptions {
  /** Origin + path of the served studio, e.g. http://127.0.0.1:4321/ */
  baseUrl: string;
  token: string | null;
  fetchImpl?: typeof fetch;
  webSocketImpl?: typeof WebSocket;
  /** Reconnect delays grow from `minDelayMs` to `maxDelayMs` (bounded exponential backoff). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  const WebSocketImpl = options.webSocketImpl ?? WebSocket;
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 15_000;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let state: ConnectionState = 'offline';

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const cb of connectionListeners) cb(next);
  };

  const hasSubscribers = () => [...listeners.values()].some((s) => s.size > 0);

  function connect(): void {
    if (socket || !options.token) return;
    setState('connecting');
    const wsUrl = new URL('api/events', options.baseUrl);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl.searchParams.set('token', options.token);
    const ws = new WebSocketImpl(wsUrl.toString());
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('connected');
    };
    ws.onmessage = (message: MessageEvent) => {
      let parsed: { event?: string; payload?: unknown };
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        return; // Not ours; the server only sends JSON.
      }
      if (!parsed.event) return;
      for (const cb of listeners.get(parsed.event) ?? []) cb(parsed.payload);
    };
    ws.onclose = () => {
      socket = null;
      setState('offline');
      scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows; reconnecting happens there.
    };
  }

  function scheduleReconnect(): void {
    if (reconnectTimer || !hasSubscribers()) return;
    // Full jitter keeps several tabs from reconnecting in lockstep after `serve` restarts.
    const ceiling = Math.min(maxDelay, minDelay * 2 ** attempt);
    const delay = Math.max(minDelay / 2, Math.random() * ceiling);
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  return {
    exportUrl: (fileName: string) => {
      const url = new URL(`api/exports/${encodeURIComponent(fileName)}`, options.baseUrl);
      if (options.token) url.searchParams.set('token', options.token);
      return url.toString();
    },
    async call(name, input) {
      let response: Response;
      try {
        response = await fetchImpl(new URL(`api/call/${encodeURIComponent(name)}`, options.baseUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return { ok: false, error: { code: 'SOURCE_UNREACHABLE', message: `the studio server does not answer (${(err as Error).message}); is "driftline serve" still running?` } };
      }
      try {
        return (await response.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: `the studio server answered ${response.status} without a JSON body` } };
      }
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      connect();
      return () => {
        set!.delete(cb);
        if (!hasSubscribers() && socket) {
          socket.onclose = null;
          socket.close();
          socket = null;
          setState('offline');
        }
      };
    },
    onConnectionChange(cb) {
      connectionListeners.add(cb);
      cb(state);
      return () => connectionListeners.delete(cb);
    },
  };
}

/** A typed client over any transport. */
export function createClient(transport: Transport) {
  return {
    async invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
      const result = await transport.call(name, input);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value as CallOutput<K>;
    },
    on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
      return transport.subscribe(event, cb as (payload: unknown) => void);
    },
    onConnectionChange: (cb: (state: ConnectionState) => void) => transport.onConnectionChange(cb),
    exportUrl: (fileName: string): string | undefined => transport.exportUrl?.(fileName),
  };
}

export type Client = ReturnType<typeof createClient>;

let defaultClient: Client | null = null;

/** The studio's client, created on first use from the environment it runs in. */
export function getClient(): Client {
  if (!defaultClient) {
    const transport = window.driftline
      ? createIpcTransport(window.driftline)
      : createHttpTransport({ baseUrl: new URL('./', location.href).toString(), token: takeTokenFromLocation(location, sessionStorage, history) });
    defaultClient = createClient(transport);
  }
  return defaultClient;
}

/** Calls the service; throws ApiError (with `.code`) when the Result is an error. */
export function invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  return getClient().invoke(name, input);
}

/** Subscribes to a service event; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
  return getClient().on(event, cb);
}

export function onConnectionChange(cb: (state: ConnectionState) => void): () => void {
  return getClient().onConnectionChange(cb);
}

/** The download URL of an export, or undefined where the file is already on this computer (Electron). */
export function exportUrl(fileName: string): string | undefined {
  return getClient().exportUrl(fileName);
}
