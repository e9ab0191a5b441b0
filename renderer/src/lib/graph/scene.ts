import type { CallOutput } from '../../../../shared/core/api/contract';
import type { Graph, GraphEdge, GraphNode } from '../../../../shared/core/model/graph';
import { groupKeyOf } from '../../../../shared/core/model/groups';
import { parseUrn } from '../../../../shared/core/model/urn';
import { DATA_FLOW_KINDS, byKindOrder, datasetOf, flowEnds, isProcessUrn, processOf } from '../../../../shared/core/lineage/hops';
import { edgeMask } from '../../../../shared/core/lineage/rule';
import { entityLabel, kindLabel, schemeLabel, type Lang } from '../../../../shared/core/i18n';
import { translate } from '../../../../shared/core/i18n';

/**
 * What the lineage canvas shows, as DataHub/OpenMetadata users read lineage: datasets (tables,
 * topics, object prefixes) as cards listing their columns/fields, PII fields badged and envelope or
 * technical fields folded; processes (connectors, workloads) as nodes between the datasets they
 * move data between; groups (a database, a namespace, a bucket) that expand in place; and, when a
 * workspace is too large to read at once, clusters of groups by kind and region.
 *
 * Pure functions of what the store answered, so every rule (folding, filters, where a process
 * goes, which edges are drawn) is tested without a browser. Sizes come from a text measurer:
 * the canvas passes one that measures with the real font, so no label is ever cut.
 */

export type Overview = CallOutput<'graph:overview'>;
export type GroupSummary = Overview['groups'][number];

/** The smallest font on the canvas, in graph units; at fit it must render at ≥ 11 px. */
export const MIN_FONT = 12;
export const FONTS = {
  title: `600 14px ${'system-ui, sans-serif'}`,
  meta: `400 12px ${'system-ui, sans-serif'}`,
  row: `400 12.5px ${'system-ui, sans-serif'}`,
  badge: `600 12px ${'system-ui, sans-serif'}`,
  label: `500 12px ${'system-ui, sans-serif'}`,
} as const;
export type FontRole = keyof typeof FONTS;
export type Measure = (text: string, role: FontRole) => number;

/** Character-count estimate (CJK double width), for tests and before fonts load. */
export const estimateText: Measure = (text, role) => {
  const size = role === 'title' ? 14 : role === 'row' ? 12.5 : 12;
  let units = 0;
  for (const ch of text) units += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 1.9 : 0.6;
  return Math.ceil(units * size + (role === 'title' || role === 'badge' ? text.length * 0.4 : 0));
};

export const SIZES = {
  groupHeight: 66,
  cardHeader: 50,
  rowHeight: 26,
  cardPad: 6,
  processHeight: 52,
  objectHeight: 46,
  labelLine: 16,
  labelPad: 6,
  frameHeader: 46,
  framePad: 14,
  maxCardWidth: 460,
  minCardWidth: 210,
} as const;

export interface LineageFilters {
  sources: string[];
  kinds: string[];
  entities: string[];
  regions: string[];
  piiOnly: boolean;
}
export const EMPTY_FILTERS: LineageFilters = { sources: [], kinds: [], entities: [], regions: [], piiOnly: false };

/** How much detail the canvas shows; the legibility ladder lowers it until the view fits. */
export interface Detail {
  /** Card rows: every field, only PII and highlighted ones, or none (counts in the header). */
  rows: 'all' | 'pii' | 'none';
  /** Children a container shows before the rest fold into a "+N more" node. */
  maxChildren: number;
}
export const FULL_DETAIL: Detail = { rows: 'all', maxChildren: Infinity };

export interface CardRow {
  urn: string;
  name: string;
  entities: string[];
  /** PII reached this field through lineage rather than being sampled in it. */
  inherited: boolean;
  masked: boolean;
}

interface NodeBase {
  id: string;
  /** The container this node is drawn in (an expanded group or cluster), or null at the top. */
  parent: string | null;
  title: string;
  meta: string;
  /** A third line on group boxes: how many nodes (and, in pink, how many hold PII). */
  detail?: string;
  /** Open groups and clusters: the width their frame's header needs. */
  frameWidth?: number;
  /** The code behind the title (URN, group key), shown in a tooltip. */
  code: string;
  region?: string;
  source?: string;
  piiCount: number;
  entities: string[];
  width: number;
  height: number;
}

export type SceneNode =
  | (NodeBase & { type: 'cluster'; key: string; expanded: boolean; groups: number; count: number })
  | (NodeBase & { type: 'group'; key: string; expanded: boolean; count: number; kind: string })
  | (NodeBase & { type: 'card'; kind: string; rows: CardRow[]; folded: { count: number; reason: 'envelope' | 'more' } | null; fieldCount: number })
  | (NodeBase & { type: 'process'; kind: string; masks: number })
  | (NodeBase & { type: 'object'; kind: string })
  | (NodeBase & { type: 'more'; hidden: string[] });

