import { chainPhrase, evidencePhrase, indexAccess, whoCanRead, type AccessEntry } from '../access/resolve.js';
import { phrase, say, type Phrase } from '../i18n/phrase.js';
import type { MessageKey } from '../i18n/catalogue.js';
import { EVERYONE } from '../access/grant.js';
import { connectorConfigs, sinkTopics } from '../lineage/connectors.js';
import { collectSettings } from '../lineage/rules/workload-references.js';
import { inputsOf } from '../lineage/process.js';
import { jurisdictionOf } from '../lineage/regions.js';
import type { LineageView } from '../lineage/rule.js';
import { indexView } from '../lineage/view-index.js';
import type { GraphEdge, GraphNode } from '../model/graph.js';
import { datasetUrn, parseUrn } from '../model/urn.js';
import { regionOfPrincipal, type RegionMap } from './region-map.js';
import { sinkConsumerGroup } from './rules/connector-sinks.js';

/**
 * Transfer-path coverage (issue #14, "the audit's honesty"): for every dataset that holds PII,
 * every way its data can leave it — pipelines (cdc, sinks, same values), replication, egress,
 * workloads and consumer groups that read it, principals that can read it — each classified as
 * known-domestic, known-cross-border or unknown, with the evidence or the reason and the fix.
 * A dataset is fully accounted for when none of its paths is unknown.
 */
export type PathClass = 'domestic' | 'cross-border' | 'unknown';

export interface TransferPath {
  /** cdc | sinks | same-values | replicates | egress | reads (a workload or consumer group) | access (a principal) */
  kind: string;
  /** Where the data goes: a dataset, an endpoint, a workload, a principal. */
  to: string;
  toRegion?: string;
  class: PathClass;
  /** Hops between the dataset and `to` (a workload that sends it on). */
  via: string[];
  evidence: string;
  /** `evidence` as a phrase, said in the reader's language. */
  evidencePhrase?: Phrase;
  /** For unknown paths: why, and what to do. */
  reason?: string;
  reasonPhrase?: Phrase;
  /** The edges from the dataset to `to`, one per hop (dataset → connector → endpoint). */
  hops?: PathHop[];
}

/** One edge of a transfer path, with its evidence. */
export interface PathHop {
  from: string;
  to: string;
  kind: string;
  rule: string;
  detail: string;
  phrase?: Phrase;
  confidence: number;
}

export interface DatasetCoverage {
  urn: string;
  entities: string[];
  region?: string;
  status: 'accounted' | 'unknown';
  paths: TransferPath[];
}

export interface CoverageReport {
  /** Unknowns first, then by URN. */
  datasets: DatasetCoverage[];
  accounted: number;
  total: number;
}

const OUTBOUND = new Set(['cdc', 'sinks', 'same-values', 'replicates', 'egress']);

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** A path's class from the two regions: unknown when either has no jurisdiction we know. */
export function classify(fromRegion: string | undefined, toRegion: string | undefined): PathClass {
  const a = jurisdictionOf(fromRegion);
  const b = jurisdictionOf(toRegion);
  if (!a || !b) return 'unknown';
  return a === b ? 'domestic' : 'cross-border';
}

interface Ctx {
  view: LineageView;
  regionMap: RegionMap;
  regionOf(urn: string): string | undefined;
  outOf: Map<string, GraphEdge[]>;
  readersOf: Map<string, GraphEdge[]>;
  explainedGroups: Map<string, string>;
  workloadGroups: Map<string, string>;
  /** Nodes `<dataset>#…` by dataset, in view order: grouped once, not searched per dataset. */
  fieldsOf: Map<string, GraphNode[]>;
}

