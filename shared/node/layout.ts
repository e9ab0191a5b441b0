import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkLike } from '../core/layout/layout.js';

let elk: ElkLike | undefined;

/** The Node-side ELK (bundled, same thread) for the CLI and the PDF report. */
export function nodeElk(): ElkLike {
  elk ??= new ELK() as unknown as ElkLike;
  return elk;
}
