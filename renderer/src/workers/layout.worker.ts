/// <reference lib="webworker" />
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutOptions } from 'elkjs/lib/elk-api.js';
import { layoutNodes, type LayoutInputEdge, type LayoutInputNode, type LayoutResult } from '../../../shared/core/layout/layout';

/**
 * The elkjs layout, off the UI thread: ELK takes seconds on a thousand nodes and would freeze the
 * studio. The same `layoutNodes` as the CLI and the PDF report, so every diagram matches.
 */
export interface LayoutRequest {
  id: number;
  nodes: LayoutInputNode[];
  edges: LayoutInputEdge[];
  /** Overrides of LINEAGE_LAYOUT_OPTIONS (e.g. wider layers when edges carry labels). */
  options?: LayoutOptions;
}
export type LayoutResponse = { id: number; ok: true; result: LayoutResult; ms: number } | { id: number; ok: false; message: string };

const elk = new ELK();
const scope = self as unknown as DedicatedWorkerGlobalScope;

// elk.bundled.js installs its own `self.onmessage` when it finds itself in a worker; ours
// replaces it, and ELK keeps working through its in-thread fake worker.
scope.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, nodes, edges, options } = event.data;
  const started = performance.now();
  try {
    const result = await layoutNodes(elk, nodes, edges, options);
    scope.postMessage({ id, ok: true, result, ms: performance.now() - started } satisfies LayoutResponse);
  } catch (err) {
    scope.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies LayoutResponse);
  }
};
