import { FINDING_TYPES, SEVERITIES, severityRank, type Finding } from '../../core/model/finding.js';
import { hiddenValueLabel } from '../../core/drift/hidden-values.js';
import { countByReason } from '../../core/drift/drift-unknowns.js';
import { translate, type MessageKey } from '../../core/i18n/catalogue.js';
import { describeFinding } from '../../core/i18n/finding-text.js';
import { textOf } from '../../core/i18n/phrase.js';
import type { Lang } from '../../core/i18n/format.js';
import { edgeLabel, entityLabel, lawLabel } from '../../core/i18n/terms.js';
import { jurisdictionOf } from '../../core/lineage/regions.js';
import type { ElkLike } from '../../core/layout/layout.js';
import { buildDiagram, drawDiagram, drawLegend, layoutDiagram } from './lineage-diagram.js';
import { COLORS, type ReportWriter } from './pdf-writer.js';
import { REPORT_LIMITS, type ReportData } from './report-data.js';

export interface CoverOptions {
  title: string;
  bundle?: CoverSeal;
}

type Of<T extends Finding['type']> = Extract<Finding, { type: T }>;

/**
 * A finding in one line in the report's language, built from its structured fields (the studio and
 * the CLI say it the same way); a modified object is named by its path only, since the drift
 * table below prints both values.
 */
function summaryOf(f: Finding, w: ReportWriter): string {
  if (f.type === 'drift' && f.rule === 'drift.modified') return w.tr('report.summary.driftModified', { path: f.path || w.tr('report.summary.wholeObject') });
  return describeFinding(f, w.lang);
}

/**
 * Keyed hashes (HMAC fingerprints of values, hashed Secret values) can appear inside drift values and
 * evidence; they are never printed. Snapshot and manifest hashes are printed elsewhere on purpose.
 */