export interface SceneEdge {
  id: string;
  from: string;
  to: string;
  /** A card row's handle (`out:<field>` / `in:<field>`) for column-level edges. */
  fromHandle?: string;
  toHandle?: string;
  kinds: string[];
  /** Field-to-field edges folded into this one (0 when only dataset or group edges). */
  fields: number;
  /** Node-level edges the store counted between two collapsed groups. */
  count: number;
  dataFlow: boolean;
  crossRegion: boolean;
  pii: boolean;
  masked: boolean;
  /** Column-level edge between two rows (drawn on demand, not laid out). */
  rowLevel: boolean;
  confidence?: number;
  evidence?: GraphEdge['evidence'];
  /** The node-level edges behind it (for the panel). */
  sources: GraphEdge[];
  fromRegion?: string;
  toRegion?: string;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
}

export const groupNodeId = (key: string): string => `group:${key}`;
export const clusterNodeId = (key: string): string => `cluster:${key}`;
export const isGroupNodeId = (id: string): boolean => id.startsWith('group:');

const schemeOf = (urn: string): string => urn.slice(0, Math.max(0, urn.indexOf(':')));

/** Node kinds a group of a given URN scheme can hold, so the kind filter also applies to collapsed groups. */
const KINDS_BY_SCHEME: Record<string, string[]> = {
  mysql: ['database', 'table', 'column'],
  kafka: ['topic', 'field', 'connector'],
  s3: ['bucket', 'prefix', 'field'],
  k8s: ['k8s-object', 'secret', 'configmap', 'subject', 'workload', 'connector'],
  app: ['workload'],
  git: ['git-file'],
  connect: ['connector'],
};

/** Debezium's envelope around the row image, folded by default: the data is in `after.*`. */
const ENVELOPE = /^(before|after|source|op|ts_ms|ts_us|ts_ns|transaction)(\.|$)/;
/** Message keys, headers and connector bookkeeping. */
const TECHNICAL = /^(\$key|\$headers|__)/;

/** Whether a field is an envelope or technical field (folded unless asked for). */
export function isEnvelopeField(path: string): boolean {
  // `after.*` holds the data; only the bare `after` container is envelope.
  if (path.startsWith('after.')) return false;
  return ENVELOPE.test(path) || TECHNICAL.test(path);
}

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** A dataset's own name: the table, the topic, the prefix inside its bucket. */
export function datasetTitle(urn: string, node?: Pick<GraphNode, 'name'>): string {
  const p = safeParse(urn);
  if (!p) return node?.name ?? urn;
  if (p.scheme === 's3') return p.segments.length > 1 ? p.segments.slice(1).join('/') : p.segments[0];
  if (p.scheme === 'mysql' || p.scheme === 'kafka') return p.segments[p.segments.length - 1];
  if (p.scheme === 'k8s') return p.segments[2];
  return node?.name ?? p.segments[p.segments.length - 1] ?? urn;
}

/** Where a dataset lives: "shop-db / shop", "events", "lake-eu". */
function storeOf(urn: string): string {
  const p = safeParse(urn);
  if (!p) return '';
  if (p.scheme === 'mysql') return `${p.source} / ${p.segments[0]}`;
  if (p.scheme === 's3') return p.source === p.segments[0] ? p.source : `${p.source} / ${p.segments[0]}`;
  if (p.scheme === 'k8s') return `${p.source} / ${p.segments[0] === '_' ? '—' : p.segments[0]}`;
  return p.source;
}

/** A process's kind as the k8s URN says it (`KafkaConnector`, `Deployment`). */
function processKind(urn: string, node?: GraphNode): string {
  const p = safeParse(urn);
  if (p?.scheme === 'k8s') return p.segments[1];
  return node?.kind ?? 'process';
}

const joinMeta = (...parts: (string | undefined)[]): string => parts.filter((x) => x && x.length > 0).join(' · ');
const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

// ---------------------------------------------------------------------------------------------
// Sizes

/** A group box: three short lines (name; store and region; counts) rather than one long one. */
function groupSize(title: string, meta: string, detail: string, m: Measure): { width: number; height: number } {
  const text = Math.max(m(title, 'title') + 8 + 20, m(meta, 'meta'), m(detail, 'meta'));
  return { width: Math.ceil(4 + 12 + text + 12), height: SIZES.groupHeight };
}

/** The header of an open group's frame: name and PII badge, then store, region and counts. */
function frameWidth(title: string, meta: string, detail: string, pii: string, m: Measure): number {
  // Name and meta share one column; the PII badge and the collapse button sit to its right.
  return Math.ceil(12 + Math.max(m(title, 'title'), m(`${meta} · ${detail}`, 'meta')) + (pii ? 10 + m(pii, 'badge') + 14 : 0) + 10 + 24 + 12);
}

