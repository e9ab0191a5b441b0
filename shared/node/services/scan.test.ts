import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { AppError } from '../../core/api/errors.js';
import type { ScanProgress } from '../../core/api/contract.js';
import { defineSource, type CaptureRecord } from '../sources/source.js';
import { registerSource } from '../sources/registry.js';
import { parseSourcesYaml } from '../sources/sources-file.js';
import { Store } from '../store/index.js';
import { runScan, REPORT_CAP } from './scan.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

/**
 * A source kind for exercising the pipeline itself (batching, snapshots, failures, cancellation,
 * progress). The real sources are tested against real servers in their own folders.
 */
const scripted = defineSource({
  kind: 'scripted',
  configSchema: z.object({ name: z.string(), kind: z.literal('scripted'), region: z.string(), count: z.number().default(10), failAt: z.number().optional(), badItems: z.number().default(0), slowMs: z.number().default(0) }),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  async *capture(config, ctx) {
    for (let i = 0; i < config.count; i++) {
      if (config.failAt === i) throw new AppError('SOURCE_UNREACHABLE', `scripted://${ctx.sourceName}: connection lost at item ${i}`);
      if (i < config.badItems) { ctx.fail(`item-${i}`, new Error(`item ${i} is malformed`)); continue; }
      if (config.slowMs) await new Promise((r) => setTimeout(r, config.slowMs));
      ctx.progress({ done: i + 1, total: config.count, item: `t${i}` });
      yield { type: 'node', node: { urn: `mysql://${ctx.sourceName}/db/t${i}`, kind: 'table', name: `t${i}`, source: ctx.sourceName } } satisfies CaptureRecord;
      yield { type: 'config', urn: `k8s://${ctx.sourceName}/ns/ConfigMap/c${i}`, origin: 'live', content: { kind: 'ConfigMap', metadata: { name: `c${i}`, resourceVersion: String(Math.random()) }, data: { v: String(i) } } } satisfies CaptureRecord;
    }
    yield { type: 'gap', item: 'secrets', reason: 'list secrets forbidden' };
    yield { type: 'checkpoint', key: 'pos', value: String(config.count) };
  },
});
registerSource(scripted);

const source = (name: string, extra: Record<string, unknown> = {}) => ({ name, kind: 'scripted', region: 'cn-north-1', config: { name, kind: 'scripted', region: 'cn-north-1', ...extra }, baseDir: tmp.dir });