const redactHashes = (s: string): string => s.replace(/\b(?:sha256:|hmac:)?[0-9a-f]{32,}\b/gi, '‹hash›');
/** A drift value in a table cell: hidden values and whole objects by what they are, never their content. */
const display = (v: unknown, lang: Lang): string => (v === undefined ? '—' : hiddenValueLabel(v, lang) ?? redactHashes(typeof v === 'string' ? v : JSON.stringify(v)));
/** The report's section headings, by section (the contents page lists them in this order). */
export const SECTION = {
  summary: 'report.section.summary', pii: 'report.section.pii', lineage: 'report.section.lineage', flows: 'report.section.flows',
  exposure: 'report.section.exposure', drift: 'report.section.drift', timeline: 'report.section.timeline', appendix: 'report.section.appendix',
} as const satisfies Record<string, MessageKey>;
/** The appendix's topics, each a title and a text in the catalogue. */
const APPENDIX_TOPICS = ['capture', 'pii', 'masking', 'lineage', 'drift', 'snapshots'] as const;
/** A severity's name, as the studio shows it. */
const severityName = (severity: string, lang: Lang): string => translate(lang, `severity.${severity}` as MessageKey);
const changeName = (change: string, w: ReportWriter): string => (['added', 'removed', 'modified'].includes(change) ? w.tr(`report.change.${change}` as MessageKey) : change);
/** A URN without "scheme://source/" when the table is already per source. */
const withinSource = (urn: string): string => urn.replace(/^[a-z0-9]+:\/\/[^/#]+\/?/, '');
const pct = (m: number, n: number): string => (n > 0 ? `${m}/${n} (${((100 * m) / n).toFixed(1)}%)` : `${m}/${n}`);
const bySeverity = <T extends Finding>(a: T, b: T): number => severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence;
const dateTime = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');

function capped<T>(rows: T[]): T[] {
  return rows.length > REPORT_LIMITS.rowsPerTable ? rows.slice(0, REPORT_LIMITS.rowsPerTable) : rows;
}
function truncatedNote(w: ReportWriter, total: number): void {
  if (total > REPORT_LIMITS.rowsPerTable) w.paragraph(w.tr('report.truncated', { shown: REPORT_LIMITS.rowsPerTable, total }), { color: COLORS.muted, size: 8 });
}
/** Colours the cell of a "severity" column by its value. */
const severityColor = (rows: Finding[], col: number) => (r: number, c: number) => (c === col ? COLORS.severity[rows[r]?.severity] : undefined);

/** The seal the cover prints: who signed (by key), what verify said, and this reader's trust in the key. */
export interface CoverSeal {
  signer: string;
  fingerprint: string;
  manifestHash: string;
  trust?: 'trusted' | 'untrusted' | 'broken';
  trustedName?: string | null;
}

export function renderCover(w: ReportWriter, d: ReportData, o: CoverOptions): void {
  const { doc } = w;
  const tr = w.tr.bind(w);
  doc.font('bold').fontSize(24).fillColor(COLORS.accent).text(o.title, w.margin, w.margin + 40, { width: w.width });
  doc.moveDown(0.3);
  doc.font('body').fontSize(12).fillColor(COLORS.muted).text(tr('report.subtitle'), { width: w.width });
  doc.moveDown(1.5);
  const findings = d.findings.length;
  w.keyValues([
    [tr('report.workspace'), d.workspace],
    [tr('report.generatedAt'), dateTime(d.generatedAt)],
    [tr('report.scope'), tr('report.scopeText', { sources: d.sources.length, snapshots: d.snapshots.length, nodes: d.counts.nodes, edges: d.counts.edges, findings })],
  ]);
  w.subheading(tr('report.signature'));
  if (o.bundle) {
    // The fingerprint is the signer; the name only means something when this reader trusts the key.
    const lang = w.lang;
    const trust = o.bundle.trust ?? 'untrusted';
    const signer = trust === 'trusted' && o.bundle.trustedName ? o.bundle.trustedName : translate(lang, 'security.trust.selfDeclared', { name: o.bundle.signer });
    w.keyValues([[translate(lang, 'security.trust.label'), translate(lang, `security.trust.${trust}`)], [tr('report.signer'), signer], [tr('report.fingerprint'), o.bundle.fingerprint], [tr('report.manifestHash'), o.bundle.manifestHash]]);
    if (trust !== 'broken') w.paragraph(tr('report.sealedVerified'), { size: 8.5 });
    if (trust !== 'trusted') w.paragraph(trust === 'untrusted' ? translate(lang, 'security.trust.howToTrust', { fingerprint: o.bundle.fingerprint }) : translate(lang, 'security.trust.broken'), { size: 8.5, color: COLORS.severity.high });
  } else {
    w.paragraph(tr('report.notSealed'), { size: 8.5, color: COLORS.severity.medium });
  }
  w.subheading(tr('report.sources'));
  w.table([{ header: tr('report.col.name'), weight: 3 }, { header: tr('report.col.kind'), weight: 2 }, { header: tr('report.col.region'), weight: 2 }], d.sources.map((s) => [s.name, s.kind, s.region]));
  w.subheading(tr('report.snapshots'));
  w.table(
    [{ header: tr('report.col.snapshot'), weight: 1.2, align: 'right' }, { header: tr('report.col.source'), weight: 1.6 }, { header: tr('report.col.status'), weight: 1.1 }, { header: tr('report.col.started'), weight: 2.2 }, { header: tr('report.col.contentHash'), weight: 5, maxLines: 2 }],
    d.snapshots.map((s) => [String(s.id), s.source, s.status, dateTime(s.startedAt), s.contentHash ?? '—']),
    { fontSize: 7.5 },
  );
}

export function renderSummary(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.summary));
  w.paragraph(tr('report.summaryIntro'));
  const rows = FINDING_TYPES.map((type) => {
    const counts = SEVERITIES.map((s) => d.bySeverity[type]?.[s] ?? 0);
    return [tr(`typeLong.${type}` as MessageKey), ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))];
  });
  const totals = SEVERITIES.map((s) => FINDING_TYPES.reduce((n, type) => n + (d.bySeverity[type]?.[s] ?? 0), 0));
  rows.push([tr('report.col.total'), ...totals.map(String), String(totals.reduce((a, b) => a + b, 0))]);
  w.table(
    [{ header: tr('report.col.type'), weight: 3 }, ...SEVERITIES.map((s) => ({ header: severityName(s, w.lang), weight: 1.2, align: 'right' as const })), { header: tr('report.col.total'), weight: 1.2, align: 'right' }],
    rows,
    { fontSize: 9, color: (r, c) => (r === rows.length - 1 || c === 0 || c > SEVERITIES.length ? undefined : COLORS.severity[SEVERITIES[c - 1]]) },
  );
  const top = [...d.findings].sort(bySeverity).slice(0, 12);
  if (top.length) {
    w.subheading(tr('report.topFindings'));
    w.table(
      [{ header: tr('report.col.severity'), weight: 1.2 }, { header: tr('report.col.type'), weight: 1.8 }, { header: tr('report.col.object'), weight: 4.5, maxLines: 2 }, { header: tr('report.col.evidence'), weight: 4.5, maxLines: 3 }],
      top.map((f) => [severityName(f.severity, w.lang), tr(`typeLong.${f.type}` as MessageKey), f.urn, redactHashes(summaryOf(f, w))]),
      { color: severityColor(top, 0) },
    );
  }
}

