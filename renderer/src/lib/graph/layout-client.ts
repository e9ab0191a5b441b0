import type { LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { LayoutInputEdge, LayoutInputNode, LayoutResult } from '../../../../shared/core/layout/layout';
import type { LayoutRequest, LayoutResponse } from '../../workers/layout.worker';

/**
 * Talks to the layout worker. One worker for the page; a newer request supersedes older ones the
 * caller no longer wants (the caller ignores stale answers by comparing request ids).
 */
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: LayoutResult & { ms: number }) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module', name: 'driftline-layout' });
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      const answer = event.data;
      const waiter = pending.get(answer.id);
      if (!waiter) return;
      pending.delete(answer.id);
      if (answer.ok) waiter.resolve({ ...answer.result, ms: answer.ms });
      else waiter.reject(new Error(answer.message));
    };
    worker.onerror = (event) => {
      // A crashed worker (e.g. stack overflow in ELK) fails every waiter; the next call starts a new one.
      for (const w of pending.values()) w.reject(new Error(event.message || 'the layout worker stopped'));
      pending.clear();
      worker?.terminate();
      worker = null;
    };
  }
  return worker;
}

/** Lays out nodes and edges in the worker; resolves with positions and the time ELK took. */
export function layoutInWorker(nodes: LayoutInputNode[], edges: LayoutInputEdge[], options?: LayoutOptions): Promise<LayoutResult & { ms: number }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, nodes, edges, options } satisfies LayoutRequest);
  });
}
