import type { Severity } from '../model/finding.js';
import { jurisdictionOf } from '../lineage/regions.js';

/**
 * How severe a configuration difference is, from what the change does rather than where it sits:
 * a change that moves data to another jurisdiction, opens access or removes a mask is High; one
 * that changes what code runs or with which rights is High; capacity (replicas, resources) is Low.
 * Used for desired-vs-live drift and for cluster-vs-cluster comparisons, so both rank alike.
 */

/** Why a difference got its severity, as a code the studio and report can name. */
export type SeverityReason = 'moves-data-abroad' | 'removes-mask' | 'opens-access' | 'rights-or-code' | 'access-object' | 'credential' | 'capacity' | 'whole-object' | 'configuration';

export interface ChangeSeverity {
  severity: Severity;
  reason: SeverityReason;
}

/** Fields whose change alters what code runs or with which rights. */
const SECURITY_PATH = new RegExp([
  'securityContext', '/privileged(/|$)', '/allowPrivilegeEscalation$', '/capabilities(/|$)', '/image$',
  '^/(rules|subjects|roleRef)(/|$)', '/serviceAccount(Name)?$', '/automountServiceAccountToken$',
  '/host(Network|PID|IPC)$', '/hostPath(/|$)',
  // A whole container added or removed runs code nobody approved (or drops a sidecar that enforced something).
  '/(initContainers|containers|ephemeralContainers)/[0-9]+$',
].join('|'));
/** Fields that change capacity or cost, not rights nor where data goes. */
const CAPACITY_PATH = /\/replicas$|\/resources(\/|$)/;
/** Kinds that grant or restrict access: a whole such object out of step is High. */
const ACCESS_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'NetworkPolicy', 'ServiceAccount', 'PodSecurityPolicy']);
/** Settings that say where a connector, replication or export writes (`s3.region`, `store.url`, endpoints, buckets). */
const DESTINATION_PATH = /region|endpoint|bucket|(^|[./])url$|host(name)?$|destination/i;
/** Settings that mask or drop values on the way (Debezium column.mask.*, Connect MaskField/ReplaceField SMTs). */
const MASK_PATH = /mask|transforms|ReplaceField|exclude|blacklist|denylist/i;
/** Service types that expose a workload outside the cluster. */
const EXPOSED_SERVICE = new Set(['LoadBalancer', 'NodePort']);

const text = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The jurisdiction a value names: a region (`eu-west-1`) or an endpoint/URL that contains one. */
function jurisdictionIn(value: unknown): string | undefined {
  const s = text(value);
  const direct = jurisdictionOf(s);
  if (direct) return direct;
  const region = /\b((?:cn|eu|us|ap|me|sa|ca|af|il)-[a-z]+-\d|europe-[a-z]+\d|asia-[a-z]+\d|cn-[a-z]+)\b/.exec(s);
  return region ? jurisdictionOf(region[1]) : undefined;
}

/**
 * The severity of a difference at `path` ("" = the whole object) of an object of `kind`,
 * from `desired` (approved / older) to `live` (running / newer); values may be absent.
 */
export function changeSeverity(kind: string, path: string, desired?: unknown, live?: unknown): ChangeSeverity {
  if (path === '') return ACCESS_KINDS.has(kind) ? { severity: 'high', reason: 'access-object' } : { severity: 'medium', reason: 'whole-object' };
  const from = jurisdictionIn(desired), to = jurisdictionIn(live);
  if (DESTINATION_PATH.test(path) && from !== undefined && to !== undefined && from !== to) return { severity: 'high', reason: 'moves-data-abroad' };
  if (MASK_PATH.test(path) && desired !== undefined && (live === undefined || (/mask|replace|hash/i.test(text(desired)) && !/mask|replace|hash/i.test(text(live))))) {
    return { severity: 'high', reason: 'removes-mask' };
  }
  if (/\/type$/.test(path) && kind === 'Service' && EXPOSED_SERVICE.has(text(live)) && !EXPOSED_SERVICE.has(text(desired))) return { severity: 'high', reason: 'opens-access' };
  if (/^\/rules\/\d+\/(verbs|resources|apiGroups)/.test(path) && /"\*"|^\*$/.test(text(live))) return { severity: 'high', reason: 'opens-access' };
  if (kind === 'NetworkPolicy' && desired !== undefined && live === undefined) return { severity: 'high', reason: 'opens-access' };
  if (SECURITY_PATH.test(path)) return { severity: 'high', reason: 'rights-or-code' };
  // A Secret value that differs means the workload runs with credentials nobody approved.
  if (kind === 'Secret' && /^\/data\//.test(path)) return { severity: 'medium', reason: 'credential' };
  if (CAPACITY_PATH.test(path)) return { severity: 'low', reason: 'capacity' };
  return { severity: 'low', reason: 'configuration' };
}
