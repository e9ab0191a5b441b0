import { untrack } from 'svelte';
import { invoke } from '../api/client';
import type { CallOutput } from '../../../../shared/core/api/contract';
import type { Graph, GraphEdge } from '../../../../shared/core/model/graph';
import type { Finding, StoredFinding } from '../../../../shared/core/model/finding';
import { groupKeyOf } from '../../../../shared/core/model/groups';
import { datasetOf, flowSteps, type FlowStep } from '../../../../shared/core/lineage/hops';
import {
  EMPTY_FILTERS, FULL_DETAIL, buildCardScene, buildOverviewScene, filterOptions, filtersReachInside, nodeName,
  type Detail, type LineageFilters, type Measure, type Overview, type Scene, type SceneEdge, type SceneNode,
} from '../graph/scene';
import { fitZoom, layoutScene, type SceneLayout } from '../graph/scene-layout';
import { impactList, type ImpactRow } from '../graph/impact';
import { CONTROLS_GUTTER, FIT_PADDING, LEGIBLE_ZOOM, MAX_FIT_ZOOM, chooseDetail } from '../graph/legibility';

export { CONTROLS_GUTTER, FIT_PADDING, LEGIBLE_ZOOM, MAX_FIT_ZOOM };
import { i18n } from './i18n-manager.svelte';

export type NodeDetail = CallOutput<'graph:node'>;
export type Direction = 'upstream' | 'downstream' | 'both';
type FlowFinding = Extract<Finding, { type: 'flow' }>;


export interface FocusState {
  urn: string;
  name: string;
  direction: Direction;
  depth: number;
  graph: Graph;
}

export interface FlowState {
  finding: FlowFinding;
  id: number;
  graph: Graph;
  steps: FlowStep[];
}

export type Selection =
  | { type: 'node'; urn: string; detail: NodeDetail | null; error?: string }
  | { type: 'group'; key: string }
  | { type: 'more'; node: Extract<SceneNode, { type: 'more' }> }
  | { type: 'edge'; edges: SceneEdge[] };