/** The three lines of a group box. */
function groupLines(g: GroupSummary, lang: Lang): { title: string; meta: string; detail: string } {
  const p = /^([a-z0-9]+):\/\/([^/]+)(?:\/(.+))?$/.exec(g.key);
  const source = p?.[2] ?? g.source;
  const own = p?.[3] ? decodeURIComponent(p[3]) : source;
  const title = g.kind === 'k8s' && own === '_' ? translate(lang, 'lineage.clusterScoped') : own;
  const meta = joinMeta(source !== title ? source : schemeLabel(g.kind, lang), g.region);
  return { title, meta, detail: translate(lang, 'lineage.groupCount', { count: g.count }) };
}

function cardSize(title: string, meta: string, badge: string, rows: CardRow[], foldText: string | null, lang: Lang, m: Measure): { width: number; height: number } {
  // Title and meta share one column; the PII badge sits to the right of both.
  let width = Math.max(m(title, 'title'), m(meta, 'meta')) + (badge ? 10 + m(badge, 'badge') + 14 : 0) + 14 + 34 + 10 + 14;
  for (const r of rows) width = Math.max(width, 14 + m(r.name, 'row') + (r.entities.length ? 14 + m(rowBadge(r, lang), 'badge') + 14 : 0) + 14);
  if (foldText) width = Math.max(width, 14 + 18 + m(foldText, 'meta') + 14);
  const lines = rows.length + (foldText ? 1 : 0);
  return { width: Math.ceil(Math.min(SIZES.maxCardWidth, Math.max(SIZES.minCardWidth, width))), height: SIZES.cardHeader + lines * SIZES.rowHeight + (lines ? SIZES.cardPad : 0) };
}

/** The badge of a PII row: its first entity's name, "+N" for more. */
export function rowBadge(row: Pick<CardRow, 'entities'>, lang: Lang): string {
  if (row.entities.length === 0) return '';
  const first = entityLabel(row.entities[0], lang);
  return row.entities.length > 1 ? `${first} +${row.entities.length - 1}` : first;
}

export function foldText(folded: NonNullable<Extract<SceneNode, { type: 'card' }>['folded']>, lang: Lang): string {
  return translate(lang, folded.reason === 'envelope' ? 'lineage.foldedEnvelope' : 'lineage.foldedMore', { count: folded.count });
}

export const piiBadge = (count: number, lang: Lang): string => (count > 0 ? translate(lang, 'lineage.piiBadge', { count }) : '');

// ---------------------------------------------------------------------------------------------
// Filters

function groupPasses(group: GroupSummary, f: LineageFilters, entitiesOf: (key: string) => ReadonlySet<string> | undefined): boolean {
  if (f.sources.length && !f.sources.includes(group.source)) return false;
  if (f.regions.length && !(group.region && f.regions.includes(group.region))) return false;
  if ((f.piiOnly || f.entities.length) && group.piiCount === 0) return false;
  if (f.entities.length) {
    const known = entitiesOf(group.key);
    if (known && !f.entities.some((e) => known.has(e))) return false;
  }
  if (f.kinds.length && !(KINDS_BY_SCHEME[group.kind] ?? []).some((k) => f.kinds.includes(k))) return false;
  return true;
}

/** Filters reach inside groups (a field kind, an entity): the groups that pass are then shown open. */
export function filtersReachInside(f: LineageFilters): boolean {
  return f.entities.length > 0 || f.kinds.some((k) => ['column', 'field', 'table', 'topic', 'prefix', 'workload', 'connector', 'subject', 'secret', 'configmap', 'k8s-object', 'git-file'].includes(k));
}

function nodePasses(node: GraphNode, f: LineageFilters): boolean {
  if (f.sources.length && !f.sources.includes(node.source)) return false;
  if (f.regions.length && !(node.region && f.regions.includes(node.region))) return false;
  return true;
}

function rowPasses(node: GraphNode, f: LineageFilters): boolean {
  if (!nodePasses(node, f)) return false;
  const entities = (node.pii ?? []).map((p) => p.entity);
  if (f.piiOnly && entities.length === 0) return false;
  if (f.entities.length && !entities.some((e) => f.entities.includes(e))) return false;
  const rowKinds: string[] = f.kinds.filter((k) => k === 'column' || k === 'field');
  if (rowKinds.length && !rowKinds.includes(node.kind)) return false;
  return true;
}

/** Whether filters ask for particular rows (then a card without a matching row is hidden). */
const rowFilterActive = (f: LineageFilters): boolean => f.piiOnly || f.entities.length > 0 || f.kinds.some((k) => k === 'column' || k === 'field');
const itemKindFilter = (f: LineageFilters): string[] => f.kinds.filter((k) => k !== 'column' && k !== 'field');

// ---------------------------------------------------------------------------------------------
// Building

