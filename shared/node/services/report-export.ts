import type { Store } from '../store/index.js';

/**
 * The one report path for the CLI, `serve` and Electron: loads the PDF stack only when a report
 * is asked for (fonts and pdfkit are large and slow to import).
 */
export async function exportReportForService(store: Store, out: string, lang: 'en' | 'zh-CN') {
  const { exportReport } = await import('../report/index.js');
  return exportReport(store, { out, lang });
}

/** The report module itself (PDF, findings JSON/CSV, OpenLineage), loaded on first use. */
export async function loadReportModule() {
  return import('../report/index.js');
}
