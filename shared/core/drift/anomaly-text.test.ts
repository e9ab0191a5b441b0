import { describe, expect, it } from 'vitest';
import { explainReasons, reasonText } from './anomaly-text.js';
import { scoreChanges, notableReasons, type ChangeEvent } from './anomaly.js';

function history(): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const day = 1 + (i % 5) + 7 * Math.floor(i / 5);
    events.push({ id: `n${i}`, urn: 'k8s://p/shop/Deployment/web', namespace: 'shop', time: new Date(Date.UTC(2024, 0, day, 9 + (i % 9), 5)).toISOString(), author: ['alice', 'bob'][i % 2], keysTouched: ['data.x'] });
  }
  events.push({ id: 'probe', urn: 'k8s://p/shop/Deployment/web', namespace: 'shop', time: '2024-03-17T03:12:00Z', author: 'mallory', keysTouched: ['spec.template.spec.containers[web].securityContext.privileged'] });
  return events;
}

describe('anomaly explanations in two languages', () => {
  const probe = scoreChanges(history()).find((s) => s.id === 'probe')!;
  const reasons = notableReasons(probe.reasons);

  it('keeps each reason as a code and its numbers, and the English sentence is built from them', () => {
    expect(reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['time-of-day', 'author-new-namespace', 'sensitive']));
    expect(explainReasons(reasons, 'en')).toBe(probe.explanation);
  });

  it('says the same reasons in Simplified Chinese, numbers and all', () => {
    const zh = explainReasons(reasons, 'zh-CN');
    expect(zh).toMatch(/于周日 03:12 变更/);
    expect(zh).toMatch(/作者 mallory 此前从未变更过命名空间 shop（该处共 60 次变更）/);
    expect(zh).toMatch(/特权容器（securityContext\.privileged）/);
    expect(zh).not.toMatch(/changed at|author|touches/);
  });

  it('says a weekday clause without repeating the time after a time clause', () => {
    const both = explainReasons([
      { code: 'time-of-day', params: { time: '03:12', weekday: 0, weekdaysOnly: true, range: '09–17', near: 0, history: 60, hour: '03' } },
      { code: 'weekday', params: { time: '03:12', weekday: 0, sameDay: 0, history: 60 } },
    ], 'en');
    expect(both.match(/03:12/g)).toHaveLength(1);
    expect(both).toMatch(/0 of 60 changes to this object were on a Sunday/);
  });

  it('names a reason it does not know by its code (a newer Driftline wrote it)', () => {
    expect(reasonText({ code: 'quantum-drift', params: {} }, 'zh-CN')).toBe('quantum-drift');
  });
});
