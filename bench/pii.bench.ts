/**
 * PII engine benchmark: precision/recall per entity on a synthetic labelled corpus, and single-core
 * classification throughput with all built-in recognizers on (the streaming-CDC hot path).
 *   node --import tsx bench/pii.bench.ts
 */
import { classifyField, classifyValue, evaluateCorpus, generateCorpus, RECOGNIZERS } from '../shared/core/pii/index.js';

const SEED = 20_251_126;
const CORPUS_SIZE = 30_000;
const MIN_BENCH_MS = 2_000;

const pct = (n: number): string => `${(n * 100).toFixed(2)}%`.padStart(8);

/** Runs `fn` over and over for at least MIN_BENCH_MS and returns the mean ms per call. */
function timeIt(fn: () => void): number {
  fn(); // warm-up: regex compilation, JIT
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    runs++;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_BENCH_MS);
  return elapsed / runs;
}

export async function run(): Promise<void> {
  const corpus = generateCorpus(SEED, CORPUS_SIZE);
  console.log(`PII engine: ${RECOGNIZERS.length} recognizers, corpus of ${corpus.length.toLocaleString('en-US')} values (seed ${SEED})`);

  console.log('\nentity            support  precision   recall   fp   fn');
  const scores = evaluateCorpus(corpus);
  for (const s of scores) {
    console.log(`${s.entity.padEnd(16)} ${String(s.support).padStart(8)} ${pct(s.precision)}  ${pct(s.recall)} ${String(s.falsePositives).padStart(4)} ${String(s.falseNegatives).padStart(4)}`);
  }
  const decoys = corpus.filter((c) => c.label === null).length;
  console.log(`(${decoys.toLocaleString('en-US')} decoys labelled null; value-level scores, top prediction per value)`);

  const bytes = corpus.reduce((sum, c) => sum + new TextEncoder().encode(c.value).length, 0);
  const perPass = timeIt(() => {
    for (const c of corpus) classifyValue(c.value, { fieldName: c.fieldName });
  });
  const valuesPerSec = corpus.length / (perPass / 1000);
  const mbPerSec = bytes / 1e6 / (perPass / 1000);
  console.log(`\nclassifyValue: ${Math.round(valuesPerSec).toLocaleString('en-US')} values/s, ${mbPerSec.toFixed(1)} MB/s (single core, mean value ${(bytes / corpus.length).toFixed(1)} bytes)`);

  // classifyField on 1,000-value columns, as a sampled table column arrives.
  const columns: string[][] = [];
  for (let i = 0; i + 1000 <= corpus.length; i += 1000) columns.push(corpus.slice(i, i + 1000).map((c) => c.value));
  const perColumns = timeIt(() => {
    for (const col of columns) classifyField(col, { fieldName: 'value' });
  });
  const fieldValuesPerSec = (columns.length * 1000) / (perColumns / 1000);
  console.log(`classifyField: ${Math.round(fieldValuesPerSec).toLocaleString('en-US')} values/s (${columns.length} columns of 1,000 values)`);
}

if (import.meta.url === `file://${process.argv[1]}`) void run();