export interface OverviewSceneInput {
  overview: Overview;
  /** Group key → its nodes, with the edges that leave or enter it (graph:get with boundary). */
  expanded: ReadonlyMap<string, Graph>;
  /** Show groups as clusters by kind and region (a workspace too big to read group by group). */
  clusterMode: boolean;
  expandedClusters: ReadonlySet<string>;
  filters: LineageFilters;
  /** PII entities each group is known to hold (from PII findings), for the entity filter. */
  groupEntities?: ReadonlyMap<string, ReadonlySet<string>>;
  detail: Detail;
  /** Cards whose folded rows the auditor opened. */
  unfolded: ReadonlySet<string>;
  /** Fields whose rows stay visible at any detail (the selected column, a path). */
  keepRows?: ReadonlySet<string>;
  /** The selected column: its direct edges are drawn row to row. */
  rowEdgesFor?: { urns: ReadonlySet<string>; edges: readonly GraphEdge[] };
  lang: Lang;
  measure?: Measure;
}

/** Cluster key of a group: its kind and region. */
export const clusterKeyOf = (g: Pick<GroupSummary, 'kind' | 'region'>): string => `${g.kind}|${g.region ?? ''}`;

export function buildOverviewScene(input: OverviewSceneInput): Scene {
  const m = input.measure ?? estimateText;
  const { lang, filters: f } = input;
  const b = new SceneBuilder(lang, m, input.detail, input.unfolded, input.keepRows);
  const entitiesOf = (key: string) => input.groupEntities?.get(key);

  const groups = input.overview.groups.filter((g) => groupPasses(g, f, entitiesOf));
  const groupByKey = new Map(groups.map((g) => [g.key, g]));

  // Clusters: groups of one kind in one region; a cluster of one group is just the group.
  const clusterOf = new Map<string, string>();
  if (input.clusterMode) {
    const byCluster = new Map<string, GroupSummary[]>();
    for (const g of groups) byCluster.set(clusterKeyOf(g), [...(byCluster.get(clusterKeyOf(g)) ?? []), g]);
    for (const [key, members] of byCluster) {
      if (members.length < 2) continue;
      const expanded = input.expandedClusters.has(key);
      const [kind, region] = key.split('|');
      const count = members.reduce((n, g) => n + g.count, 0);
      const pii = members.reduce((n, g) => n + g.piiCount, 0);
      const title = schemeLabel(kind, lang);
      const meta = region || translate(lang, 'common.unknown');
      const detail = translate(lang, 'lineage.clusterMeta', { groups: members.length, count });
      b.add({ type: 'cluster', id: clusterNodeId(key), key, parent: null, title, meta, detail, code: key, region: region || undefined, piiCount: pii, entities: [], expanded, groups: members.length, count, frameWidth: frameWidth(title, meta, detail, piiBadge(pii, lang), m), ...groupSize(title, meta, joinMeta(detail, piiBadge(pii, lang)), m) });
      for (const g of members) clusterOf.set(g.key, key);
    }
  }
  const containerOfGroup = (key: string): string | null => {
    const c = clusterOf.get(key);
    return c && input.expandedClusters.has(c) ? clusterNodeId(c) : null;
  };
  /** The drawn node that stands for a group: itself, or its collapsed cluster. */
  const groupStandIn = (key: string): string | undefined => {
    if (!groupByKey.has(key)) return undefined;
    const c = clusterOf.get(key);
    if (c && !input.expandedClusters.has(c)) return clusterNodeId(c);
    return groupNodeId(key);
  };

  const expandedShown = new Map<string, Graph>();
  for (const g of groups) {
    const c = clusterOf.get(g.key);
    if (c && !input.expandedClusters.has(c)) continue;
    const graph = input.expanded.get(g.key);
    const expanded = !!graph;
    const { title, meta, detail } = groupLines(g, lang);
    b.add({ type: 'group', id: groupNodeId(g.key), key: g.key, parent: containerOfGroup(g.key), title, meta, detail, code: g.key, region: g.region, source: g.source, piiCount: g.piiCount, entities: [], expanded, count: g.count, kind: g.kind, frameWidth: frameWidth(title, meta, detail, piiBadge(g.piiCount, lang), m), ...groupSize(title, meta, joinMeta(detail, piiBadge(g.piiCount, lang)), m) });
    if (graph) expandedShown.set(g.key, graph);
  }

  // Inside each open group: cards, processes and objects.
  for (const [key, graph] of expandedShown) b.addGroupContents(groupNodeId(key), key, graph, f);
  b.limitChildren();

  // Where a URN is drawn now: its card/process/object, its group, or its cluster.
  const resolve = (urn: string): string | undefined => {
    const own = b.drawnAs(urn);
    if (own) return own;
    let key: string;
    try {
      key = groupKeyOf(urn);
    } catch {
      return undefined;
    }
    if (expandedShown.has(key)) return undefined; // inside an open group but hidden (filtered)
    return groupStandIn(key);
  };

  // Edges between collapsed groups come from the overview; an open group brings its own, node by node.
  for (const e of input.overview.edges) {
    if (!DATA_FLOW_KINDS.has(e.kind)) continue;
    if (expandedShown.has(e.from) || expandedShown.has(e.to)) continue;
    const from = groupStandIn(e.from), to = groupStandIn(e.to);
    if (!from || !to || from === to) continue;
    b.connect(from, to, { kind: e.kind, count: e.count });
  }
  const seen = new Set<string>();
  for (const graph of expandedShown.values()) {
    for (const e of graph.edges) {
      const id = `${e.from}|${e.kind}|${e.to}`;
      if (seen.has(id)) continue;
      seen.add(id);
      b.connectEdge(e, resolve);
    }
  }
  if (input.rowEdgesFor) b.addRowEdges(input.rowEdgesFor.edges, input.rowEdgesFor.urns);
  return b.scene();
}

