import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { corporaDir } from '../../../scripts/testing/corpora.js';
import { REPLICAS_POINTER, replicaOwners, workloadKey } from './autoscaling.js';
import { diffDesiredLive } from './diff-desired-live.js';

/*
 * Real manifests: the frontend Deployment of GoogleCloudPlatform/microservices-demo (no replicas in
 * its manifest) and home-ops' zeroscaler HPA (scales 0–1), with its Flux variables substituted as
 * Flux's postBuild would. The live Deployment is the desired one scaled to 0 by that HPA.
 */
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
const demo = parseAllDocuments(readFileSync(join(corporaDir(), 'microservices-demo', 'release', 'kubernetes-manifests.yaml'), 'utf8')).map((d) => d.toJS() as Manifest);
const frontend = { ...demo.find((m) => m.kind === 'Deployment' && m.metadata.name === 'frontend')!, metadata: { name: 'frontend', namespace: 'shop' } };
const hpaText = readFileSync(join(import.meta.dirname, '../../../scripts/testing/fixtures/home-ops-zeroscaler/horizontalpodautoscaler.yaml'), 'utf8')
  .replaceAll('${APP}', 'frontend').replaceAll('${CONTROLLER:=Deployment}', 'Deployment').replace(/\$\{[A-Z_]+:=([^}]+)\}/g, '$1');
const hpa = { ...(parseAllDocuments(hpaText)[0].toJS() as Manifest), metadata: { name: 'frontend', namespace: 'shop' } };
const scaledToZero = { ...frontend, spec: { ...frontend.spec, replicas: 0 } };

describe('replica counts an autoscaler owns', () => {
  it('the manifests are as described: no replicas in the Deployment, an HPA that targets it', () => {
    expect(frontend.spec && 'replicas' in frontend.spec).toBe(false);
    expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' });
  });

  it('finds HPA and KEDA ScaledObject targets (KEDA defaults the kind to Deployment)', () => {
    const keda = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'worker', namespace: 'jobs' }, spec: { scaleTargetRef: { name: 'worker' } } };
    const owners = replicaOwners([hpa, keda, frontend, null, { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', metadata: { name: 'x' }, spec: {} }]);
    expect([...owners]).toEqual([
      [workloadKey('shop', 'Deployment', 'frontend'), 'HorizontalPodAutoscaler shop/frontend'],
      [workloadKey('jobs', 'Deployment', 'worker'), 'ScaledObject jobs/worker'],
    ]);
  });

  it('a live count the manifest leaves unset is drift without an autoscaler (scaled by hand) and not with one', () => {
    expect(diffDesiredLive(frontend, scaledToZero)).toEqual([{ path: REPLICAS_POINTER, desired: undefined, live: 0, kind: 'unmanaged-live' }]);
    const owned = replicaOwners([hpa]).has(workloadKey('shop', 'Deployment', 'frontend'));
    expect(owned).toBe(true);
    expect(diffDesiredLive(frontend, scaledToZero, { ownedElsewhere: [REPLICAS_POINTER] })).toEqual([]);
    // The server default (1) was never drift.
    expect(diffDesiredLive(frontend, { ...frontend, spec: { ...frontend.spec, replicas: 1 } })).toEqual([]);
  });

  it('a count the manifest does set is still compared: the manifest states it', () => {
    const pinned = { ...frontend, spec: { ...frontend.spec, replicas: 2 } };
    expect(diffDesiredLive(pinned, scaledToZero, { ownedElsewhere: [REPLICAS_POINTER] })).toEqual([{ path: REPLICAS_POINTER, desired: 2, live: 0, kind: 'modified' }]);
  });
});
