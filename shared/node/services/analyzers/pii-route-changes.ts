import { defaultRegionOf, diffConnectorRoutes, jurisdictionOf, piiHolders, type InferredEdge, type RouteDiff } from '../../../core/lineage/index.js';
import type { Finding } from '../../../core/model/finding.js';
import { datasetUrn } from '../../../core/model/urn.js';
import type { StoredChange } from '../../store/index.js';
import { defineAnalyzer } from './analyzer.js';
import { lineageViewOf } from './lineage-view.js';
import { explainReasons, type ReasonCode } from '../../../core/drift/anomaly-text.js';

const MAX_CHANGES = 10_000;

const fmt = (v: string | undefined): string => (v === undefined ? '(unset)' : v.length > 120 ? `${v.slice(0, 117)}…` : v);

/**
 * A configuration change that moves PII: a connector's table.include.list, topics,
 * s3.bucket.name… now sends PII somewhere else, or a column mask was removed. Each such change
 * becomes an `anomaly` finding linked to the flows it alters, with the old and new routes.
 */
export const piiRouteChangesAnalyzer = defineAnalyzer({
  name: 'pii-route-changes',
  order: 50,
  run(store, ctx) {
    const changes = store.configs.changes({ limit: MAX_CHANGES }).filter((c) => c.change === 'modified' && c.fromVersion !== null && c.toVersion !== null);
    const findings: Finding[] = [];
    if (changes.length === 0) {
      // Nothing changed (a first scan): no view to build, no flows to load.
      store.findings.replaceFor('pii-route-changes', findings);
      return { findings: 0 };
    }
    const view = lineageViewOf(store);
    const pii = piiHolders(view.nodes);
    const regionOf = defaultRegionOf(view);
    const flows = store.findings.list({ type: 'flow' }).map((f) => f.finding).filter((f): f is Extract<Finding, { type: 'flow' }> => f.type === 'flow');
    const versions = new Map<string, Map<number, unknown>>();
    const contentOf = (urn: string, id: number): unknown => {
      let byId = versions.get(urn);
      if (!byId) versions.set(urn, (byId = new Map(store.configs.versions(urn).map((v) => [v.id, v.content]))));
      return byId.get(id);
    };
    changes.forEach((change, i) => {
      if (i % 200 === 0) ctx.progress(i, changes.length, change.urn);
      const diff = diffConnectorRoutes(view, change.urn, contentOf(change.urn, change.fromVersion!), contentOf(change.urn, change.toVersion!));
      if (diff.changedKeys.length === 0) return;
      const carries = (e: InferredEdge) => pii.get(e.from) ?? pii.get(datasetUrn(e.from));
      const added = diff.added.filter(carries);
      const removed = diff.removed.filter(carries);
      const unmasked = diff.masksRemoved.filter((m) => pii.has(m.from));
      if (added.length + removed.length + unmasked.length === 0) return;
      const finding = routeChangeFinding(change, diff, { added, removed, unmasked }, { pii, regionOf, flows });
      findings.push(finding);
    });
    store.findings.replaceFor('pii-route-changes', findings);
    return { findings: findings.length };
  },
});

interface Context {
  pii: Map<string, Set<string>>;
  regionOf: (urn: string) => string | undefined;
  flows: Extract<Finding, { type: 'flow' }>[];
}

function routeChangeFinding(change: StoredChange, diff: RouteDiff, moved: { added: InferredEdge[]; removed: InferredEdge[]; unmasked: RouteDiff['masksRemoved'] }, ctx: Context): Finding {
  const entitiesOf = (urn: string) => [...(ctx.pii.get(urn) ?? ctx.pii.get(datasetUrn(urn)) ?? [])].sort();
  // Dataset-level edges read best; field-level ones are counted.
  const datasetEdges = (list: InferredEdge[]) => list.filter((e) => !e.from.includes('#') && !e.to.includes('#'));
  const crossesBorder = moved.added.some((e) => {
    const a = jurisdictionOf(ctx.regionOf(e.from));
    const b = jurisdictionOf(ctx.regionOf(e.to));
    return a !== undefined && b !== undefined && a !== b;
  });
  const touched = new Set([...moved.added, ...moved.removed].flatMap((e) => [datasetUrn(e.from), datasetUrn(e.to)]).concat(moved.unmasked.flatMap((m) => [datasetUrn(m.from), datasetUrn(m.to)])));
  const altered = ctx.flows.filter((f) => f.path.some((u) => touched.has(u)) || touched.has(f.to) || touched.has(f.from));
  const place = (urn: string) => ({ urn, region: ctx.regionOf(urn) ?? '' });
  const reasons: ReasonCode[] = [
    { code: 'route-keys', params: { keys: diff.changedKeys.map((k) => `${k.connector}: ${k.key} ${fmt(k.before)} → ${fmt(k.after)}`), change: change.id, time: change.time, author: change.author ?? '' } },
    ...datasetEdges(moved.added).map((e) => ({ code: 'route-now', params: { entities: entitiesOf(e.from), from: place(e.from).urn, fromRegion: place(e.from).region, to: place(e.to).urn, toRegion: place(e.to).region, sinks: e.kind === 'sinks' } })),
    ...datasetEdges(moved.removed).map((e) => ({ code: 'route-no-longer', params: { from: place(e.from).urn, fromRegion: place(e.from).region, to: place(e.to).urn, toRegion: place(e.to).region, sinks: e.kind === 'sinks' } })),
    ...moved.unmasked.map((m) => ({ code: 'mask-removed', params: { from: m.from, to: m.to, mask: m.mask.detail, entities: entitiesOf(m.from) } })),
    { code: 'route-counts', params: { added: moved.added.length, removed: moved.removed.length, masks: moved.unmasked.length } },
    altered.length
      ? { code: 'route-flows', params: { flows: altered.map((f) => `${f.from} → ${f.to} [${f.entities.join(', ')}] ${f.fromRegion}→${f.toRegion}`) } }
      : { code: 'route-no-flows', params: {} },
  ];
  const score = Math.min(1, 0.6 + (moved.unmasked.length ? 0.3 : 0) + (crossesBorder ? 0.2 : 0));
  return {
    type: 'anomaly', rule: 'anomaly.pii-route-change', urn: change.urn,
    severity: moved.unmasked.length || crossesBorder ? 'high' : 'medium', confidence: 0.8,
    score: Math.round(score * 100) / 100,
    explanation: explainReasons(reasons, 'en'),
    reasons,
    evidence: `change #${change.id}${change.author ? ` by ${change.author}` : ''} at ${change.time}: ${describePatch(change.patch)}`,
    changeId: change.id,
  };
}

/** "replace /spec/config/s3.bucket.name = "lake-eu"; …": the patch as a person reads it. */
function describePatch(patch: unknown[]): string {
  const ops = patch as Array<{ op?: string; path?: string; value?: unknown }>;
  const text = ops.slice(0, 6).map((o) => `${o.op ?? '?'} ${o.path ?? ''}${'value' in o ? ` = ${JSON.stringify(o.value).slice(0, 80)}` : ''}`).join('; ');
  return ops.length > 6 ? `${text}; and ${ops.length - 6} more operation(s)` : text || '(no operations)';
}
