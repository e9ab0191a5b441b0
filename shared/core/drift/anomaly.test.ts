import { describe, expect, it } from 'vitest';
import { ANOMALY_THRESHOLD, scoreChanges, type ChangeEvent } from './anomaly.js';
import { generateAnomalyCorpus, measureDetection } from '../../../scripts/testing/fixtures/anomaly-corpus.js';

/** 60 ordinary weekday-daytime changes to one object by its team, then one probe change. */
function historyWith(probe: Partial<ChangeEvent>): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const day = 1 + (i % 5) + 7 * Math.floor(i / 5); // Monday–Friday of successive weeks (2024-01-01 is a Monday)
    const time = new Date(Date.UTC(2024, 0, day, 9 + (i % 9), (i * 7) % 60)).toISOString();
    events.push({ id: `n${i}`, urn: 'k8s://p/shop/Deployment/web', namespace: 'shop', time, author: ['alice', 'bob', 'carol'][i % 3], keysTouched: ['spec.template.spec.containers[web].env[LOG_LEVEL].value'] });
  }
  events.push({ id: 'probe', urn: 'k8s://p/shop/Deployment/web', namespace: 'shop', time: '2024-03-13T11:00:00Z', author: 'alice', keysTouched: ['spec.template.spec.containers[web].env[LOG_LEVEL].value'], ...probe });
  return events;
}
const probeOf = (events: ChangeEvent[]) => scoreChanges(events).find((s) => s.id === 'probe')!;

