/**
 * Drift benchmarks: canonicalize + diff throughput, RBAC resolution, anomaly scoring. Anchors in the
 * same run: (a) serializing both sides of every pair and comparing the strings (the floor of reading
 * every field once), (b) the naive expansion of every binding into (subject, verb, resource) tuples.
 * Run: node --import tsx bench/drift.bench.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { diffDesiredLive } from '../shared/core/drift/diff-desired-live.js';
import { resolveEffectivePermissions } from '../shared/core/drift/rbac.js';
import { scoreChanges, ANOMALY_THRESHOLD } from '../shared/core/drift/anomaly.js';
import { generateAnomalyCorpus, measureDetection } from '../scripts/testing/fixtures/anomaly-corpus.js';

type Manifest = Record<string, any>;

// The shared corpora sit beside the checkout (/work/shared/corpora), as in the tests.
const CORPUS = fileURLToPath(new URL('../../shared/corpora/microservices-demo/release/kubernetes-manifests.yaml', import.meta.url));
const templates = parseAllDocuments(readFileSync(CORPUS, 'utf8'))
  .map((doc) => doc.toJS() as Manifest)
  .filter((doc) => doc && (doc.kind === 'Deployment' || doc.kind === 'Service'));

/** A live copy with the server's additions, and a real change in 1 object of 100. */
function liveOf(desired: Manifest, i: number): Manifest {
  const live = structuredClone(desired);
  live.metadata = { ...live.metadata, uid: `u${i}`, resourceVersion: String(i), generation: 2, creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }] };
  live.status = { observedGeneration: 2 };
  if (live.kind === 'Deployment') {
    Object.assign(live.spec, { revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    const pod = live.spec.template.spec;
    Object.assign(pod, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler' });
    for (const container of pod.containers) Object.assign(container, { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    if (i % 100 === 0) pod.containers[0].image += '-hotfix';
  } else {
    Object.assign(live.spec, { clusterIP: '10.0.0.1', sessionAffinity: 'None' });
    for (const port of live.spec.ports) port.protocol = 'TCP';
  }
  return live;
}

function benchDiff(objects: number): void {
  const pairs: [Manifest, Manifest][] = [];
  for (let i = 0; i < objects; i++) {
    const desired = structuredClone(templates[i % templates.length]);
    desired.metadata.name = `${desired.metadata.name}-${i}`;
    pairs.push([desired, liveOf(desired, i)]);
  }
  const start = performance.now();
  let drifts = 0;
  for (const [desired, live] of pairs) drifts += diffDesiredLive(desired, live).length;
  const seconds = (performance.now() - start) / 1000;
  const anchorStart = performance.now();
  let unequal = 0;
  for (const [desired, live] of pairs) if (JSON.stringify(desired) !== JSON.stringify(live)) unequal++;
  const anchor = (performance.now() - anchorStart) / 1000;
  console.log(`(a) canonicalize + diff: ${objects} objects in ${seconds.toFixed(2)} s = ${Math.round(objects / seconds).toLocaleString('en')} objects/s (${drifts} drifts); anchor: JSON.stringify both sides and compare ${anchor.toFixed(2)} s (${unequal} unequal, server fields included) → ${(seconds / anchor).toFixed(1)}×`);
}

function benchRbac(bindings: number): void {
  const namespaces = Array.from({ length: 100 }, (_, i) => `ns-${i}`);
  const clusterRoles = [
    { metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-view': 'true' } }] }, rules: [] },
    ...Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `cr-${i}`, labels: { 'aggregate-to-view': String(i % 5 === 0) } }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', `crd${i}`], verbs: ['get', 'list', 'watch'] }] })),
  ];
  const roles = namespaces.flatMap((ns) => Array.from({ length: 5 }, (_, i) => ({ metadata: { namespace: ns, name: `role-${i}` }, rules: [{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }] })));
  const roleBindings = Array.from({ length: Math.floor(bindings * 0.9) }, (_, i) => ({
    metadata: { namespace: namespaces[i % namespaces.length], name: `rb-${i}` },
    roleRef: i % 3 === 0 ? { kind: 'ClusterRole', name: i % 6 === 0 ? 'view' : `cr-${i % 50}` } : { kind: 'Role', name: `role-${i % 5}` },
    subjects: [{ kind: 'User', name: `user-${i % 700}` }, { kind: 'ServiceAccount', name: `sa-${i % 40}`, namespace: namespaces[i % namespaces.length] }],
  }));
  const clusterRoleBindings = Array.from({ length: bindings - roleBindings.length }, (_, i) => ({
    metadata: { name: `crb-${i}` }, roleRef: { kind: 'ClusterRole', name: `cr-${i % 50}` }, subjects: [{ kind: 'Group', name: `group-${i % 30}` }],
  }));
  const start = performance.now();
  const permissions = resolveEffectivePermissions({ roles, clusterRoles, roleBindings, clusterRoleBindings });
  const ms = performance.now() - start;
  // Anchor: every binding's subjects × its role's rules × verbs × resources, aggregation resolved by hand, no dedup.
  const anchorStart = performance.now();
  const roleRules = new Map<string, { resources: string[]; verbs: string[] }[]>();
  for (const r of roles) roleRules.set(`Role/${r.metadata.namespace}/${r.metadata.name}`, r.rules);
  for (const r of clusterRoles) roleRules.set(`ClusterRole/${r.metadata.name}`, r.rules);
  // 'view' aggregates the rules of the ClusterRoles labelled aggregate-to-view=true.
  roleRules.set('ClusterRole/view', clusterRoles.filter((r) => (r.metadata as { labels?: Record<string, string> }).labels?.['aggregate-to-view'] === 'true').flatMap((r) => r.rules));
  let tuples = 0;
  for (const b of [...roleBindings, ...clusterRoleBindings]) {
    const ns = (b.metadata as { namespace?: string }).namespace;
    const rules = roleRules.get(b.roleRef.kind === 'Role' ? `Role/${ns}/${b.roleRef.name}` : `ClusterRole/${b.roleRef.name}`) ?? [];
    for (const _s of b.subjects) for (const rule of rules) tuples += rule.verbs.length * rule.resources.length;
  }
  const anchorMs = performance.now() - anchorStart;
  console.log(`(b) RBAC: ${bindings} bindings → ${permissions.length.toLocaleString('en')} permissions in ${ms.toFixed(1)} ms = ${Math.round(permissions.length / (ms / 1000)).toLocaleString('en')} permissions/s; anchor: naive expansion to ${tuples.toLocaleString('en')} tuples (duplicates kept) ${anchorMs.toFixed(1)} ms → ${(ms / Math.max(anchorMs, 0.01)).toFixed(1)}×`);
}

function benchAnomaly(): void {
  const corpus = generateAnomalyCorpus({ seed: 42 });
  const start = performance.now();
  const scored = scoreChanges(corpus);
  const ms = performance.now() - start;
  const quality = measureDetection(corpus, new Map(scored.map((s) => [s.id, s.score])), ANOMALY_THRESHOLD);
  console.log(`(c) anomalies (a generated corpus: a regression check of the scorer, not an accuracy figure — accuracy is measured on public data): ${corpus.length} changes (${corpus.filter((c) => c.anomalous).length} labelled anomalous) scored in ${ms.toFixed(0)} ms; ` +
    `at ${ANOMALY_THRESHOLD}: precision ${quality.precision.toFixed(3)}, recall ${quality.recall.toFixed(3)}, F1 ${quality.f1.toFixed(3)} ` +
    `(TP ${quality.truePositives}, FP ${quality.falsePositives}, FN ${quality.falseNegatives})`);
}

/** Runs the three drift benchmarks and prints their figures. */
export async function run(): Promise<void> {
  benchDiff(100_000);
  benchRbac(5_000);
  benchAnomaly();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
