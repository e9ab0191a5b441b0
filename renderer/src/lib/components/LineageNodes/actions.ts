import { getContext, setContext } from 'svelte';
import type { SceneEdge, SceneNode } from '../../graph/scene';

/** What a node on the canvas can ask for; the canvas provides it to every node through context. */
export interface LineageActions {
  /** Expand or collapse a group or cluster. */
  toggle(node: Extract<SceneNode, { type: 'group' | 'cluster' }>): void;
  /** Select a node (details panel). */
  select(node: SceneNode): void;
  /** Select a column/field row: its lineage is drawn row to row. */
  selectRow(urn: string): void;
  /** Open or close a card's folded rows. */
  toggleFold(cardId: string): void;
  /** Select the edges routed through a label. */
  selectEdges(edges: SceneEdge[]): void;
  /** Is this node or row selected now? */
  isSelected(id: string): boolean;
}

const KEY = Symbol('lineage-actions');
export const provideLineageActions = (actions: LineageActions): void => void setContext(KEY, actions);
export const lineageActions = (): LineageActions => getContext<LineageActions>(KEY);
