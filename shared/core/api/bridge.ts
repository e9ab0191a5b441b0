import type { Result } from './result.js';

/**
 * What the Electron preload exposes on `window.driftline`, and the one type both sides use: the
 * preload implements it, the studio's API client calls it. Channels are the contract's call and
 * event names; the preload refuses any other before anything reaches the main process.
 */
export interface DriftlineBridge {
  /** A contract call; always answers with a Result (errors as values), never rejects for a bad call. */
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to a contract event; returns the unsubscribe function. Throws for an unknown event. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}
