import { copyFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../../scripts/build-demo.js';
import { scaleEstateSource } from '../../../../scripts/testing/fixtures/scale-source.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { wholeGraphReads } from '../../../../scripts/testing/whole-graph-reads.js';
import type { AnalysisReads } from '../../store/analysis-reads.js';
import { Store } from '../../store/index.js';
import { runAnalyzers } from '../analyze.js';
import { runScan } from '../scan.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

/** Everything the analyzers leave in a workspace, in a stable order. */
function outputs(store: Store) {
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    findings: sorted(store.db.prepare(`SELECT type, rule, urn, severity, confidence, producer, finding_json FROM findings`).all()),
    edges: sorted(store.graph.allEdges()),
    nodes: sorted(store.graph.nodesWhere()),
    meta: sorted(store.db.prepare(`SELECT key, value FROM meta WHERE key NOT LIKE '%upto%' AND key <> 'writer'`).all()),
  };
}

/** Rows only one side has, per part (both directions), so a failure names what differs. */
function differences(a: ReturnType<typeof outputs>, b: ReturnType<typeof outputs>) {
  const out: Record<string, { onlyStreamed: string[]; onlyWhole: string[] }> = {};
  for (const part of Object.keys(a) as (keyof typeof a)[]) {
    const inB = new Set(b[part]);
    const inA = new Set(a[part]);
    out[part] = { onlyStreamed: a[part].filter((x) => !inB.has(x)).slice(0, 5), onlyWhole: b[part].filter((x) => !inA.has(x)).slice(0, 5) };
  }
  return out;
}
const NONE = { onlyStreamed: [], onlyWhole: [] };
const SAME = { findings: NONE, edges: NONE, nodes: NONE, meta: NONE };

/** Runs every analyzer on two copies of `path`: streamed (as shipped) and reading the whole graph. */
async function bothWays(path: string) {
  const copies = ['streamed', 'whole'].map((way) => {
    const copy = `${path}.${way}`;
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return copy;
  });
  const streamed = Store.open(copies[0]);
  const whole = Store.open(copies[1]);
  (whole as { analysis: AnalysisReads }).analysis = wholeGraphReads(whole);
  try {
    for (const store of [streamed, whole]) {
      const results = await runAnalyzers(store, { scanId: 'compare', signal: new AbortController().signal });
      expect(results.filter((r) => r.error)).toEqual([]);
    }
    const relevant = [...streamed.analysis.relevantNodes()].length;
    return { streamed: outputs(streamed), whole: outputs(whole), relevant, nodes: streamed.graph.counts().nodes };
  } finally {
    streamed.close();
    whole.close();
  }
}

describe('analyzers over streamed store reads give what they gave over the whole graph', () => {
  let demoPath: string;
  let estatePath: string;
  beforeAll(async () => {
    demoPath = tmp.path('demo.driftline');
    await buildDemo(demoPath, { quiet: true });
    estatePath = tmp.path('estate.driftline');
    const store = Store.open(estatePath, { create: true });
    try {
      const r = await runScan({ store, sources: [scaleEstateSource(30_000, tmp.dir)], analyze: false });
      expect(r.ok).toBe(true);
    } finally {
      store.close();
    }
  }, 240_000);

  it('on the demo workspace: the same findings, edges, nodes (PII inherited) and coverage', async () => {
    const r = await bothWays(demoPath);
    expect(r.streamed.findings.length).toBeGreaterThan(20);
    expect(differences(r.streamed, r.whole)).toEqual(SAME);
    expect(r.streamed).toEqual(r.whole);
  }, 120_000);

  it('on a generated 30k-node estate, where most columns are left to lookups', async () => {
    const r = await bothWays(estatePath);
    expect(r.streamed.findings.some((f) => f.includes('"flow"'))).toBe(true);
    expect(r.streamed.findings.some((f) => f.includes('pii.inherited'))).toBe(true);
    expect(r.streamed.edges.some((e) => e.includes('"same-values"'))).toBe(true);
    expect(r.relevant).toBeLessThan(r.nodes / 2);
    expect(differences(r.streamed, r.whole)).toEqual(SAME);
    expect(r.streamed).toEqual(r.whole);
  }, 180_000);
});