/** Consumer groups someone explains: a sink connector reading with it, or a workload naming it. */
function groupExplanations(view: LineageView): { byConnector: Map<string, string>; byWorkload: Map<string, string> } {
  const byConnector = new Map<string, string>();
  const index = indexView(view);
  for (const c of connectorConfigs(view)) {
    if (sinkTopics(c.config, index.topicsByName).topics.length) byConnector.set(sinkConsumerGroup(c), `connector ${c.name} (${c.className}) consumes with group ${sinkConsumerGroup(c)}`);
  }
  const byWorkload = new Map<string, string>();
  const configMaps = new Map<string, Record<string, any>>();
  for (const c of view.configs) if (c.content?.kind === 'ConfigMap') configMaps.set(c.urn, c.content);
  for (const c of view.configs) {
    const p = safeParse(c.urn);
    if (p?.scheme !== 'k8s' || !c.content || typeof c.content !== 'object' || !['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'].includes(c.content.kind)) continue;
    const { settings } = collectSettings(c.content, (name) => configMaps.get(`k8s://${p.source}/${p.segments[0]}/ConfigMap/${name}`)?.data);
    for (const s of settings) if (/GROUP/i.test(s.name) && s.value) byWorkload.set(s.value.trim(), `${c.urn}|${s.name} (${s.origin})`);
  }
  return { byConnector, byWorkload };
}

/** The PII datasets of a graph: the datasets of fields tagged with PII (own or inherited). */
export function piiDatasets(nodes: GraphNode[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const n of nodes) {
    if (!n.urn.includes('#') || !n.pii?.length) continue;
    const d = datasetUrn(n.urn);
    const set = out.get(d) ?? new Set<string>();
    for (const t of n.pii) set.add(t.entity);
    out.set(d, set);
  }
  return out;
}

/** `s3://src/lake/pii/users` → its key prefix `pii/users/` and bucket; other URNs: undefined. */
function s3Parts(urn: string): { bucket: string; prefix: string } | undefined {
  const p = safeParse(urn);
  if (p?.scheme !== 's3') return undefined;
  const rest = p.segments.slice(1);
  return { bucket: `s3://${urn.slice(5).split('/')[0]}/${urn.slice(5).split('/')[1]}`, prefix: rest.length ? `${rest.join('/')}/` : '' };
}

/** Edges leaving the dataset: from it, from its fields, and replication of what contains it (a bucket, a database). */
function outbound(ctx: Ctx, dataset: string): GraphEdge[] {
  const out = [...(ctx.outOf.get(dataset) ?? [])];
  for (const n of ctx.fieldsOf.get(dataset) ?? []) out.push(...(ctx.outOf.get(n.urn) ?? []));
  const s3 = s3Parts(dataset);
  if (s3 && s3.bucket !== dataset) {
    for (const e of ctx.outOf.get(s3.bucket) ?? []) {
      const prefixes = (e.evidence as { prefixes?: string[] }).prefixes;
      if (e.kind === 'replicates' && (!prefixes || prefixes.some((p) => s3.prefix.startsWith(p) || p === ''))) out.push(e);
    }
  }
  const p = safeParse(dataset);
  if (p?.scheme === 'mysql' && p.segments.length === 2) {
    for (const e of ctx.outOf.get(dataset.slice(0, dataset.lastIndexOf('/'))) ?? []) if (e.kind === 'replicates') out.push(e);
  }
  return out;
}

function destinationRegion(ctx: Ctx, e: GraphEdge): string | undefined {
  return ctx.regionOf(e.to) ?? (e.evidence as { region?: string }).region;
}

const hopOf = (e: GraphEdge, from = e.from): PathHop => ({ from, to: e.to, kind: e.kind, rule: e.evidence.rule, detail: e.evidence.detail, ...(e.evidence.phrase && { phrase: e.evidence.phrase }), confidence: e.confidence });

/** Why a path is unknown, in English and as a phrase. */
function why(key: MessageKey, params: Phrase['params']): { reason: string; reasonPhrase: Phrase } {
  const p = phrase(key, params);
  return { reason: say(p, 'en'), reasonPhrase: p };
}

/** A path's evidence, in English and as a phrase (a string part stays as written). */
function evidenceOf(p: Phrase | string): { evidence: string; evidencePhrase?: Phrase } {
  return typeof p === 'string' ? { evidence: p } : { evidence: say(p, 'en'), evidencePhrase: p };
}

