import { invoke } from '../api/client';
import type { CallOutput } from '../../../../shared/core/api/contract';
import type { Graph } from '../../../../shared/core/model/graph';
import { groupKeyOf, groupLabel } from '../../../../shared/core/model/groups';
import { layoutInWorker } from '../graph/layout-client';
import {
  buildFocusGraph, buildOverviewGraph, EMPTY_FILTERS, filterOptions, MAX_VISIBLE_NODES, nodeLabel,
  type LineageFilters, type Overview, type VisibleEdge, type VisibleGraph,
} from '../graph/visible-graph';
import { i18n } from './i18n-manager.svelte';

export type NodeDetail = CallOutput<'graph:node'>;
export type Direction = 'upstream' | 'downstream' | 'both';

export interface FocusState {
  urn: string;
  name: string;
  direction: Direction;
  depth: number;
  graph: Graph;
  aggregated: boolean;
}

export type Selection =
  | { type: 'node'; urn: string; detail: NodeDetail | null; error?: string }
  | { type: 'group'; key: string }
  | { type: 'edge'; edge: VisibleEdge };

export interface Positions {
  byId: Map<string, { x: number; y: number }>;
  /** Increases with every finished layout, so the canvas knows when to fit the view. */
  version: number;
}

export type LayoutState = 'idle' | 'running' | 'ready' | 'error';

/**
 * The lineage view's state: the aggregated overview, expanded groups, the focused lineage of one
 * node, filters, selection, and the positions computed by the layout worker. Visible nodes are
 * capped at MAX_VISIBLE_NODES: an expansion past the budget loads only what fits.
 */
class GraphManager {
  overview = $state.raw<Overview | null>(null);
  expanded = $state.raw<ReadonlyMap<string, Graph>>(new Map());
  filters = $state<LineageFilters>({ ...EMPTY_FILTERS });
  focus = $state.raw<FocusState | null>(null);
  selection = $state.raw<Selection | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  layoutState = $state<LayoutState>('idle');
  layoutError = $state<string | null>(null);
  layoutMs = $state(0);
  positions = $state.raw<Positions>({ byId: new Map(), version: 0 });
  /** A node the canvas should bring into view after the next layout. */
  centerOn = $state.raw<{ id: string; seq: number } | null>(null);
  /** The graph that was laid out last; drawn together with `positions`. */
  laidOut = $state.raw<VisibleGraph>({ nodes: [], edges: [] });
  #layoutSeq = 0;
  #centerSeq = 0;

  visible = $derived.by<VisibleGraph & { aggregated?: boolean }>(() => {
    if (this.focus) return buildFocusGraph(this.focus.graph, $state.snapshot(this.filters), this.focus.urn);
    if (!this.overview) return { nodes: [], edges: [] };
    return buildOverviewGraph(this.overview, this.expanded, $state.snapshot(this.filters));
  });

  options = $derived(filterOptions(this.overview, this.expanded));

