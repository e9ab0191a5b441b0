import { describe, expect, it } from 'vitest';
import { backtest } from './backtest.js';
import { HistoryIndex, FEATURES } from './features.js';
import { forecast, HOUR_MS } from './forecast.js';
import type { History, HistoryChange, HistoryObject } from './history.js';
import { explainPrediction } from './reasons.js';

/*
 * Behaviour on a small history written for the test (accuracy is measured on the real GitOps
 * history in bench/predict.bench.ts): a bot bumps "fast" every day, "weekly" changes every 7
 * days, "shy" once a month with its partner "shy-twin", "frozen" never after creation.
 */
const DAY = 24 * HOUR_MS;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function object(name: string, kind = 'HelmRelease'): HistoryObject {
  return { urn: `k8s://c/apps/${kind}/${name}`, kind, namespace: 'apps', name, neighbourhood: `apps/${name}` };
}

function change(o: HistoryObject, time: number, group: string, extra: Partial<HistoryChange> = {}): HistoryChange {
  return { urn: o.urn, time, author: 'renovate[bot]', origin: 'desired', change: 'modified', group, keysTouched: ['spec.values.image.tag'], message: 'fix(container): update image x (1.0.1 ➔ 1.0.2)', ...extra };
}

function history(days: number): History {
  const fast = object('fast');
  const weekly = object('weekly');
  const shy = object('shy');
  const twin = object('shy-twin', 'ConfigMap');
  const frozen = object('frozen', 'Namespace');
  const objects = [fast, weekly, shy, twin, frozen];
  const changes: HistoryChange[] = objects.map((o) => change(o, T0, 'init', { change: 'added', keysTouched: [], author: 'maintainer-1' }));
  for (let d = 1; d < days; d++) {
    changes.push(change(fast, T0 + d * DAY + 9 * HOUR_MS, `f${d}`));
    if (d % 7 === 0) changes.push(change(weekly, T0 + d * DAY + 10 * HOUR_MS, `w${d}`, { author: 'maintainer-1', keysTouched: ['spec.values.replicas'], message: 'tune' }));
    if (d % 30 === 15) {
      changes.push(change(shy, T0 + d * DAY + 11 * HOUR_MS, `s${d}`, { author: 'maintainer-1' }));
      changes.push(change(twin, T0 + d * DAY + 11 * HOUR_MS, `s${d}`, { author: 'maintainer-1', keysTouched: ['data.config'] }));
    }
  }
  return { objects, changes };
}

describe('forecast', () => {
  const h = history(200);
  const asOf = T0 + 150 * DAY;

  it('ranks the objects by how likely they change within the horizon, with reasons in both languages', () => {
    const f = forecast(h, asOf);
    expect(f.model.kind).toBe('gbdt');
    expect(f.horizonHours).toBe(72);
    const order = f.predictions.map((p) => p.name);
    expect(order[0]).toBe('fast');
    expect(order.indexOf('weekly')).toBeLessThan(order.indexOf('frozen'));
    const fast = f.predictions[0];
    expect(fast.probability).toBeGreaterThan(0.9);
    expect(f.predictions.find((p) => p.name === 'frozen')!.probability).toBeLessThan(0.1);
    for (const p of f.predictions) {
      expect(p.probability).toBeGreaterThanOrEqual(0);
      expect(p.probability).toBeLessThanOrEqual(1);
      expect(p.unusual).toBeLessThanOrEqual(p.probability);
      expect(p.reasons.length).toBeGreaterThan(0);
    }
    expect(explainPrediction(fast.reasons, 'en')).toMatch(/[a-z]/);
    const zh = explainPrediction(fast.reasons, 'zh-CN');
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(zh).not.toMatch(/\{\w+\}/); // every placeholder filled
  });

  it('filters by kind', () => {
    const f = forecast(h, asOf, { kinds: ['configmap'] });
    expect(f.predictions.map((p) => p.name)).toEqual(['shy-twin']);
  });

  it('cannot be changed by history after as-of (no look-ahead)', () => {
    const base = forecast(h, asOf);
    // The future: a flood of changes to "frozen", a new object, and a different life for "fast".
    const frozen = h.objects.find((o) => o.name === 'frozen')!;
    const newcomer = object('newcomer');
    const future: History = {
      objects: [...h.objects, newcomer],
      changes: [
        ...h.changes,
        ...Array.from({ length: 40 }, (_, i) => change(frozen, asOf + (i + 1) * HOUR_MS, `future${i}`, { author: 'someone-new', keysTouched: ['spec.privileged'] })),
        change(newcomer, asOf + 1, 'future-new', { change: 'added' }),
      ],
    };
    expect(forecast(future, asOf)).toEqual(base);
  });

  it('computes features only from changes up to the moment asked about', () => {
    const full = new HistoryIndex(h);
    const past = new HistoryIndex({ objects: h.objects, changes: h.changes.filter((c) => c.time <= asOf) });
    for (let i = 0; i < full.tracks.length; i++) {
      expect(Array.from(full.features(i, asOf, 72 * HOUR_MS))).toEqual(Array.from(past.features(i, asOf, 72 * HOUR_MS)));
    }
    expect(FEATURES.length).toBeGreaterThan(20);
  });

  it('falls back to each object’s own rate when the history is too short for trees, and says so', () => {
    const f = forecast(history(12), T0 + 11 * DAY);
    expect(f.model.kind).toBe('rate');
    expect(f.model.note).toMatch(/fewer than 20/);
    expect(f.predictions[0].name).toBe('fast');
  });
});

describe('backtest', () => {
  it('beats both baselines where the rhythm is learnable, and reports every measure', () => {
    const r = backtest(history(240), { testDays: 60, retrainDays: 30, kinds: ['ConfigMap'] });
    expect(r.origins).toBeGreaterThan(50);
    const all = r.subsets[0];
    expect(all.subset).toBe('all');
    expect(all.model.auc).toBeGreaterThan(0.9);
    expect(all.model.auc!).toBeGreaterThan(all.frequency.auc!);
    expect(all.model.brier!).toBeLessThan(all.baseRate.brier!);
    expect(all.model.precisionAt10).not.toBeNull();
    expect(r.subsets[1].subset).toBe('ConfigMap');
    // Five objects per origin: precision@10 can never exceed the share that changed.
    expect(all.precisionAt10Ceiling!).toBeLessThanOrEqual(1);
  });
});