/** A process node (a connector) sits between datasets: paths cross it rather than end there. */
const isProcess = (ctx: Ctx, urn: string): boolean => urn.startsWith('connect://') || ctx.view.byUrn.get(urn)?.kind === 'connector';

/**
 * The output hops of a process that carry what `input` feeds it: those recording that input
 * (shared/core/lineage/process.ts `inputs`), or every output when a hop does not say.
 */
function processOutputs(ctx: Ctx, process: string, input: string): GraphEdge[] {
  return (ctx.outOf.get(process) ?? []).filter((o) => {
    const inputs = inputsOf(o);
    return inputs.length === 0 || inputs.includes(input);
  });
}

/** A path to the dataset or endpoint an edge (or a process it enters) reaches, classified. */
function edgePaths(ctx: Ctx, dataset: string, region: string | undefined, e: GraphEdge): TransferPath[] {
  const direct = e.to.includes('#') ? datasetUrn(e.to) : e.to;
  if (direct === dataset) return [];
  const via = (e.evidence as { via?: unknown }).via;
  if (!isProcess(ctx, direct)) return [pathTo(ctx, dataset, region, e, direct, typeof via === 'string' ? [via] : [], [hopOf(e)])];
  const outputs = processOutputs(ctx, direct, e.from.includes('#') ? datasetUrn(e.from) : e.from);
  if (outputs.length === 0) {
    return [{ kind: e.kind, to: direct, class: 'unknown', via: [], ...evidenceOf(evidencePhrase(e)), hops: [hopOf(e)], ...why('ev.coverage.processOutputsUnknown', { process: direct, dataset }) }];
  }
  return outputs.map((o) => {
    const to = o.to.includes('#') ? datasetUrn(o.to) : o.to;
    return pathTo(ctx, dataset, region, o, to, [direct], [hopOf(e), hopOf(o)], phrase('ev.chain', { from: evidencePhrase(e), to: evidencePhrase(o) }));
  });
}

function pathTo(ctx: Ctx, dataset: string, region: string | undefined, last: GraphEdge, to: string, via: string[], hops: PathHop[], evidence: Phrase | string = evidencePhrase(last)): TransferPath {
  const r = destinationRegion(ctx, last);
  const unresolved = (last.evidence as { unresolved?: unknown }).unresolved;
  if (typeof unresolved === 'string') return { kind: last.kind, to, class: 'unknown', via, ...evidenceOf(evidence), hops, reason: unresolved };
  return { kind: last.kind, to, toRegion: r, class: classify(region, r), via, ...evidenceOf(evidence), hops, ...(r ? {} : why('ev.coverage.regionUnknown', { to })) };
}

function readerPaths(ctx: Ctx, dataset: string, fromRegion: string | undefined): TransferPath[] {
  const paths: TransferPath[] = [];
  const readers = [...(ctx.readersOf.get(dataset) ?? [])];
  for (const n of ctx.fieldsOf.get(dataset) ?? []) readers.push(...(ctx.readersOf.get(n.urn) ?? []));
  const seen = new Set<string>();
  for (const e of readers) {
    if (seen.has(e.from)) continue;
    seen.add(e.from);
    const p = safeParse(e.from);
    // A consumer group: committed offsets prove someone reads; who, and where, must be explained.
    if (p?.scheme === 'app' && p.segments[0] === 'kafka') {
      const group = p.segments[1];
      const connector = ctx.explainedGroups.get(group);
      const workload = ctx.workloadGroups.get(group);
      if (connector) {
        paths.push({ kind: 'reads', to: e.from, toRegion: fromRegion, class: classify(fromRegion, fromRegion), via: [], ...evidenceOf(phrase('ev.coverage.connectorReads', { connector })) });
      } else if (workload) {
        const [urn, how] = workload.split('|');
        paths.push(...workloadPaths(ctx, urn, fromRegion, phrase('ev.coverage.groupOfWorkload', { group, how })));
      } else {
        paths.push({
          kind: 'reads', to: e.from, class: 'unknown', via: [], ...evidenceOf(evidencePhrase(e)),
          ...why('ev.coverage.groupUnexplained', { group, dataset }),
        });
      }
      continue;
    }
    if (p?.scheme === 'k8s') {
      // `reads` points from the reader to the data; the data moves the other way.
      paths.push(...workloadPaths(ctx, e.from, fromRegion, evidencePhrase(e), [{ ...hopOf(e, dataset), to: e.from }]));
      continue;
    }
    const r = ctx.regionOf(e.from);
    paths.push({ kind: 'reads', to: e.from, toRegion: r, class: classify(fromRegion, r), via: [], ...evidenceOf(evidencePhrase(e)), ...(r ? {} : why('ev.coverage.readerRegionUnknown', { reader: e.from, dataset })) });
  }
  return paths;
}