export function renderPii(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.pii));
  if (d.pii.length === 0) return w.paragraph(tr('report.empty.pii'));
  const sources = new Map(d.sources.map((s) => [s.name, s]));
  const rows = capped(d.pii);
  for (const name of [...new Set(rows.map((r) => r.source))]) {
    const s = sources.get(name);
    w.subheading(s ? `${name}  (${s.kind}, ${s.region})` : name);
    const mine = rows.filter((r) => r.source === name);
    w.table(
      [{ header: tr('report.col.field'), weight: 3.6, maxLines: 2 }, { header: tr('report.col.entity'), weight: 2.2 }, { header: tr('report.col.prevalence'), weight: 2.4 }, { header: tr('report.col.confidence'), weight: 1.3, align: 'right' }, { header: tr('report.col.examples'), weight: 3.2, maxLines: 2 }],
      mine.map((r) => [withinSource(r.urn) + (r.inherited ? ` (${tr('report.inherited')})` : ''), entityLabel(r.entity, w.lang), pct(r.matches, r.sampled), r.confidence.toFixed(2), r.examples.slice(0, 3).join(', ')]),
    );
  }
  truncatedNote(w, d.pii.length);
}

export async function renderLineage(w: ReportWriter, d: ReportData, elk: ElkLike): Promise<void> {
  const { doc } = w;
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.lineage), 'landscape');
  const diagram = buildDiagram(d.graph);
  if (diagram.boxes.length === 0) return w.paragraph(tr('report.empty.lineage'));
  w.paragraph(tr('report.lineageIntro'), { size: 8.5 });
  if (diagram.level === 'group') w.paragraph(tr('report.lineageGrouped', { datasets: diagram.datasets, groups: diagram.totalBoxes }), { size: 8.5 });
  if (diagram.boxes.length < diagram.totalBoxes) w.paragraph(tr('report.lineageCapped', { shown: diagram.boxes.length, total: diagram.totalBoxes }), { size: 8.5 });
  const layout = await layoutDiagram(elk, diagram);
  const top = doc.y + 6;
  const legendY = doc.page.height - w.margin - 30;
  drawDiagram(w, diagram, layout, { x: w.margin, y: top, width: w.width, height: legendY - top - 12 });
  drawLegend(w, legendY);
}