export interface CardSceneInput {
  graph: Graph;
  filters?: LineageFilters;
  detail: Detail;
  unfolded: ReadonlySet<string>;
  /** Fields whose rows are kept and whose edges are drawn row to row (a focus, a flow's fields). */
  keepRows?: ReadonlySet<string>;
  /** Draw every field edge between visible rows, not only the kept ones. */
  allRowEdges?: boolean;
  lang: Lang;
  measure?: Measure;
}

/**
 * A lineage closure or a flow path as cards at the top level (no group frames): each dataset once,
 * its fields in the closure as rows, processes between datasets, column edges between rows.
 */
export function buildCardScene(input: CardSceneInput): Scene {
  const m = input.measure ?? estimateText;
  const b = new SceneBuilder(input.lang, m, input.detail, input.unfolded, input.keepRows);
  b.addGroupContents(null, null, input.graph, input.filters ?? EMPTY_FILTERS);
  b.limitChildren();
  const resolve = (urn: string) => b.drawnAs(urn);
  for (const e of input.graph.edges) b.connectEdge(e, resolve);
  const rowUrns = input.allRowEdges ? new Set(input.graph.nodes.filter((n) => n.urn.includes('#')).map((n) => n.urn)) : input.keepRows ?? new Set<string>();
  b.addRowEdges(input.graph.edges, rowUrns);
  return b.scene();
}

class SceneBuilder {
  private readonly nodes: SceneNode[] = [];
  private readonly byId = new Map<string, SceneNode>();
  /** URN → drawn node id (fields → their card). */
  private readonly drawn = new Map<string, string>();
  /** Field URN → its visible row's card (fields folded away map to the card without a handle). */
  private readonly rowOf = new Map<string, string>();
  private readonly edges = new Map<string, SceneEdge>();
  private readonly nodeInfo = new Map<string, GraphNode>();

  constructor(
    private readonly lang: Lang,
    private readonly m: Measure,
    private readonly detail: Detail,
    private readonly unfolded: ReadonlySet<string>,
    private readonly keepRows: ReadonlySet<string> | undefined,
  ) {}

  add(node: SceneNode): void {
    this.nodes.push(node);
    this.byId.set(node.id, node);
  }

  drawnAs(urn: string): string | undefined {
    const id = this.drawn.get(urn) ?? this.drawn.get(datasetOf(urn));
    return id;
  }