/** A workload reading the data: where it runs, and each external endpoint it names (egress). */
function workloadPaths(ctx: Ctx, workload: string, fromRegion: string | undefined, how: Phrase | string, lead: PathHop[] = []): TransferPath[] {
  const region = ctx.regionOf(workload);
  const egress = (ctx.outOf.get(workload) ?? []).filter((e) => e.kind === 'egress');
  if (egress.length === 0) {
    return [{ kind: 'reads', to: workload, toRegion: region, class: classify(fromRegion, region), via: [], ...evidenceOf(phrase('ev.coverage.noEndpoint', { why: how })), ...(region ? {} : why('ev.coverage.workloadRegionUnknown', { workload })) }];
  }
  return egress.map((e) => {
    const r = destinationRegion(ctx, e);
    return {
      kind: 'egress', to: e.to, toRegion: r, class: classify(fromRegion, r), via: [workload], ...evidenceOf(phrase('ev.coverage.workloadEgress', { why: how, detail: evidencePhrase(e) })), hops: [...lead, hopOf(e)],
      ...(r ? {} : why('ev.coverage.hostRegionUnknown', { to: e.to })),
    };
  });
}

function accessPaths(ctx: Ctx, dataset: string, fields: string[], fromRegion: string | undefined, index: ReturnType<typeof indexAccess>): TransferPath[] {
  const paths: TransferPath[] = [];
  const entries: AccessEntry[] = [];
  const unknown = new Map<string, Phrase | string>();
  for (const f of fields) {
    const a = whoCanRead(index, f);
    entries.push(...a.readers);
    a.unknown.forEach((u) => unknown.set(u.reason, u.phrase ?? u.reason));
  }
  const props = (urn: string) => (index.byUrn.get(urn)?.props ?? {}) as { auditor?: boolean; localOnly?: boolean; role?: boolean };
  // Principals whose credentials someone captured holds: their home is that holder's.
  const heldBy = new Set(entries.filter((e) => e.via === 'credential').flatMap((e) => e.chain.filter((h) => h.relation === 'credential').map((h) => h.to)));
  const done = new Set<string>();
  for (const e of entries) {
    if (done.has(e.principalUrn)) continue;
    done.add(e.principalUrn);
    const pr = props(e.principalUrn);
    if (pr.auditor && e.via === 'direct') continue;
    const evidence = chainPhrase(e.chain);
    if (e.via === 'credential') {
      const r = ctx.regionOf(e.principalUrn);
      paths.push({ kind: 'access', to: e.principalUrn, toRegion: r, class: classify(fromRegion, r), via: [], ...evidenceOf(evidence), ...(r ? {} : why('ev.coverage.actorRegionUnknown', { principal: e.principal })) });
      continue;
    }
    // A role reaches the data only through its members, who are listed themselves.
    if (pr.role || (e.via === 'direct' && heldBy.has(e.principalUrn))) continue;
    if (pr.localOnly) {
      paths.push({ kind: 'access', to: e.principalUrn, toRegion: fromRegion, class: classify(fromRegion, fromRegion), via: [], ...evidenceOf(phrase('ev.coverage.localOnly', { chain: evidence })) });
      continue;
    }
    const mapped = regionOfPrincipal(e.principal, ctx.regionMap);
    if (mapped) {
      paths.push({ kind: 'access', to: e.principalUrn, toRegion: mapped.region, class: classify(fromRegion, mapped.region), via: [], ...evidenceOf(phrase('ev.coverage.homeFrom', { chain: evidence, from: mapped.from })) });
      continue;
    }
    paths.push({
      kind: 'access', to: e.principalUrn, class: 'unknown', via: [], ...evidenceOf(evidence),
      ...(e.principal === EVERYONE || e.everyone
        ? why('ev.coverage.everyoneReads', { principal: e.principal, dataset })
        : why('ev.coverage.principalHomeUnknown', { principal: e.principal, dataset })),
    });
  }
  for (const [text, reason] of unknown) paths.push({ kind: 'access', to: '?', class: 'unknown', via: [], ...evidenceOf(reason === text ? text : reason), ...why('ev.coverage.notFullyKnown', { dataset, reason }) });
  return paths;
}