/** Text widths with the canvas's real fonts (a 2D context), so boxes fit their labels exactly. */
function canvasMeasure(): Measure | undefined {
  if (typeof document === 'undefined') return undefined;
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return undefined;
  const family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
  const fonts = { title: `600 14px ${family}`, meta: `400 12px ${family}`, row: `400 12.5px ${family}`, badge: `600 12px ${family}`, label: `500 12px ${family}` };
  const cache = new Map<string, number>();
  return (text, role) => {
    const key = `${role}\u0000${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = fonts[role];
      // A few pixels more than measured: sub-pixel rendering and font fallback may differ by that.
      w = Math.ceil(ctx.measureText(text).width) + 2;
      cache.set(key, w);
    }
    return w;
  };
}

/**
 * The lineage view's state: the overview (groups, or clusters of groups for a big workspace),
 * what the auditor opened, the focused lineage of one node or one flow finding's path, filters,
 * selection, and the laid-out scene. Layout runs here, synchronously (shared/core/layout/layered),
 * so the overview paints as soon as the store answers: no worker to warm up first.
 */
class GraphManager {
  overview = $state.raw<Overview | null>(null);
  /** Groups the auditor opened, with their nodes and boundary edges. */
  expanded = $state.raw<ReadonlyMap<string, Graph>>(new Map());
  /** Groups opened because a filter reaches inside them (an entity, a field kind). */
  filterExpanded = $state.raw<ReadonlyMap<string, Graph>>(new Map());
  expandedClusters = $state.raw<ReadonlySet<string>>(new Set());
  clusterMode = $state(false);
  unfolded = $state.raw<ReadonlySet<string>>(new Set());
  filters = $state<LineageFilters>({ ...EMPTY_FILTERS });
  focus = $state.raw<FocusState | null>(null);
  flow = $state.raw<FlowState | null>(null);
  /** The column whose lineage is drawn row to row. */
  selectedRow = $state.raw<{ urn: string; graph: Graph } | null>(null);
  selection = $state.raw<Selection | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** PII entities per group (from PII findings), for the entity filter on collapsed groups. */
  groupEntities = $state.raw<ReadonlyMap<string, ReadonlySet<string>>>(new Map());

  scene = $state.raw<Scene>({ nodes: [], edges: [] });
  layout = $state.raw<SceneLayout | null>(null);
  /** Increases with every new layout: the canvas fits the view on it. */
  layoutVersion = $state(0);
  detail = $state.raw<Detail>(FULL_DETAIL);
  /** The zoom the last layout fits at (≥ LEGIBLE_ZOOM unless nothing less can be shown). */
  fitZoom = $state(1);
  layoutMs = $state(0);
  canvas = $state.raw<{ width: number; height: number }>({ width: 1100, height: 640 });
  /** A node the canvas should bring into view after the next layout. */
  centerOn = $state.raw<{ id: string; seq: number } | null>(null);

  #measure: Measure | undefined;
  #order = new Map<string, Map<string, ReadonlyMap<string, number>>>();
  #centerSeq = 0;
  #loadSeq = 0;

  options = $derived(filterOptions(this.overview, this.expanded));

  /** Which picture is shown: the overview, one node's lineage, or one flow's path. */
  get mode(): 'overview' | 'focus' | 'flow' {
    return this.flow ? 'flow' : this.focus ? 'focus' : 'overview';
  }

  /** The impact list beside a focused lineage: what lies downstream, by hops. */
  get impact(): ImpactRow[] {
    if (!this.focus || this.focus.direction === 'upstream') return [];
    return impactList(this.focus.graph, this.focus.urn);
  }

  async load(force = false): Promise<void> {
    if (this.overview && !force) return;
    const seq = ++this.#loadSeq;
    this.loading = true;
    try {
      const overview = await invoke('graph:overview', {});
      if (seq !== this.#loadSeq) return;
      this.overview = overview;
      this.error = null;
      if (force) {
        // Re-fetch what was open so a new scan's nodes show up in place.
        const keys = [...this.expanded.keys()];
        const next = new Map<string, Graph>();
        for (const key of keys) if (overview.groups.some((g) => g.key === key)) next.set(key, await this.#fetchGroup(key));
        this.expanded = next;
      }
      this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  /** Tells the manager which PII entities each group holds (PII findings, loaded by the view). */
  setPiiFindings(list: readonly StoredFinding[]): void {
    const map = new Map<string, Set<string>>();
    for (const { finding } of list) {
      if (finding.type !== 'pii') continue;
      try {
        const key = groupKeyOf(finding.urn);
        map.set(key, (map.get(key) ?? new Set()).add(finding.entity));
      } catch {
        // A finding on a URN we cannot group: it cannot narrow a group filter either.
      }
    }
    this.groupEntities = map;
  }

  setCanvas(width: number, height: number): void {
    untrack(() => this.#setCanvas(width, height));
  }

  #setCanvas(width: number, height: number): void {
    if (width < 50 || height < 50) return;
    if (Math.abs(width - this.canvas.width) < 8 && Math.abs(height - this.canvas.height) < 8) return;
    this.canvas = { width, height };
    if (this.overview) this.relayout();
  }

  async #fetchGroup(key: string): Promise<Graph> {
    return invoke('graph:get', { group: key, boundary: true, limit: 5000 });
  }

  async toggleGroup(key: string): Promise<void> {
    if (this.expanded.has(key)) {
      const next = new Map(this.expanded);
      next.delete(key);
      this.expanded = next;
      if (this.selection?.type === 'node' && groupKeyOf(this.selection.urn) === key) this.selection = null;
      this.relayout();
      return;
    }
    try {
      const graph = await this.#fetchGroup(key);
      if (graph.truncated) this.notice = i18n.t('lineage.tooBig', { name: key, count: graph.nodes.length, shown: graph.nodes.length });
      const next = new Map(this.expanded);
      next.set(key, graph);
      this.expanded = next;
      this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  toggleCluster(key: string): void {
    const next = new Set(this.expandedClusters);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.expandedClusters = next;
    this.relayout();
  }

  /** Opens or closes the folded rows of a card. */
  toggleFold(cardId: string): void {
    const next = new Set(this.unfolded);
    if (next.has(cardId)) next.delete(cardId);
    else next.add(cardId);
    this.unfolded = next;
    this.relayout();
  }

  collapseAll(): void {
    this.expanded = new Map();
    this.expandedClusters = new Set();
    this.unfolded = new Set();
    this.selectedRow = null;
    this.notice = null;
    this.relayout();
  }

  /** Selects a column: its lineage is drawn row to row, its details open in the panel. */
  async selectRow(urn: string | null): Promise<void> {
    if (!urn || this.selectedRow?.urn === urn) {
      this.selectedRow = null;
      this.relayout();
      if (urn) void this.select({ type: 'node', urn, detail: null });
      return;
    }
    void this.select({ type: 'node', urn, detail: null });
    try {
      const graph = await invoke('graph:lineage', { urn, direction: 'both', depth: 10 });
      this.selectedRow = { urn, graph };
      this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Shows only the upstream/downstream closure of one node, N hops deep. */
  async focusOn(urn: string, direction: Direction = 'both', depth = 3): Promise<void> {
    try {
      const graph = await invoke('graph:lineage', { urn, direction, depth });
      const node = graph.nodes.find((n) => n.urn === urn);
      this.flow = null;
      this.focus = { urn, name: node ? nodeName(node) : urn, direction, depth, graph };
      this.notice = graph.truncated ? i18n.t('lineage.aggregated', { count: graph.nodes.length }) : null;
      this.centerOn = null;
      this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Shows one flow finding's path: origin → every hop → destination, nothing else. */
  async openFlow(stored: StoredFinding): Promise<void> {
    const finding = stored.finding;
    if (finding.type !== 'flow') return;
    await this.load();
    try {
      const path = finding.path.length >= 2 ? finding.path : [finding.from, finding.to];
      const closure = await invoke('graph:lineage', { urn: finding.from, direction: 'downstream', depth: Math.min(100, 3 * path.length + 2) });
      const onPath = new Set(path);
      const nodes = closure.nodes.filter((n) => onPath.has(datasetOf(n.urn)));
      const kept = new Set(nodes.map((n) => n.urn));
      const edges = closure.edges.filter((e) => kept.has(e.from) && kept.has(e.to));
      const graph: Graph = { nodes, edges, truncated: closure.truncated };
      this.focus = null;
      this.flow = { finding, id: stored.id, graph, steps: flowSteps(finding, graph) };
      this.selection = null;
      this.notice = null;
      this.relayout();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  leaveFocus(): void {
    this.focus = null;
    this.flow = null;
    this.notice = null;
    this.relayout();
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
   * Brings a node on screen (from search or a finding): opens its group in place when it is in
   * the overview, otherwise shows its lineage; then selects it and centres the view on it.
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
    let key: string | undefined;
    try {
      key = groupKeyOf(urn);
    } catch {
      key = undefined;
    }
    this.focus = null;
    this.flow = null;
    const group = key ? this.overview?.groups.find((g) => g.key === key) : undefined;
    if (group && key && !this.expanded.has(key)) {
      const cluster = this.#clusterOf(group);
      if (cluster && !this.expandedClusters.has(cluster)) this.expandedClusters = new Set([...this.expandedClusters, cluster]);
      await this.toggleGroup(key);
    }
    if (urn.includes('#')) {
      // A column opens as if its row were clicked: the row stays drawn and its lineage runs row to row.
      this.unfolded = new Set([...this.unfolded, datasetOf(urn)]);
      try {
        this.selectedRow = { urn, graph: await invoke('graph:lineage', { urn, direction: 'both', depth: 10 }) };
      } catch {
        this.selectedRow = null;
      }
    }
    this.relayout();
    if (!this.scene.nodes.some((n) => n.id === datasetOf(urn) || n.id === urn)) await this.focusOn(urn, 'both', 2);
    this.selection = { type: 'node', urn, detail };
    this.#requestCenter(this.scene.nodes.some((n) => n.id === urn) ? urn : datasetOf(urn));
  }

  #clusterOf(group: Overview['groups'][number]): string | undefined {
    if (!this.clusterMode || !this.overview) return undefined;
    const key = `${group.kind}|${group.region ?? ''}`;
    const members = this.overview.groups.filter((g) => `${g.kind}|${g.region ?? ''}` === key);
    return members.length > 1 ? key : undefined;
  }

  setFilters(patch: Partial<LineageFilters>): void {
    this.filters = { ...this.filters, ...patch };
    void this.#applyFilterExpansion();
  }

  clearFilters(): void {
    this.filters = { ...EMPTY_FILTERS };
    void this.#applyFilterExpansion();
  }

  /** A filter that reaches inside groups opens the groups that pass it, so what matches is visible. */
  async #applyFilterExpansion(): Promise<void> {
    const f = $state.snapshot(this.filters) as LineageFilters;
    if (!filtersReachInside(f) || !this.overview) {
      this.filterExpanded = new Map();
      this.relayout();
      return;
    }
    const scene = buildOverviewScene({ ...this.#overviewInput(FULL_DETAIL), expanded: new Map(), expandedClusters: new Set(), clusterMode: false });
    const keys = scene.nodes.filter((n): n is Extract<SceneNode, { type: 'group' }> => n.type === 'group').map((n) => n.key).slice(0, 12);
    const next = new Map<string, Graph>();
    for (const key of keys) next.set(key, this.expanded.get(key) ?? this.filterExpanded.get(key) ?? (await this.#fetchGroup(key)));
    this.filterExpanded = next;
    this.relayout();
  }

  #requestCenter(id: string): void {
    this.centerOn = { id, seq: ++this.#centerSeq };
  }

  #overviewInput(detail: Detail) {
    const expanded = new Map([...this.filterExpanded, ...this.expanded]);
    const keep = new Set<string>();
    if (this.selectedRow) keep.add(this.selectedRow.urn);
    return {
      overview: this.overview!,
      expanded,
      clusterMode: this.clusterMode,
      expandedClusters: this.expandedClusters,
      filters: $state.snapshot(this.filters) as LineageFilters,
      groupEntities: this.groupEntities,
      detail,
      unfolded: this.unfolded,
      keepRows: keep,
      rowEdgesFor: this.selectedRow ? { urns: new Set([this.selectedRow.urn, ...this.selectedRow.graph.nodes.map((n) => n.urn)]), edges: this.selectedRow.graph.edges } : undefined,
      lang: i18n.locale,
      measure: this.#measure,
    };
  }

  #buildScene(detail: Detail): Scene {
    const lang = i18n.locale;
    if (this.flow) {
      const f = this.flow.finding;
      // The flow's fields: those on its path holding one of its entities, and where they land.
      const keep = new Set(this.flow.graph.nodes.filter((n) => n.urn.includes('#') && (n.pii ?? []).some((p) => f.entities.includes(p.entity))).map((n) => n.urn));
      const graph = { ...this.flow.graph, edges: this.flow.graph.edges.filter((e) => e.kind !== 'same-values' || keep.has(e.from)) };
      return buildCardScene({ graph, detail: { ...detail, rows: detail.rows === 'all' ? 'pii' : detail.rows }, unfolded: this.unfolded, keepRows: keep, lang, measure: this.#measure });
    }
    if (this.focus) {
      const keep = new Set<string>(this.focus.urn.includes('#') ? [this.focus.urn] : []);
      const fields = this.focus.graph.nodes.filter((n) => n.urn.includes('#')).length;
      return buildCardScene({ graph: this.focus.graph, filters: $state.snapshot(this.filters) as LineageFilters, detail, unfolded: this.unfolded, keepRows: keep, allRowEdges: fields <= 80, lang, measure: this.#measure });
    }
    return buildOverviewScene(this.#overviewInput(detail));
  }

  /**
   * Builds and lays out what is visible now, lowering detail until it fits the canvas at a
   * legible zoom. Runs in a few milliseconds for hundreds of boxes.
   */
  relayout(): void {
    // Called from effects (language, canvas size): what it reads must not make them re-run.
    untrack(() => this.#relayout());
  }

  #relayout(): void {
    if (!this.overview && !this.focus && !this.flow) return;
    this.#measure ??= canvasMeasure();
    const started = performance.now();
    const modeKey = this.flow ? `flow:${this.flow.id}` : this.focus ? `focus:${this.focus.urn}:${this.focus.direction}:${this.focus.depth}` : 'overview';
    // The zoom buttons keep a strip at the left: what is fitted must not sit under them.
    const canvas = { width: this.canvas.width - CONTROLS_GUTTER, height: this.canvas.height };
    const keepOrder = this.#order.get(modeKey);
    const attempt = (detail: Detail) => {
      const scene = this.#buildScene(detail);
      const layout = layoutScene(scene, { lang: i18n.locale, measure: this.#measure, keepOrder });
      return { scene, layout, zoom: Math.min(MAX_FIT_ZOOM, fitZoom(layout, canvas, FIT_PADDING)) };
    };
    // A workspace whose groups alone do not fit is shown by cluster (kind and region) from the start.
    if (!this.flow && !this.focus && !this.clusterMode && this.expanded.size === 0 && this.filterExpanded.size === 0) {
      const groupsOnly = attempt(FULL_DETAIL);
      if (groupsOnly.zoom < LEGIBLE_ZOOM) this.clusterMode = true;
    }
    const chosen = chooseDetail(attempt);
    this.scene = chosen.scene;
    this.layout = chosen.layout;
    this.detail = chosen.detail;
    this.fitZoom = chosen.zoom;
    const orders = new Map<string, ReadonlyMap<string, number>>(keepOrder ?? []);
    for (const [k, v] of chosen.layout.order) orders.set(k, new Map([...(orders.get(k) ?? []), ...v]));
    this.#order.set(modeKey, orders);
    this.layoutMs = performance.now() - started;
    this.layoutVersion++;
  }

  /** The node-level edges behind a drawn edge between two nodes (for the panel). */
  edgesBetween(edge: SceneEdge): GraphEdge[] {
    return edge.sources;
  }
}

export const graph = new GraphManager();