  /** Cards, processes and objects of one group (or of a closure, parent null). */
  addGroupContents(parent: string | null, groupKey: string | null, graph: Graph, f: LineageFilters): void {
    const { lang, m } = this;
    for (const n of graph.nodes) this.nodeInfo.set(n.urn, n);
    const inGroup = (urn: string) => groupKey === null || safeGroupKey(urn) === groupKey;
    const members = graph.nodes.filter((n) => inGroup(n.urn));
    const fieldsOf = new Map<string, GraphNode[]>();
    for (const n of members) if (n.urn.includes('#')) fieldsOf.set(datasetOf(n.urn), [...(fieldsOf.get(datasetOf(n.urn)) ?? []), n]);
    const hasFlow = new Set<string>();
    for (const e of graph.edges) if (DATA_FLOW_KINDS.has(e.kind)) for (const u of [e.from, e.to]) hasFlow.add(datasetOf(u));
    const datasets = unique([...members.filter((n) => ['table', 'topic', 'prefix', 'bucket'].includes(n.kind)).map((n) => n.urn), ...fieldsOf.keys()]);
    const kindFilter = itemKindFilter(f);

    for (const urn of datasets) {
      const node = this.nodeInfo.get(urn);
      const fields = fieldsOf.get(urn) ?? [];
      // A bucket or a prefix with no sampled fields and no flow is structure, not a dataset.
      if (fields.length === 0 && !hasFlow.has(urn) && node?.kind !== 'table' && node?.kind !== 'topic') continue;
      if (node && !nodePasses(node, f)) continue;
      const kind = node?.kind ?? (schemeOf(urn) === 'mysql' ? 'table' : schemeOf(urn) === 'kafka' ? 'topic' : 'prefix');
      const rowsPassing = fields.filter((r) => rowPasses(r, f));
      if (rowFilterActive(f) && rowsPassing.length === 0) continue;
      if (kindFilter.length && !kindFilter.includes(kind) && rowsPassing.length === 0) continue;
      this.addCard(parent, urn, kind, node, rowFilterActive(f) ? rowsPassing : fields, fields.length);
    }
    for (const n of members) {
      if (n.urn.includes('#') || ['table', 'topic', 'prefix', 'bucket', 'database'].includes(n.kind)) continue;
      if (n.props?.placeholder) continue;
      if (!nodePasses(n, f) || rowFilterActive(f)) continue;
      if (kindFilter.length && !kindFilter.includes(n.kind)) continue;
      if (isProcessUrn(n.urn, n.kind)) this.addProcess(parent, n.urn, n);
      else {
        const title = n.name;
        const meta = joinMeta(n.kind === 'k8s-object' ? processKind(n.urn, n) : kindLabel(n.kind, lang), n.region);
        this.add({ type: 'object', id: n.urn, parent, title, meta, code: n.urn, region: n.region, source: n.source, piiCount: 0, entities: [], kind: n.kind, width: Math.ceil(Math.max(150, 14 + Math.max(m(title, 'title'), m(meta, 'meta')) + 14)), height: SIZES.objectHeight });
        this.drawn.set(n.urn, n.urn);
      }
    }
  }

  private addCard(parent: string | null, urn: string, kind: string, node: GraphNode | undefined, fields: GraphNode[], fieldCount: number): void {
    const { lang, m, detail } = this;
    const rows: CardRow[] = [];
    const folded: CardRow[] = [];
    const unfolded = this.unfolded.has(urn);
    for (const n of fields) {
      const path = n.urn.slice(n.urn.indexOf('#') + 1);
      const entities = unique((n.pii ?? []).map((p) => p.entity));
      const row: CardRow = { urn: n.urn, name: path, entities, inherited: (n.pii ?? []).length > 0 && (n.pii ?? []).every((p) => p.inherited), masked: false };
      const kept = this.keepRows?.has(n.urn) ?? false;
      const show = kept || (detail.rows === 'all' ? unfolded || !isEnvelopeField(path) : detail.rows === 'pii' ? entities.length > 0 || (unfolded && !isEnvelopeField(path)) : false);
      (show ? rows : folded).push(row);
    }
    const envelopeOnly = folded.length > 0 && folded.every((r) => isEnvelopeField(r.name));
    const fold = folded.length > 0 && detail.rows !== 'none' ? { count: folded.length, reason: envelopeOnly ? 'envelope' as const : 'more' as const } : null;
    const piiRows = fields.filter((n) => (n.pii ?? []).length > 0).length;
    const entities = unique(fields.flatMap((n) => (n.pii ?? []).map((p) => p.entity)));
    const title = datasetTitle(urn, node);
    const region = node?.region ?? fields.find((x) => x.region)?.region;
    const meta = detail.rows === 'none' || rows.length === 0
      ? joinMeta(kindLabel(kind, lang), storeOf(urn), region, translate(lang, 'lineage.fieldCount', { count: fieldCount }))
      : joinMeta(kindLabel(kind, lang), storeOf(urn), region);
    const badge = piiBadge(piiRows, lang);
    this.add({ type: 'card', id: urn, parent, title, meta, code: urn, region, source: node?.source ?? safeParse(urn)?.source, piiCount: piiRows, entities, kind, rows, folded: fold, fieldCount, ...cardSize(title, meta, badge, rows, fold ? foldText(fold, lang) : null, lang, m) });
    this.drawn.set(urn, urn);
    for (const r of rows) this.rowOf.set(r.urn, urn);
    for (const n of fields) this.drawn.set(n.urn, urn);
  }

  private addProcess(parent: string | null, urn: string, node?: GraphNode): string {
    if (this.byId.has(urn)) return urn;
    const { lang, m } = this;
    const p = safeParse(urn);
    const title = node?.name ?? (p ? p.segments[p.segments.length - 1] : urn);
    const meta = joinMeta(processKind(urn, node), p ? storeOf(urn) : undefined);
    this.add({ type: 'process', id: urn, parent, title, meta, code: urn, region: node?.region, source: node?.source ?? p?.source, piiCount: 0, entities: [], kind: node?.kind ?? (urn.includes('/KafkaConnector/') ? 'connector' : 'workload'), masks: 0, width: Math.ceil(Math.max(160, 14 + 30 + 10 + Math.max(m(title, 'title'), m(meta, 'meta')) + 16)), height: SIZES.processHeight });
    this.drawn.set(urn, urn);
    return urn;
  }

