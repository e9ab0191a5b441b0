import { describe, expect, it } from 'vitest';
import { HistoryIndex } from './features.js';
import { HOUR_MS } from './forecast.js';
import type { HistoryChange, HistoryObject } from './history.js';
import { bumpedPins, generatedIdentity, pinsOf } from './pins.js';

describe('pinsOf', () => {
  it('names each pin by what it pins: an image reference, a sibling repository, a Flux ref one level up', () => {
    const pins = pinsOf({
      spec: {
        url: 'oci://ghcr.io/home-operations/charts/app-template',
        ref: { tag: '4.2.0' },
        values: {
          controllers: { main: { containers: { app: { image: { repository: 'ghcr.io/home-operations/sonarr', tag: '4.0.15' } } } } },
          sidecar: 'docker.io/library/busybox:1.37.0@sha256:0123456789abcdef0123',
        },
        chart: { spec: { chart: 'cert-manager', version: 'v1.17.2' } },
      },
    });
    expect(Object.fromEntries(pins)).toEqual({
      'oci://ghcr.io/home-operations/charts/app-template': '4.2.0',
      'ghcr.io/home-operations/sonarr': '4.0.15',
      'docker.io/library/busybox': '1.37.0@sha256:0123456789abcdef0123',
      'cert-manager': 'v1.17.2',
    });
  });

  it('keeps the field path as identity where nothing names the pinned thing, and ignores untagged references', () => {
    expect(Object.fromEntries(pinsOf({ data: { version: '2' }, other: 'ghcr.io/org/app' }))).toEqual({ 'data.version': '2' });
    // An untagged image beside a version key names what the version pins.
    expect(Object.fromEntries(pinsOf({ data: { version: '2', image: 'ghcr.io/org/app' } }))).toEqual({ 'ghcr.io/org/app': '2' });
  });
});

describe('bumpedPins', () => {
  it('is the pins whose version moved; a pin added or removed is not a bump', () => {
    const before = new Map([['a', '1'], ['b', '1'], ['gone', '1']]);
    const after = new Map([['a', '2'], ['b', '1'], ['new', '1']]);
    expect(bumpedPins(before, after)).toEqual(['a']);
    expect(bumpedPins(undefined, after)).toEqual([]);
  });
});

describe('generatedIdentity', () => {
  it("strips kustomize's ten-character content hash from generated ConfigMaps and Secrets only", () => {
    expect(generatedIdentity('ConfigMap', 'k8s://c/apps/ConfigMap/app-values-7t2k9m4bcd')).toBe('k8s://c/apps/ConfigMap/app-values');
    expect(generatedIdentity('Secret', 'k8s://c/apps/Secret/creds-g2h5k6m7t8')).toBe('k8s://c/apps/Secret/creds');
    // '0', '1', '3', 'a', 'e' never appear in kustomize's hash alphabet; other kinds are never generated.
    expect(generatedIdentity('ConfigMap', 'k8s://c/apps/ConfigMap/app-values-0123456789')).toBeUndefined();
    expect(generatedIdentity('Deployment', 'k8s://c/apps/Deployment/app-7t2k9m4bcd')).toBeUndefined();
    expect(generatedIdentity('ConfigMap', 'k8s://c/apps/ConfigMap/app-values')).toBeUndefined();
  });
});

describe('pin activity across objects', () => {
  const T0 = Date.parse('2026-03-01T00:00:00Z');
  const o = (name: string): HistoryObject => ({ urn: `k8s://c/apps/HelmRelease/${name}`, kind: 'HelmRelease', namespace: 'apps', name, neighbourhood: 'apps' });
  const a = o('a');
  const b = o('b');
  const c = (obj: HistoryObject, time: number, group: string, version: string, change: HistoryChange['change'] = 'modified'): HistoryChange =>
    ({ urn: obj.urn, time, author: 'renovate[bot]', origin: 'desired', change, group, keysTouched: [], pins: { 'ghcr.io/org/app': version } });

  it('sees a bump elsewhere as pending for an object that still holds the old version, and only up to the moment asked', () => {
    const changes = [c(a, T0, 'init', '1.0', 'added'), c(b, T0, 'init', '1.0', 'added'), c(a, T0 + 24 * HOUR_MS, 'bump', '1.1')];
    const index = new HistoryIndex({ objects: [a, b], changes });
    const track = index.tracks.findIndex((t) => t.object.urn === b.urn);
    const before = index.pinActivity(track, T0 + 12 * HOUR_MS)!;
    expect(before.bumps90d).toBe(0);
    expect(before.pending).toEqual([]);
    const after = index.pinActivity(track, T0 + 30 * HOUR_MS)!;
    expect(after.bumps90d).toBe(1);
    expect(after.hoursSinceBump).toBeCloseTo(6);
    expect(after.pending).toEqual([{ pin: 'ghcr.io/org/app', version: '1.1', held: '1.0' }]);
  });
});
