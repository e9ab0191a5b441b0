import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { trustStatus } from '../store/bundle/trust-store.js';
import type { CoverSeal } from './sections.js';
import { AppError } from '../../core/api/errors.js';
import type { Store } from '../store/index.js';
import { nodeElk } from '../layout.js';
import { isLang } from '../../core/i18n/format.js';
import { translate } from '../../core/i18n/catalogue.js';
import { ReportWriter } from './pdf-writer.js';
import { gatherReportData } from './report-data.js';
import { renderAccess, renderCoverage } from './access-section.js';
import { renderPrediction } from './prediction-section.js';
import { renderAppendix, renderCover, renderDrift, renderExposure, renderFlows, renderLineage, renderPii, renderSummary, renderTimeline } from './sections.js';

export { exportFindings, exportOpenLineage } from './exports.js';

export type ReportLang = 'en' | 'zh-CN';

export interface ExportReportOptions {
  out: string;
  lang: ReportLang;
  title?: string;
  /** The seal printed on the cover; default: the bundle the workspace was opened from, if any. */
  bundle?: CoverSeal;
}

/**
 * Writes the evidence PDF: cover (scope, sources, snapshots and hashes, seal), contents, summary,
 * PII inventory, lineage diagram, cross-border flows, transfer-path coverage, exposure, access
 * matrix, drift, change timeline, appendix.
 * The file appears only when complete (written aside, then renamed).
 */
export async function exportReport(store: Store, options: ExportReportOptions): Promise<{ path: string; pages: number; bytes: number }> {
  if (!isLang(options.lang)) throw new AppError('INVALID_INPUT', `unknown report language "${options.lang}"; use en or zh-CN`);
  const data = gatherReportData(store);
  // A workspace materialized by openBundle() remembers the bundle it was verified from: that is the
  // seal, so every caller (CLI, serve, Electron) gets it without passing it along.
  const sealedFrom = store.meta('bundle_manifest_hash');
  const fingerprint = store.meta('bundle_fingerprint') ?? '';
  // Whether the signer is trusted is judged now, by this reader's trust store; integrity by what verify said at open.
  const bundle = options.bundle ?? (sealedFrom ? { manifestHash: sealedFrom, signer: store.meta('bundle_signer') ?? '', fingerprint, ...trustStatus(store.meta('bundle_verified') === 'ok', fingerprint) } : undefined);
  const title = options.title ?? translate(options.lang, 'report.title');
  const w = new ReportWriter(options.lang, title);
  const tmp = `${options.out}.partial-${process.pid}`;
  // 'wx': never through a link planted at the temporary name (the rename then replaces a name, never follows it).
  const stream = createWriteStream(tmp, { flags: 'wx' });
  w.doc.pipe(stream);
  try {
    renderCover(w, data, { title, bundle });
    w.newPage();
    w.reserveToc();
    renderSummary(w, data);
    renderPii(w, data);
    await renderLineage(w, data, nodeElk());
    renderFlows(w, data);
    renderCoverage(w, store);
    renderExposure(w, data);
    renderAccess(w, store);
    renderDrift(w, data);
    renderTimeline(w, data);
    renderPrediction(w, store, options.lang);
    renderAppendix(w);
    const pages = w.finish();
    w.doc.end();
    await finished(stream);
    await rename(tmp, options.out);
    return { path: options.out, pages, bytes: (await stat(options.out)).size };
  } catch (err) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
