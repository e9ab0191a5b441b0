import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../core/i18n/index.js';
import { explainPrediction } from '../../core/predict/reasons.js';
import { corpus } from '../../../scripts/testing/corpora.js';
import { Store } from '../store/index.js';
import { runScan } from '../services/index.js';
import { exportReport } from './index.js';
import { predictionSectionData } from './prediction-section.js';

/**
 * The report's early-warning section when the workspace has enough history for a backtest: two
 * months of the real GitOps history (../shared/corpora/gitops-history, bjw-s-labs/home-ops, Apache-2.0)
 * — every commit that changed an app's HelmRelease or OCIRepository, replayed with its author, time
 * and content — scanned as a git source, then exported in English and Chinese and read back with pdftotext.
 */
const OUTPUT = join(process.cwd(), 'test-output', 'report');
const squash = (s: string): string => s.replace(/\s+/g, '');
let dir: string;
let store: Store;
let data: ReturnType<typeof predictionSectionData>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-predict-report-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  const full = join(dir, 'home-ops');
  execFileSync('git', ['clone', '-q', '-b', 'slice', corpus('gitops-history', 'home-ops-kubernetes-2025.bundle'), full]);
  const repo = join(dir, 'replay');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const log = execFileSync('git', ['-C', full, 'log', '--reverse', '--since=2025-03-01', '--until=2025-05-01', '--no-renames', '--name-status', '-z', '--format=%x01%H%x00%an%x00%ae%x00%aI%x00%s', '--', 'apps/*/*/app/helmrelease.yaml', 'apps/*/*/app/ocirepository.yaml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let replayed = 0;
  for (const entry of log.split('\x01').filter(Boolean)) {
    const [sha, name, email, date, subject, ...rest] = entry.split('\x00');
    const changes: [string, string][] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) if (rest[i].trim()) changes.push([rest[i].trim(), rest[i + 1]]);
    for (const [status, path] of changes) {
      const target = join(repo, path);
      if (status === 'D') { rmSync(target, { force: true }); continue; }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, execFileSync('git', ['-C', full, 'show', `${sha.trim()}:${path}`]));
    }
    const env = { ...process.env, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
    execFileSync('git', ['-C', repo, 'add', '-A'], { env });
    execFileSync('git', ['-C', repo, 'commit', '-q', '--allow-empty', '-m', subject || 'update'], { env });
    replayed++;
  }
  expect(replayed).toBeGreaterThan(100);
  store = Store.open(join(dir, 'ws.driftline'), { create: true });
  store.upsertSource({ name: 'home-ops', kind: 'git', region: 'eu-west-1', config: { name: 'home-ops', kind: 'git', region: 'eu-west-1', path: repo }, baseDir: dir });
  await runScan({ store, sources: store.sources(), analyze: false });
  data = predictionSectionData(store);
}, 300_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the workspace behind the section', () => {
  it('has a trained model and a backtest with its baselines', () => {
    expect(data.forecast?.model.kind).toBe('gbdt');
    const all = data.backtest!.subsets[0];
    expect(data.backtest!.origins).toBeGreaterThan(10);
    expect(all.model.auc).toBeGreaterThan(0.5);
    expect(all.recency.auc).not.toBeNull();
  });
});

describe.each(['en', 'zh-CN'] as const)('the early-warning section of the PDF (%s)', (lang) => {
  let flat: string;
  /** In content order (-raw): a table row's cells come one after the other. */
  let rows: string;
  beforeAll(async () => {
    // Kept for a human to look at: test-output/report/prediction-<lang>.pdf
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, `prediction-${lang}.pdf`);
    await exportReport(store, { out: file, lang });
    flat = squash(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
    rows = squash(execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }));
  }, 180_000);

  it('prints the backtest figures the model reached, next to both baselines', () => {
    const b = data.backtest!;
    const all = b.subsets[0];
    const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(3));
    const line = translate(lang, 'predict.report.backtest', { origins: b.origins, auc: fixed(all.model.auc), recency: fixed(all.recency.auc), frequency: fixed(all.frequency.auc), p10: fixed(all.model.precisionAt10), brier: fixed(all.model.brier) });
    expect(flat).toContain(squash(line));
    expect(flat).not.toContain(squash(translate(lang, 'predict.report.noBacktest')));
  });

  it('says what the model was trained on, up to when', () => {
    const asOf = data.forecast!.asOf.slice(0, 16).replace('T', ' ') + ' UTC';
    expect(flat).toContain(squash(translate(lang, 'predict.report.intro', { asOf })));
  });

  it('lists the likeliest changes with their probability and their reasons in the report language', () => {
    const percent = (v: number) => `${Math.round(v * 100)}%`;
    for (const p of data.forecast!.predictions.slice(0, 3)) {
      expect(rows).toContain(squash(`${p.urn} ${percent(p.probability)} ${percent(p.unusual)} ${explainPrediction(p.reasons, lang)}`));
    }
  });
});