  async load(force = false): Promise<void> {
    if (this.overview && !force) return;
    this.loading = true;
    try {
      this.overview = await invoke('graph:overview', {});
      this.error = null;
      if (force) {
        // Re-fetch what was open so a new scan's nodes show up in place.
        const keys = [...this.expanded.keys()];
        this.expanded = new Map();
        for (const key of keys) await this.expand(key, { relayout: false });
      }
      await this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  /** Nodes drawn now; the budget left for expanding another group. */
  get visibleCount(): number {
    return this.visible.nodes.length;
  }

  async expand(key: string, { relayout = true } = {}): Promise<void> {
    if (this.expanded.has(key)) return;
    const group = this.overview?.groups.find((g) => g.key === key);
    const budget = Math.max(0, MAX_VISIBLE_NODES - this.visibleCount);
    if (budget < 2) {
      this.notice = i18n.t('lineage.budget', { count: this.visibleCount + (group?.count ?? 0) });
      return;
    }
    try {
      const graph = await invoke('graph:get', { group: key, limit: budget });
      if (graph.truncated) this.notice = i18n.t('lineage.tooBig', { name: groupLabel(key), count: group?.count ?? graph.nodes.length, shown: graph.nodes.length });
      const next = new Map(this.expanded);
      next.set(key, graph);
      this.expanded = next;
      if (relayout) {
        await this.relayout();
        // Bring the group the auditor just opened into view, not the whole (now bigger) graph.
        if (graph.nodes.length > 40) this.#requestCenter(`group:${key}`);
      }
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async collapse(key: string): Promise<void> {
    if (!this.expanded.has(key)) return;
    const next = new Map(this.expanded);
    next.delete(key);
    this.expanded = next;
    if (this.selection?.type === 'node' && groupKeyOf(this.selection.urn) === key) this.selection = null;
    await this.relayout();
  }

  async toggleGroup(key: string): Promise<void> {
    if (this.expanded.has(key)) await this.collapse(key);
    else await this.expand(key);
  }

  async collapseAll(): Promise<void> {
    this.expanded = new Map();
    this.notice = null;
    await this.relayout();
  }

  /** Shows only the upstream/downstream closure of one node, N hops deep. */
  async focusOn(urn: string, direction: Direction = 'both', depth = 3): Promise<void> {
    try {
      const graph = await invoke('graph:lineage', { urn, direction, depth });
      const node = graph.nodes.find((n) => n.urn === urn);
      const built = buildFocusGraph(graph, EMPTY_FILTERS, urn);
      this.focus = { urn, name: node ? nodeLabel(node) : urn, direction, depth, graph, aggregated: built.aggregated };
      this.notice = built.aggregated ? i18n.t('lineage.aggregated', { count: graph.nodes.length }) : null;
      // The whole closure is what the auditor asked for: fit it, rather than center on the start node.
      this.centerOn = null;
      await this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async leaveFocus(): Promise<void> {
    this.focus = null;
    this.notice = null;
    await this.relayout();
  }

  async select(selection: Selection | null): Promise<void> {
    this.selection = selection;
    if (selection?.type !== 'node') return;
    try {
      const detail = await invoke('graph:node', { urn: selection.urn });
      if (this.selection === selection) this.selection = { ...selection, detail };
    } catch (err) {
      if (this.selection === selection) this.selection = { ...selection, error: (err as Error).message };
    }
  }

  /**
   * Brings a node on screen (from search or a finding): expands its group when it fits the
   * budget, otherwise shows its lineage; then selects it and centers the view on it.
   */
  async jumpTo(urn: string): Promise<void> {
    await this.load();
    let detail: NodeDetail;
    try {
      detail = await invoke('graph:node', { urn });
    } catch {
      this.notice = i18n.t('lineage.notInGraph', { urn });
      return;
    }
    const key = groupKeyOf(urn);
    const group = this.overview?.groups.find((g) => g.key === key);
    if (!this.focus && group && !this.expanded.has(key) && group.count <= MAX_VISIBLE_NODES - this.visibleCount) {
      await this.expand(key);
    }
    const drawn = this.visible.nodes.some((n) => n.id === urn);
    if (!drawn) await this.focusOn(urn, 'both', 2);
    this.selection = { type: 'node', urn, detail };
    this.#requestCenter(urn);
  }

  setFilters(patch: Partial<LineageFilters>): void {
    this.filters = { ...this.filters, ...patch };
    void this.relayout();
  }

  clearFilters(): void {
    this.filters = { ...EMPTY_FILTERS };
    void this.relayout();
  }

  #requestCenter(id: string): void {
    this.centerOn = { id, seq: ++this.#centerSeq };
  }

  /** Lays out what is visible now in the worker; answers to superseded requests are dropped. */
  async relayout(): Promise<void> {
    const graph = this.visible;
    const seq = ++this.#layoutSeq;
    if (graph.nodes.length === 0) {
      this.laidOut = graph;
      this.positions = { byId: new Map(), version: this.positions.version + 1 };
      this.layoutState = 'ready';
      return;
    }
    this.layoutState = 'running';
    try {
      const result = await layoutInWorker(
        graph.nodes.map((n) => ({ id: n.id, label: n.label, width: n.width, height: n.height })),
        graph.edges.map((e) => ({ id: e.id, from: e.from, to: e.to })),
        // Edges between groups carry "kind · count" labels (11px, ~6.2px a character): give the
        // layers room for the longest one, so labels never cover the edge they name.
        { 'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.round(Math.max(70, ...graph.edges.filter((e) => e.count > 1).map((e) => `${e.kind} · ${e.count}`.length * 6.2 + 44)))), 'elk.spacing.nodeNode': '20' },
      );
      if (seq !== this.#layoutSeq) return;
      this.laidOut = graph;
      this.positions = { byId: new Map(result.nodes.map((n) => [n.id, { x: n.x, y: n.y }])), version: this.positions.version + 1 };
      this.layoutMs = result.ms;
      this.layoutState = 'ready';
      this.layoutError = null;
    } catch (err) {
      if (seq !== this.#layoutSeq) return;
      this.layoutState = 'error';
      this.layoutError = (err as Error).message;
    }
  }
}

export const graph = new GraphManager();
