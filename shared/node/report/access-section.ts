import { translate, type MessageKey } from '../../core/i18n/catalogue.js';
import { entityLabel } from '../../core/i18n/terms.js';
import { textOf, textsOf } from '../../core/i18n/phrase.js';
import type { Store } from '../store/index.js';
import { coverageOf } from '../services/analyzers/coverage.js';
import { accessMatrix } from '../services/access-queries.js';
import { COLORS, type ReportWriter } from './pdf-writer.js';
import { REPORT_LIMITS } from './report-data.js';

/**
 * The report's access matrix and transfer-path coverage (issue #14): the same answers as
 * `driftline access` and `driftline coverage`, so the PDF says what the studio and the CLI say.
 * Text comes from the catalogue (shared/core/i18n/messages/access.ts), in the report's language.
 */
const lang = (w: ReportWriter) => w.lang;
const entityNames = (w: ReportWriter, entities: string[]) => entities.map((e) => entityLabel(e, w.lang)).join(', ');

/** Field → principals, one row per (field, principal), with how and under which restrictions. */
export function renderAccess(w: ReportWriter, store: Store): void {
  const l = lang(w);
  const tr = (key: MessageKey, params?: Record<string, string | number>) => translate(l, key, params);
  w.section(tr('report.access.title'));
  const matrix = accessMatrix(store);
  if (matrix.length === 0) return w.paragraph(tr('access.noFields'));
  w.paragraph(tr('report.access.intro'));
  const rows: string[][] = [];
  for (const a of matrix) {
    const notes = [...(a.denied.length ? [tr('access.denied', { names: a.denied.map((d) => d.principal).join(', ') })] : []), ...a.unknown.map((u) => tr('access.unknownReaders', { reason: textOf(u.reason, u.phrase, l) }))];
    if (a.readers.length === 0) rows.push([a.urn, entityNames(w, a.entities), '—', '—', [tr('access.noReaders'), ...notes].join('; ')]);
    a.readers.forEach((r, i) => {
      const how = r.everyone ? tr('access.everyone') : tr(`access.via.${r.via}` as MessageKey);
      const chain = r.chain.map((h) => textOf(h.text, h.phrase, l)).join(' → ');
      const extra = [...(r.conditions.length ? [`${tr('access.conditions')}: ${textsOf(r.conditions, r.conditionPhrases, l).join('; ')}`] : []), ...(i === 0 ? notes : [])];
      rows.push([a.urn, entityNames(w, a.entities), r.principal, how, [chain, ...extra].filter(Boolean).join('; ') || '—']);
    });
  }
  const shown = rows.slice(0, REPORT_LIMITS.rowsPerTable);
  w.table(
    [{ header: tr('access.field'), weight: 3, maxLines: 3 }, { header: tr('access.entities'), weight: 1.4 }, { header: tr('access.principal'), weight: 2.6, maxLines: 2 }, { header: tr('access.via'), weight: 1.4 }, { header: tr('access.chain'), weight: 4.6, maxLines: 5 }],
    shown,
    { color: (r, c) => (c === 3 && shown[r]?.[3] === tr('access.everyone') ? COLORS.severity.high : undefined) },
  );
  if (rows.length > shown.length) w.paragraph(w.tr('report.truncated', { shown: shown.length, total: rows.length }), { size: 8.5, color: COLORS.muted });
}

/** "N of M PII datasets fully accounted for", then every path, unknowns first. */
export function renderCoverage(w: ReportWriter, store: Store): void {
  const l = lang(w);
  const tr = (key: MessageKey, params?: Record<string, string | number>) => translate(l, key, params);
  w.section(tr('coverage.title'));
  const report = coverageOf(store);
  if (report.total === 0) return w.paragraph(tr('coverage.none'));
  w.paragraph(tr('coverage.summary', { accounted: report.accounted, total: report.total }), { bold: true });
  w.paragraph(`${tr('report.coverage.intro')} ${tr('coverage.unknownFirst')}`);
  const rank = { unknown: 0, 'cross-border': 1, domestic: 2 } as const;
  const paths = report.datasets
    .flatMap((d) => d.paths.map((p) => ({ d, p })))
    .sort((a, b) => rank[a.p.class] - rank[b.p.class] || a.d.urn.localeCompare(b.d.urn) || a.p.to.localeCompare(b.p.to));
  const shown = paths.slice(0, REPORT_LIMITS.rowsPerTable);
  w.table(
    [{ header: tr('coverage.dataset'), weight: 3, maxLines: 3 }, { header: tr('coverage.path'), weight: 1.6 }, { header: tr('coverage.destination'), weight: 3.4, maxLines: 4 }, { header: tr('coverage.region'), weight: 2.2 }, { header: tr('coverage.evidenceOrWhy'), weight: 4, maxLines: 5 }],
    shown.map(({ d, p }) => [
      d.urn, tr(`coverage.kind.${p.kind}` as MessageKey), [...p.via, p.to].join(' → '),
      `${d.region ?? '?'} → ${p.toRegion ?? '?'} (${tr(`coverage.class.${p.class}` as MessageKey)})`, p.reason !== undefined ? textOf(p.reason, p.reasonPhrase, l) : textOf(p.evidence, p.evidencePhrase, l),
    ]),
    { color: (r, c) => (c === 3 ? (shown[r]?.p.class === 'unknown' ? COLORS.severity.high : shown[r]?.p.class === 'cross-border' ? COLORS.severity.medium : undefined) : undefined) },
  );
  if (paths.length > shown.length) w.paragraph(w.tr('report.truncated', { shown: shown.length, total: paths.length }), { size: 8.5, color: COLORS.muted });
}