describe('scan pipeline', () => {
  it('captures into an immutable snapshot with a content hash, progress and a checkpoint', async () => {
    const store = Store.open(tmp.path('a.driftline'), { create: true });
    const events: ScanProgress[] = [];
    const r = await runScan({ store, sources: [source('s1', { count: 1200 })], onProgress: (p) => events.push(p) });
    expect(r.ok).toBe(true);
    const snap = r.snapshots[0];
    expect(snap).toMatchObject({ status: 'complete', stats: { node: 1200, config: 1200, gap: 1, checkpoint: 1 } });
    expect(snap.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(snap.report.gaps).toEqual([{ item: 'secrets', reason: 'list secrets forbidden' }]);
    expect(store.checkpoint('s1', 'pos')).toBe('1200');
    expect(store.graph.counts().nodes).toBe(1200);
    expect(events.some((e) => e.phase === 'capturing' && e.total === 1200 && e.ratePerSecond >= 0)).toBe(true);
    expect(events.at(-1)?.phase).toBe('done');
    store.close();
  });

  it('re-scanning unchanged sources adds no changes; a changed object becomes a modified change', async () => {
    const store = Store.open(tmp.path('b.driftline'), { create: true });
    await runScan({ store, sources: [source('s2', { count: 3 })], analyze: false });
    const first = store.configs.changes().length;
    await runScan({ store, sources: [source('s2', { count: 3 })], analyze: false });
    expect(store.configs.changes().length).toBe(first);
    await runScan({ store, sources: [source('s2', { count: 2 })], analyze: false });
    const removed = store.configs.changes().filter((c) => c.change === 'removed');
    expect(removed.map((c) => c.urn)).toEqual(['k8s://s2/ns/ConfigMap/c2']);
    store.close();
  });

  it('a failing source keeps what it saved, is marked failed, and the next source still runs', async () => {
    const store = Store.open(tmp.path('c.driftline'), { create: true });
    const r = await runScan({ store, sources: [source('bad', { count: 1500, failAt: 1100 }), source('good', { count: 5 })], analyze: false });
    expect(r.ok).toBe(false);
    expect(r.snapshots.map((s) => s.status)).toEqual(['failed', 'complete']);
    expect(r.snapshots[0].report.error).toMatch(/connection lost at item 1100/);
    expect(store.graph.nodesWhere({ source: 'bad' }).length).toBe(1100);
    expect(store.graph.nodesWhere({ source: 'good' }).length).toBe(5);
    store.close();
  });

  it('caps per-item failures in the report and counts the rest', async () => {
    const store = Store.open(tmp.path('d.driftline'), { create: true });
    const r = await runScan({ store, sources: [source('noisy', { count: REPORT_CAP + 50, badItems: REPORT_CAP + 20 })], analyze: false });
    expect(r.snapshots[0].status).toBe('complete');
    expect(r.snapshots[0].report.failures).toHaveLength(REPORT_CAP);
    expect(r.snapshots[0].report.dropped.failures).toBe(20);
    expect(r.snapshots[0].report.failures[0]).toEqual({ item: 'item-0', message: 'item 0 is malformed' });
    store.close();
  });

  it('cancels: the snapshot is marked cancelled and what was saved stays', async () => {
    const store = Store.open(tmp.path('e.driftline'), { create: true });
    const controller = new AbortController();
    // Cancel once the capture is under way (by its progress, not a timer: CI machines are slow).
    const onProgress = (p: ScanProgress) => { if (p.done >= 20) controller.abort(); };
    const r = await runScan({ store, sources: [source('slow', { count: 1000, slowMs: 2 })], signal: controller.signal, analyze: false, onProgress });
    expect(r.snapshots[0].status).toBe('cancelled');
    const saved = store.graph.nodesWhere({ source: 'slow' }).length;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(1000);
    store.close();
  });

  it('marks snapshots left running by a crash as failed when the workspace opens', () => {
    const p = tmp.path('f.driftline');
    const s = Store.open(p, { create: true });
    s.upsertSource({ ...source('x'), config: {} });
    s.snapshots.begin('x');
    s.close();
    const again = Store.open(p);
    expect(again.snapshots.list()[0]).toMatchObject({ status: 'failed', report: { error: expect.stringContaining('interrupted') } });
    again.close();
  });
});

describe('sources.yaml', () => {
  it('parses valid entries', () => {
    const entries = parseSourcesYaml('sources:\n  - name: a\n    kind: scripted\n    region: cn-north-1\n    count: 3\n');
    expect(entries).toMatchObject([{ name: 'a', kind: 'scripted', region: 'cn-north-1', line: 2 }]);
  });

  it.each([
    ['sources:\n  - name: a\n    kind: [unclosed\n', /sources\.yaml:\d+:\d+: YAML error/, 'a YAML syntax error names line and column'],
    ['sources:\n  - name: a\n    kind: nosuch\n    region: x\n', /sources\.yaml:2 \(sources\[0\]\): unknown kind "nosuch"; use one of: .*scripted/, 'an unknown kind lists the known ones'],
    ['sources:\n  - name: a\n    kind: scripted\n', /sources\.yaml:2 .*region/, 'a missing region is named'],
    ['sources:\n  - name: a\n    kind: scripted\n    region: r\n    count: many\n', /count/, 'a kind-specific field with the wrong type is named'],
    ['sources:\n  - {name: a, kind: scripted, region: r}\n  - {name: a, kind: scripted, region: r}\n', /used twice/, 'duplicate names'],
    ['servers: []\n', /top-level "sources:" list/, 'the wrong top-level key'],
    ['sources:\n  - name: "bad name/with slash"\n    kind: scripted\n    region: r\n', /name/, 'a name that cannot be a URN authority'],
    ['a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nsources:\n  - name: a\n    kind: scripted\n    region: r\n    count: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', /alias|count/i, 'an alias bomb is refused, not expanded'],
  ])('rejects %j', (text, message) => {
    expect(() => parseSourcesYaml(text)).toThrowError(message as RegExp);
  });
});