export function renderFlows(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.flows));
  const flows = d.findings.filter((f): f is Of<'flow'> => f.type === 'flow').sort(bySeverity);
  if (flows.length === 0) return w.paragraph(tr('report.empty.flows'));
  w.paragraph(tr('report.flowsIntro'));
  const rows = capped(flows);
  w.table(
    [{ header: tr('report.col.from'), weight: 3, maxLines: 3 }, { header: tr('report.col.to'), weight: 3, maxLines: 3 }, { header: tr('report.col.regions'), weight: 3 }, { header: tr('report.col.entities'), weight: 2 }, { header: tr('report.col.via'), weight: 3, maxLines: 4 }, { header: tr('report.col.severity'), weight: 1.2 }],
    rows.map((f) => [f.from, f.to, `${f.fromRegion} → ${f.toRegion}`, f.entities.map((e) => entityLabel(e, w.lang)).join(', '), f.path.slice(1, -1).join(' → ') || '—', severityName(f.severity, w.lang)]),
    { color: severityColor(rows, 5) },
  );
  truncatedNote(w, flows.length);
  // Every flow as evidence: each hop with its kind, confidence, rule evidence and masks, in full.
  const lang = w.lang;
  rows.forEach((f, i) => {
    const law = lawLabel(jurisdictionOf(f.fromRegion), lang) ?? tr('report.noLaw');
    w.paragraph(tr('report.flowHeading', { n: i + 1, from: f.from, to: f.to }), { bold: true, size: 8.5 });
    w.paragraph(tr('report.flowFacts', { severity: severityName(f.severity, lang), confidence: pctOf(f.confidence), law }), { size: 8 });
    if (!f.hops?.length) return w.paragraph(tr('report.flowNoHops'), { size: 8, color: COLORS.muted });
    f.hops.forEach((h, k) => {
      w.paragraph(`${tr('report.flowHop', { n: k + 1, from: h.from, to: h.to, kind: edgeLabel(h.kind, lang), confidence: pctOf(h.confidence) })}\n${h.rule}: ${textOf(h.detail, h.phrase, lang)}`, { size: 8 });
      if (h.masks?.length) w.paragraph(tr('report.flowMasks', { masks: h.masks.map((m) => `${m.field} (${m.kind}: ${textOf(m.detail, m.phrase, lang)})`).join('; ') }), { size: 8 });
    });
  });
}

const pctOf = (x: number): string => `${Math.round(x * 100)}%`;

export function renderExposure(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.exposure));
  const items = d.findings.filter((f): f is Of<'exposure'> => f.type === 'exposure').sort(bySeverity);
  if (items.length === 0) return w.paragraph(tr('report.empty.exposure'));
  w.paragraph(tr('report.exposureIntro'));
  const rows = capped(items);
  w.table(
    [{ header: tr('report.col.subject'), weight: 3 }, { header: tr('report.col.verbs'), weight: 1.6 }, { header: tr('report.col.resource'), weight: 3.6, maxLines: 3 }, { header: tr('report.col.severity'), weight: 1.2 }, { header: tr('report.col.evidence'), weight: 3.6, maxLines: 3 }],
    rows.map((f) => [f.subject, f.verbs.join(', '), f.resource, severityName(f.severity, w.lang), redactHashes(textOf(f.evidence, f.evidencePhrase, w.lang))]),
    { color: severityColor(rows, 3) },
  );
  truncatedNote(w, items.length);
}

export function renderDrift(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.drift));
  const items = d.findings.filter((f): f is Of<'drift'> => f.type === 'drift' && !f.ignored).sort(bySeverity);
  if (items.length === 0) w.paragraph(tr('report.empty.drift'));
  else {
    w.paragraph(tr('report.driftIntro'));
    const rows = capped(items);
    w.table(
      [{ header: tr('report.col.object'), weight: 3.4, maxLines: 3 }, { header: tr('report.col.path'), weight: 2 }, { header: tr('report.col.desired'), weight: 2.8, maxLines: 5 }, { header: tr('report.col.live'), weight: 2.8, maxLines: 5 }, { header: tr('report.col.rule'), weight: 1.8 }, { header: tr('report.col.severity'), weight: 1.2 }],
      rows.map((f) => [f.urn, f.path || '/', display(f.desired, w.lang), display(f.live, w.lang), f.rule, severityName(f.severity, w.lang)]),
      { color: severityColor(rows, 5) },
    );
    truncatedNote(w, items.length);
  }
  renderDriftUnknowns(w, d);
}