  /** Folds the children of a container past `maxChildren` into a "+N more" node (least relevant first). */
  limitChildren(): void {
    const max = this.detail.maxChildren;
    if (!Number.isFinite(max)) return;
    const byParent = new Map<string | null, SceneNode[]>();
    for (const n of this.nodes) byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
    for (const [parent, children] of byParent) {
      if (children.length <= max) continue;
      // What the user opened first, then PII, then what moves data, then the rest, in their given order.
      const opened = (n: SceneNode) => (n.type === 'group' || n.type === 'cluster') && n.expanded;
      const score = (n: SceneNode) => (opened(n) ? -1 : n.piiCount > 0 ? 0 : n.type === 'process' || n.type === 'group' || n.type === 'cluster' ? 1 : n.type === 'card' ? 2 : 3);
      // Within PII, more PII first (the lake a flow lands in before an empty one).
      const ranked = children.map((n, i) => ({ n, i })).sort((a, b) => score(a.n) - score(b.n) || b.n.piiCount - a.n.piiCount || a.i - b.i);
      const hidden = ranked.slice(Math.max(1, max - 1)).map((x) => x.n);
      const hiddenIds = new Set(hidden.map((n) => n.id));
      for (let i = this.nodes.length - 1; i >= 0; i--) if (hiddenIds.has(this.nodes[i].id)) this.nodes.splice(i, 1);
      const id = `more:${parent ?? 'top'}`;
      const title = translate(this.lang, 'lineage.moreItems', { count: hidden.length });
      const meta = translate(this.lang, 'lineage.moreHint');
      const more: SceneNode = { type: 'more', id, parent, title, meta, code: '', piiCount: hidden.reduce((a, n) => a + n.piiCount, 0), entities: [], hidden: hidden.map((n) => n.id), width: Math.ceil(Math.max(160, 14 + Math.max(this.m(title, 'title'), this.m(meta, 'meta')) + 14)), height: SIZES.objectHeight };
      this.nodes.push(more);
      this.byId.set(id, more);
      for (const n of hidden) this.byId.delete(n.id);
      // What was drawn by a hidden node is now drawn by the "more" node.
      for (const [urn, drawnId] of this.drawn) if (hiddenIds.has(drawnId)) this.drawn.set(urn, id);
      for (const [urn, card] of this.rowOf) if (hiddenIds.has(card)) this.rowOf.delete(urn);
    }
  }

  /** A group-level edge (two collapsed groups). */
  connect(from: string, to: string, e: { kind: string; count: number }): void {
    this.merge(from, to, undefined, undefined, { kind: e.kind, count: e.count, fields: 0 });
  }

  /** A node-level edge, drawn between whatever stands for its ends now; a named process sits between them. */
  connectEdge(e: GraphEdge, resolve: (urn: string) => string | undefined): void {
    const dataFlow = DATA_FLOW_KINDS.has(e.kind);
    if (!dataFlow && e.kind === 'contains') return;
    const [a, b] = dataFlow ? flowEnds(e) : [e.from, e.to];
    const from = resolve(a), to = resolve(b);
    if (!from || !to || from === to) return;
    // Structure (references, mounts, grants) only between nodes drawn on their own, never to a whole group.
    if (!dataFlow && (!this.byId.has(from) || !this.byId.has(to) || this.isContainer(from) || this.isContainer(to))) return;
    const field = a.includes('#') && b.includes('#');
    const via = dataFlow ? processOf(e) : undefined;
    const mask = edgeMask(e);
    const fromPii = (this.nodeInfo.get(a)?.pii ?? []).length > 0;
    const info = { kind: e.kind, count: 0, fields: field ? 1 : 0, edge: e, pii: fromPii, masked: !!mask };
    if (via && via !== from && via !== to) {
      const viaId = resolve(via) ?? this.addProcess(null, via);
      if (viaId !== from && viaId !== to) {
        const proc = this.byId.get(viaId);
        if (proc?.type === 'process' && mask) proc.masks++;
        this.merge(from, viaId, undefined, undefined, info);
        this.merge(viaId, to, undefined, undefined, info);
        return;
      }
    }
    this.merge(from, to, undefined, undefined, info);
  }

  /** Column-level edges between visible rows, for the given fields' edges (drawn, not laid out). */
  addRowEdges(edges: readonly GraphEdge[], urns: ReadonlySet<string>): void {
    for (const e of edges) {
      if (!DATA_FLOW_KINDS.has(e.kind) || !e.from.includes('#') || !e.to.includes('#')) continue;
      if (!urns.has(e.from) && !urns.has(e.to)) continue;
      const [a, b] = flowEnds(e);
      const from = this.rowOf.get(a), to = this.rowOf.get(b);
      if (!from || !to || from === to) continue;
      const mask = edgeMask(e);
      this.merge(from, to, `out:${a}`, `in:${b}`, { kind: e.kind, count: 0, fields: 1, edge: e, pii: (this.nodeInfo.get(a)?.pii ?? []).length > 0, masked: !!mask }, true);
    }
  }

