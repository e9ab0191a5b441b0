import { EMPTY_REGION_MAP, regionMapSchema, type RegionMap } from '../../core/egress/region-map.js';
import type { CapturedSource, EgressView } from '../../core/egress/rule.js';
import type { Store } from '../store/index.js';
import { lineageViewOf } from './analyzers/lineage-view.js';

/** Workspace meta key holding the `regions:` map of the last sources.yaml scanned. */
export const REGION_MAP_META = 'regionMap';

/** The user's region map (sources.yaml `regions:`), as saved by the last scan. */
export function regionMapOf(store: Store): RegionMap {
  const raw = store.meta(REGION_MAP_META);
  if (!raw) return EMPTY_REGION_MAP;
  const parsed = regionMapSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : EMPTY_REGION_MAP;
}

/** `host:port` a source was captured from, from its sources.yaml entry (live sources only). */
function addressesOf(kind: string, config: Record<string, unknown>): string[] {
  if (kind === 'mysql' && typeof config.host === 'string') return [`${config.host.toLowerCase()}:${Number(config.port ?? 3306)}`];
  if (kind === 'kafka' && Array.isArray(config.brokers)) return config.brokers.map((b) => String(b).toLowerCase());
  if (kind === 's3' && typeof config.endpoint === 'string') {
    try {
      const u = new URL(config.endpoint);
      return [`${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`];
    } catch {
      return [];
    }
  }
  return [];
}

/** The egress view of a workspace: its lineage view, the region map and where each source lives. */
export function egressViewOf(store: Store, options: { withoutRulePrefix?: string } = {}): EgressView {
  const sources: CapturedSource[] = store.sources().map((s) => ({ name: s.name, kind: s.kind, region: s.region, addresses: addressesOf(s.kind, s.config) }));
  return { ...lineageViewOf(store, options), regionMap: regionMapOf(store), sources };
}