/** The places drift could not judge, with why and the fix: what the audit could not check, said plainly. */
function renderDriftUnknowns(w: ReportWriter, d: ReportData): void {
  const { total, items } = d.driftUnknowns;
  if (total === 0) return;
  const tr = w.tr.bind(w);
  w.subheading(tr('driftUnknown.title'));
  w.paragraph(`${tr('driftUnknown.intro', { count: total })} ${tr('driftUnknown.reportIntro')}`);
  for (const { reason, count } of countByReason(d.driftUnknowns)) {
    w.paragraph(tr('driftUnknown.reasonLine', { reason: tr(`driftUnknown.reason.${reason}`), count, fix: tr(`driftUnknown.fix.${reason}`) }), { size: 8 });
  }
  const rows = capped(items);
  w.table(
    [{ header: tr('report.col.object'), weight: 3.4, maxLines: 3 }, { header: tr('report.col.path'), weight: 2.4 }, { header: tr('report.col.desired'), weight: 3, maxLines: 4 }, { header: tr('driftUnknown.col.reason'), weight: 4, maxLines: 4 }],
    rows.map((u) => [u.urn, u.path || '/', display(u.desired, w.lang), tr(`driftUnknown.reason.${u.reason}`)]),
  );
  truncatedNote(w, total);
}

export function renderTimeline(w: ReportWriter, d: ReportData): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.timeline));
  w.paragraph(tr('report.timelineIntro'));
  w.subheading(tr('report.unusual'));
  const anomalies = d.findings.filter((f): f is Of<'anomaly'> => f.type === 'anomaly').sort((a, b) => b.score - a.score);
  if (anomalies.length === 0) w.paragraph(tr('report.empty.anomaly'));
  else {
    const rows = capped(anomalies);
    w.table(
      [{ header: tr('report.col.object'), weight: 3.6, maxLines: 3 }, { header: tr('report.col.score'), weight: 1, align: 'right' }, { header: tr('report.col.severity'), weight: 1.2 }, { header: tr('report.col.explanation'), weight: 6, maxLines: 5 }],
      rows.map((f) => [f.urn, f.score.toFixed(2), severityName(f.severity, w.lang), redactHashes(summaryOf(f, w))]),
      { color: severityColor(rows, 2) },
    );
    truncatedNote(w, anomalies.length);
  }
  w.subheading(tr('report.changes'));
  if (d.changes.length === 0) return w.paragraph(tr('report.empty.timeline'));
  const changes = capped(d.changes);
  // Patch values can hold configuration contents; the timeline shows which keys changed, not to what.
  w.table(
    [{ header: tr('report.col.time'), weight: 2.8 }, { header: tr('report.col.object'), weight: 3.8, maxLines: 3 }, { header: tr('report.col.change'), weight: 1.2 }, { header: tr('report.col.author'), weight: 1.4 }, { header: tr('report.col.keys'), weight: 3.2, maxLines: 4 }],
    changes.map((c) => [dateTime(c.time), c.urn, changeName(c.change, w), c.author ?? '—', (c.patch as Array<{ op?: string; path?: string }>).map((p) => `${p.op ?? '?'} ${p.path || '/'}`).join('; ')]),
  );
  truncatedNote(w, d.changes.length);
}

export function renderAppendix(w: ReportWriter): void {
  const tr = w.tr.bind(w);
  w.section(tr(SECTION.appendix));
  for (const topic of APPENDIX_TOPICS) {
    w.subheading(tr(`report.appendix.${topic}.title`));
    w.paragraph(tr(`report.appendix.${topic}.text`));
  }
}