/** Coverage of every PII dataset in the graph. */
export function transferCoverage(view: LineageView, regionMap: RegionMap): CoverageReport {
  const outOf = new Map<string, GraphEdge[]>();
  const readersOf = new Map<string, GraphEdge[]>();
  const push = (m: Map<string, GraphEdge[]>, k: string, e: GraphEdge) => {
    const list = m.get(k);
    if (list) list.push(e);
    else m.set(k, [e]);
  };
  for (const e of view.edges) {
    if (OUTBOUND.has(e.kind)) push(outOf, e.from, e);
    else if (e.kind === 'reads') push(readersOf, e.to, e);
  }
  const regionOf = (urn: string): string | undefined => {
    const n = view.byUrn.get(urn);
    if (n?.region) return n.region;
    const parent = n?.parent ?? (urn.includes('#') ? datasetUrn(urn) : undefined);
    return parent ? view.byUrn.get(parent)?.region : undefined;
  };
  const groups = groupExplanations(view);
  const fieldsOf = new Map<string, GraphNode[]>();
  for (const n of view.nodes) {
    const hash = n.urn.indexOf('#');
    if (hash === -1) continue;
    const dataset = n.urn.slice(0, hash);
    const list = fieldsOf.get(dataset);
    if (list) list.push(n);
    else fieldsOf.set(dataset, [n]);
  }
  const ctx: Ctx = { view, regionMap, regionOf, outOf, readersOf, explainedGroups: groups.byConnector, workloadGroups: groups.byWorkload, fieldsOf };
  const access = indexAccess(view.nodes, view.edges);
  const datasets: DatasetCoverage[] = [];
  for (const [urn, entities] of piiDatasets(view.nodes)) {
    const region = regionOf(urn);
    const fields = (fieldsOf.get(urn) ?? []).filter((n) => n.pii?.length).map((n) => n.urn);
    const paths: TransferPath[] = [];
    for (const e of outbound(ctx, urn)) paths.push(...edgePaths(ctx, urn, region, e));
    paths.push(...readerPaths(ctx, urn, region), ...accessPaths(ctx, urn, fields, region, access));
    const unique = dedupe(paths).sort((a, b) => rank(a.class) - rank(b.class) || a.kind.localeCompare(b.kind) || a.to.localeCompare(b.to));
    datasets.push({ urn, entities: [...entities].sort(), ...(region && { region }), status: unique.some((p) => p.class === 'unknown') ? 'unknown' : 'accounted', paths: unique });
  }
  datasets.sort((a, b) => Number(b.status === 'unknown') - Number(a.status === 'unknown') || a.urn.localeCompare(b.urn));
  return { datasets, accounted: datasets.filter((d) => d.status === 'accounted').length, total: datasets.length };
}

const rank = (c: PathClass) => (c === 'unknown' ? 0 : c === 'cross-border' ? 1 : 2);

function dedupe(paths: TransferPath[]): TransferPath[] {
  const seen = new Map<string, TransferPath>();
  for (const p of paths) {
    const key = `${p.kind}\n${p.to}\n${p.via.join('>')}`;
    const prev = seen.get(key);
    if (!prev) seen.set(key, p);
    else if (!prev.evidence.includes(p.evidence)) prev.evidence = `${prev.evidence} | ${p.evidence}`;
  }
  return [...seen.values()];
}