  private isContainer(id: string): boolean {
    const n = this.byId.get(id);
    return n?.type === 'group' || n?.type === 'cluster';
  }

  private merge(from: string, to: string, fromHandle: string | undefined, toHandle: string | undefined, e: { kind: string; count: number; fields: number; edge?: GraphEdge; pii?: boolean; masked?: boolean }, rowLevel = false): void {
    const id = `${from}${fromHandle ? `#${fromHandle}` : ''}→${to}${toHandle ? `#${toHandle}` : ''}${rowLevel ? '|row' : ''}`;
    const a = this.byId.get(from), b = this.byId.get(to);
    let edge = this.edges.get(id);
    if (!edge) {
      edge = {
        id, from, to, fromHandle, toHandle, kinds: [], fields: 0, count: 0, dataFlow: DATA_FLOW_KINDS.has(e.kind), rowLevel,
        crossRegion: !!a?.region && !!b?.region && a.region !== b.region, pii: false, masked: false, sources: [], fromRegion: a?.region, toRegion: b?.region,
      };
      this.edges.set(id, edge);
    }
    if (!edge.kinds.includes(e.kind)) edge.kinds.push(e.kind);
    edge.kinds.sort(byKindOrder);
    edge.count += e.count;
    edge.fields += e.fields;
    // Between collapsed groups: PII moves when both ends hold some (the store counts, it does not trace).
    edge.pii ||= e.pii ?? ((a?.piiCount ?? 0) > 0 && (b?.piiCount ?? 0) > 0);
    edge.masked ||= !!e.masked;
    if (e.edge) {
      edge.sources.push(e.edge);
      edge.confidence = Math.max(edge.confidence ?? 0, e.edge.confidence);
      edge.evidence ??= e.edge.evidence;
    }
  }

  scene(): Scene {
    const ids = new Set(this.nodes.map((n) => n.id));
    return { nodes: this.nodes, edges: [...this.edges.values()].filter((e) => ids.has(e.from) && ids.has(e.to)) };
  }
}

const safeGroupKey = (urn: string): string | undefined => {
  try {
    return groupKeyOf(urn);
  } catch {
    return undefined;
  }
};

/** Label of a laid-out link, in lines: its relations, then how many field edges it folds. */
export function linkLabel(edges: readonly SceneEdge[], lang: Lang): string[] | undefined {
  const flows = edges.filter((e) => e.dataFlow && !e.rowLevel);
  if (flows.length === 0) return undefined;
  const kinds = unique(flows.flatMap((e) => e.kinds)).sort(byKindOrder).map((k) => translate(lang, `edge.${k}` as never));
  const fields = flows.reduce((n, e) => n + e.fields, 0);
  const count = flows.reduce((n, e) => n + e.count, 0);
  const names = kinds.join(lang === 'zh-CN' ? '、' : ', ');
  if (fields > 1) return [names, translate(lang, 'lineage.linkFields', { count: fields })];
  if (count > 1) return [names, translate(lang, 'lineage.linkCount', { count })];
  return [names];
}

/** The distinct values the filter menus offer. */
export function filterOptions(overview: Overview | null, expanded: ReadonlyMap<string, Graph>): { sources: string[]; regions: string[]; kinds: string[]; entities: string[] } {
  const sources = new Set<string>();
  const regions = new Set<string>();
  const kinds = new Set<string>();
  const entities = new Set<string>();
  for (const g of overview?.groups ?? []) {
    sources.add(g.source);
    if (g.region) regions.add(g.region);
    for (const k of KINDS_BY_SCHEME[g.kind] ?? []) kinds.add(k);
  }
  for (const graph of expanded.values()) for (const n of graph.nodes) for (const p of n.pii ?? []) entities.add(p.entity);
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { sources: sorted(sources), regions: sorted(regions), kinds: sorted(kinds), entities: sorted(entities) };
}

/** A node's short name for lists (search results, panels): datasets by name, fields as dataset.field. */
export function nodeName(node: Pick<GraphNode, 'urn' | 'kind' | 'name'>): string {
  if (!node.urn.includes('#')) return ['table', 'topic', 'prefix', 'bucket'].includes(node.kind) ? datasetTitle(node.urn, node) : node.name;
  return `${datasetTitle(datasetOf(node.urn))}.${node.urn.slice(node.urn.indexOf('#') + 1)}`;
}

/** Where a node lives, for lists: "shop-db / shop", "lake-eu". */
export const nodeStore = storeOf;