describe('scoreChanges', () => {
  it('finds nothing unusual in a routine change', () => {
    const probe = probeOf(historyWith({}));
    expect(probe.score).toBeLessThan(0.2);
    expect(probe.explanation).toMatch(/^nothing unusual/);
  });

  it.each<[string, Partial<ChangeEvent>, RegExp]>([
    ['a Sunday night change', { time: '2024-03-17T03:12:00Z' }, /changed at 03:12 on a Sunday; this object is usually changed on weekdays 09–17 \(0 of 60 changes within an hour of 03:00\)/],
    ['an author new to the namespace', { author: 'mallory' }, /author mallory has never changed namespace shop before \(0 of 60 changes there\)/],
    ['a privileged container', { keysTouched: ['spec.template.spec.containers[web].securityContext.privileged'] }, /touches securityContext.privileged/],
    ['scaling to zero', { keysTouched: ['spec.replicas'], patch: [{ op: 'replace', path: '/spec/replicas', value: 0 }] }, /touches replicas → 0/],
    ['a very large change', { keysTouched: Array.from({ length: 40 }, (_, i) => `data.k${i}`) }, /touches 40 keys \(40 patch ops\); this object's changes usually touch 1/],
  ])('flags %s and says why with numbers', (_reason, probe, explanation) => {
    const scored = probeOf(historyWith(probe));
    expect(scored.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
    expect(scored.explanation).toMatch(explanation);
  });

  it('judges a change only seen between snapshots by what it touched, not by an unknown author or the snapshot\'s time', () => {
    // A Sunday-night snapshot by a pseudo-author would otherwise look like a newcomer at night.
    const seen = probeOf(historyWith({ time: '2024-03-17T03:12:00Z', author: 'unknown (seen live in p)', observedOnly: true }));
    expect(seen.score).toBeLessThan(ANOMALY_THRESHOLD);
    expect(seen.reasons.map((r) => r.feature)).toEqual([]);
    const bypass = probeOf(historyWith({ time: '2024-03-17T03:12:00Z', author: 'unknown (seen live in p)', observedOnly: true, outsideGitOps: true }));
    expect(bypass.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
    expect(bypass.explanation).toMatch(/changed in the cluster outside GitOps/);
    expect(bypass.explanation).not.toMatch(/Sunday|never changed/);
  });

  it('flags a burst of one author\'s changes', () => {
    const events = historyWith({});
    for (let i = 0; i < 14; i++) events.push({ id: `burst${i}`, urn: `k8s://p/shop/ConfigMap/c${i}`, namespace: 'shop', time: new Date(Date.UTC(2024, 2, 14, 11, 0, i * 20)).toISOString(), author: 'bob', keysTouched: ['data.x'] });
    const burst = scoreChanges(events).find((s) => s.id === 'burst7')!;
    expect(burst.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
    expect(burst.explanation).toMatch(/author bob made 14 changes within 10 minutes either side/);
  });

  it('does not let a newcomer\'s night burst become the newcomer\'s own habit', () => {
    // Four changes, Sunday 03:02–03:08, by an author never seen in the namespace: each is compared with
    // the history outside the burst, so hour and author stay unusual for all four.
    const events = historyWith({});
    for (let i = 0; i < 4; i++) events.push({ id: `night${i}`, urn: 'k8s://p/shop/Deployment/web', namespace: 'shop', time: new Date(Date.UTC(2024, 2, 17, 3, 2 + 2 * i)).toISOString(), author: 'mallory', keysTouched: ['spec.template.spec.containers[web].env[LOG_LEVEL].value'] });
    const scored = scoreChanges(events).filter((s) => s.id.startsWith('night'));
    expect(scored).toHaveLength(4);
    for (const s of scored) {
      expect(s.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
      expect(s.explanation).toMatch(/changed at 03:0\d on a Sunday; this object is usually changed on weekdays 09–17 \(0 of 61 changes within an hour of 03:00\)/);
      expect(s.explanation).toContain('author mallory has never changed namespace shop before (0 of 61 changes there)');
    }
  });

  it('measures a burst against the author\'s bursts outside it', () => {
    // dave's only changes are one burst of 14: he has no habit of bursts, so 14 at once is unusual.
    const events = historyWith({});
    for (let i = 0; i < 14; i++) events.push({ id: `burst${i}`, urn: `k8s://p/shop/ConfigMap/c${i}`, namespace: 'shop', time: new Date(Date.UTC(2024, 2, 14, 11, 0, i * 20)).toISOString(), author: 'dave', keysTouched: ['data.x'] });
    const burst = scoreChanges(events).find((s) => s.id === 'burst7')!;
    expect(burst.reasons.find((r) => r.feature === 'burst')?.text).toBe('author dave made 14 changes within 10 minutes either side (usually at most 1)');
  });

  it('still knows an author whose bursts are routine', () => {
    // erin releases in bursts of 14 every week; this week's burst is her habit, not an anomaly.
    const events = historyWith({});
    for (let week = 0; week < 6; week++) {
      for (let i = 0; i < 14; i++) events.push({ id: `w${week}b${i}`, urn: `k8s://p/shop/ConfigMap/c${i}`, namespace: 'shop', time: new Date(Date.UTC(2024, 0, 2 + 7 * week, 11, 0, i * 20)).toISOString(), author: 'erin', keysTouched: ['data.x'] });
    }
    const burst = scoreChanges(events).find((s) => s.id === 'w5b7')!;
    expect(burst.reasons.map((r) => r.feature)).not.toContain('burst');
    expect(burst.score).toBeLessThan(ANOMALY_THRESHOLD);
  });

  it('is less surprised by a sensitive key the object routinely changes', () => {
    const routineImage = historyWith({ keysTouched: ['spec.template.spec.containers[web].image'] }).map((e) => ({ ...e, keysTouched: ['spec.template.spec.containers[web].image'] }));
    const firstImage = historyWith({ keysTouched: ['spec.template.spec.containers[web].image'] });
    expect(probeOf(routineImage).score).toBeLessThan(probeOf(firstImage).score);
  });

  it('is deterministic and independent of input order', () => {
    const events = historyWith({ time: '2024-03-17T03:12:00Z', author: 'mallory' });
    const forward = scoreChanges(events);
    const backward = scoreChanges([...events].reverse()).reverse();
    expect(backward).toEqual(forward);
  });
});

describe('anomaly detection on the labelled corpus', () => {
  const corpus = generateAnomalyCorpus({ seed: 42 });

  it('has at least 5,000 changes with several kinds of labelled anomalies', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(5000);
    const types = new Set(corpus.filter((c) => c.anomalous).map((c) => c.anomalyType));
    expect([...types].sort()).toEqual(['burst', 'foreign-author', 'large-change', 'off-hours', 'sensitive']);
    expect(new Set(corpus.map((c) => c.author)).size).toBeGreaterThan(30);
    expect(generateAnomalyCorpus({ seed: 42 })).toEqual(corpus);
  });

  it.each([42, 7])('reaches precision ≥ 0.9 and recall ≥ 0.9 at the threshold (seed %i)', (seed) => {
    const labelled = seed === 42 ? corpus : generateAnomalyCorpus({ seed });
    const scores = new Map(scoreChanges(labelled).map((s) => [s.id, s.score]));
    const quality = measureDetection(labelled, scores, ANOMALY_THRESHOLD);
    expect(quality.precision).toBeGreaterThanOrEqual(0.9);
    expect(quality.recall).toBeGreaterThanOrEqual(0.9);
  });
});
