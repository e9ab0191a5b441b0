/**
 * PII engine benchmark.
 * 1. Accuracy on public third-party data (scripts/testing/pii-eval): per-entity precision and recall
 *    on hand-labelled columns of sakila, classicmodels, northwind and macrozheng/mall (decoys
 *    included), and on standards' test vectors (IBAN registry, GB 11643, payment cards).
 * 2. Throughput, single core, side by side with a one-combined-RegExp baseline and with today's
 *    engine (main's, loaded from git) run in the same process: short values (the real columns'
 *    values), the synthetic workload of earlier runs, and a realistic mix with free text.
 *   node --import tsx bench/pii.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classifyField, classifyValue, evaluateColumns, evaluateCorpus, RECOGNIZERS, type EntityScore } from '../shared/core/pii/index.js';
import { compilePattern } from '../shared/core/pii/compile.js';
import { loadAllColumns, loadLabelledColumns, loadTestVectors } from '../scripts/testing/pii-eval/index.js';
import { generateCorpus } from '../scripts/testing/pii-corpus.js';

const MIN_BENCH_MS = 2_000;
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`.padStart(7);

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

function printScores(title: string, unit: string, scores: EntityScore[]): void {
  console.log(`\n${title}\nentity            ${unit.padStart(7)}  precision  recall   fp   fn`);
  for (const s of scores) {
    console.log(`${s.entity.padEnd(16)} ${String(s.support).padStart(8)}  ${pct(s.precision)}  ${pct(s.recall)} ${String(s.falsePositives).padStart(4)} ${String(s.falseNegatives).padStart(4)}`);
  }
}

/** The baseline: every recognizer's patterns OR-ed into one anchored RegExp, tested once per value (no validation, no hints). */
function combinedRegExp(): RegExp {
  const sources = RECOGNIZERS.flatMap((r) => r.patterns.map((p) => compilePattern(p).source));
  return new RegExp(sources.join('|'), 'u');
}

const bytesOf = (values: readonly string[]): number => values.reduce((sum, v) => sum + Buffer.byteLength(v), 0);

type ClassifyValue = (value: string, options?: { fieldName?: string }) => unknown;

/**
 * Today's engine as the anchor: the PII engine of the `main` branch, extracted with `git archive`
 * into node_modules/.cache (so its imports resolve) and loaded in this same process, so "no slower
 * than today" is a ratio measured under the same load. Undefined when git or main is not there.
 */
async function mainEngine(): Promise<ClassifyValue | undefined> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(root, 'node_modules', '.cache', 'driftline-bench-main');
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', root, 'archive', 'main', 'shared/core'], { maxBuffer: 64 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const mod = (await import(pathToFileURL(join(dir, 'shared', 'core', 'pii', 'index.ts')).href)) as { classifyValue: ClassifyValue };
    return mod.classifyValue;
  } catch (err) {
    console.log(`(today's engine from main could not be loaded as an anchor: ${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

let todaysClassifyValue: ClassifyValue | undefined;

function throughput(label: string, values: readonly string[], fields: readonly string[]): void {
  const bytes = bytesOf(values);
  const baseline = combinedRegExp();
  const tBase = timeIt(() => {
    for (const v of values) baseline.test(v);
  });
  const tValue = timeIt(() => {
    for (let i = 0; i < values.length; i++) classifyValue(values[i], { fieldName: fields[i] });
  });
  // Fields as sources hand them over: 500-value samples of one field each.
  const columns: { values: string[]; field: string }[] = [];
  for (let i = 0; i < values.length; i += 500) columns.push({ values: values.slice(i, i + 500) as string[], field: fields[i] });
  const tField = timeIt(() => {
    for (const c of columns) classifyField(c.values, { fieldName: c.field });
  });
  const tToday = todaysClassifyValue && timeIt(() => {
    for (let i = 0; i < values.length; i++) todaysClassifyValue!(values[i], { fieldName: fields[i] });
  });
  const rate = (ms: number) => `${Math.round(values.length / (ms / 1000)).toLocaleString('en-US').padStart(10)} values/s ${(bytes / 1e6 / (ms / 1000)).toFixed(1).padStart(6)} MB/s`;
  console.log(`\n${label}: ${values.length.toLocaleString('en-US')} values, mean ${(bytes / values.length).toFixed(1)} bytes`);
  console.log(`  one combined RegExp (baseline) ${rate(tBase)}`);
  if (tToday) console.log(`  today's classifyValue (main)   ${rate(tToday)}   ratio to baseline ${(tBase / tToday).toFixed(2)}`);
  console.log(`  classifyValue                  ${rate(tValue)}   ratio to baseline ${(tBase / tValue).toFixed(2)}${tToday ? `, to today's ${(tToday / tValue).toFixed(2)}` : ''}`);
  console.log(`  classifyField (free text too)  ${rate(tField)}   ratio to baseline ${(tBase / tField).toFixed(2)}`);
}

export async function run(): Promise<void> {
  todaysClassifyValue = await mainEngine();
  const columns = loadLabelledColumns();
  const decoys = columns.filter((c) => c.label === null).length;
  console.log(`PII engine: ${RECOGNIZERS.length} recognizers; ${columns.length} labelled columns of public sample databases (${decoys} decoys)`);
  const { scores, outcomes } = evaluateColumns(columns);
  printScores('Columns (sakila, classicmodels, northwind, macrozheng/mall): found when the entity is among the verdicts', 'columns', scores);
  const misses = outcomes.filter((o) => (o.label && !o.predicted.includes(o.label)) || o.predicted.some((p) => p !== o.label));
  for (const m of misses.slice(0, 20)) console.log(`  miss: ${m.id} labelled ${m.label ?? 'none'}, got ${m.predicted.join(', ') || 'nothing'}`);
  const vectors = loadTestVectors();
  printScores(`Test vectors (python-stdnum IBAN/GB 11643, braintree cards), ${vectors.length} values with and without a field hint`, 'values', evaluateCorpus(vectors));

  // Short values: every non-empty value of the real columns, with its column name.
  const shortValues: string[] = [];
  const shortFields: string[] = [];
  for (const c of columns) for (const v of c.values) if (v && v.length <= 64) { shortValues.push(v); shortFields.push(c.fieldName); }
  throughput('Short values of the real columns', shortValues, shortFields);
  // The synthetic corpus is only a workload here (the engine's historical throughput figure), never an accuracy figure.
  const synthetic = generateCorpus(20_251_126, 30_000);
  throughput('Synthetic short-value workload (same as earlier runs)', synthetic.map((c) => c.value), synthetic.map((c) => c.fieldName ?? 'value'));
  // A realistic mix: every column of every table of the four databases, as a scan meets them —
  // free text (film descriptions, product HTML, biographies, JSON attributes) included.
  const mixValues: string[] = [];
  const mixFields: string[] = [];
  for (const c of loadAllColumns()) for (const v of c.values) if (v) { mixValues.push(v); mixFields.push(c.fieldName); }
  const long = mixValues.filter((v) => v.length > 256).length;
  throughput(`Realistic mix: every column of the four databases (${long.toLocaleString('en-US')} values over 256 characters, scanned inside)`, mixValues, mixFields);
}

if (import.meta.url === `file://${process.argv[1]}`) void run();
