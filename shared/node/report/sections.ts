import { FINDING_TYPES, SEVERITIES, severityRank, type Finding } from '../../core/model/finding.js';
import { explainReasons } from '../../core/drift/anomaly-text.js';
import { hiddenValueLabel } from '../../core/drift/hidden-values.js';
import { translate } from '../../core/i18n/catalogue.js';
import { edgeLabel, lawLabel } from '../../core/i18n/terms.js';
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
 * Keyed hashes (HMAC fingerprints of values, hashed Secret values) can appear inside drift values and
 * evidence; they are never printed. Snapshot and manifest hashes are printed elsewhere on purpose.
 */
/**
 * A finding in one line in the report's language, built from its structured fields; only the
 * analyzers' free-text sentences (route-change explanations, inherited PII) stay as written.
 */
function summaryOf(f: Finding, t: ReportWriter['t']): string {
  const entityName = (e: string) => (t.entity as Record<string, string>)[e] ?? e;
  switch (f.type) {
    case 'pii':
      return f.rule === 'pii.inherited' ? f.evidence : t.summary.pii(f.matches, f.sampled, entityName(f.entity));
    case 'flow':
      return t.summary.flow(f.entities.map(entityName), f.fromRegion, f.toRegion);
    case 'drift':
      return f.rule === 'drift.missing-live' ? t.summary.driftMissing : f.rule === 'drift.unmanaged-live' ? t.summary.driftUnmanaged : f.rule === 'drift.modified' ? t.summary.driftModified(f.path) : f.evidence;
    case 'exposure':
      return t.summary.exposure(f.subject, f.verbs.join('/'), f.resource);
    case 'anomaly':
      return f.reasons?.length ? explainReasons(f.reasons, t.lang === 'zh-CN' ? 'zh-CN' : 'en') : f.explanation;
  }
}

const redactHashes = (s: string): string => s.replace(/\b(?:sha256:|hmac:)?[0-9a-f]{32,}\b/gi, '‹hash›');
/** A drift value in a table cell: hidden values and whole objects by what they are, never their content. */
const display = (v: unknown, lang: string): string => (v === undefined ? '—' : hiddenValueLabel(v, lang === 'zh-CN' ? 'zh-CN' : 'en') ?? redactHashes(typeof v === 'string' ? v : JSON.stringify(v)));
/** A URN without "scheme://source/" when the table is already per source. */
const withinSource = (urn: string): string => urn.replace(/^[a-z0-9]+:\/\/[^/#]+\/?/, '');
const pct = (m: number, n: number): string => (n > 0 ? `${m}/${n} (${((100 * m) / n).toFixed(1)}%)` : `${m}/${n}`);
const bySeverity = <T extends Finding>(a: T, b: T): number => severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence;
const dateTime = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');

function capped<T>(rows: T[]): T[] {
  return rows.length > REPORT_LIMITS.rowsPerTable ? rows.slice(0, REPORT_LIMITS.rowsPerTable) : rows;
}
function truncatedNote(w: ReportWriter, total: number): void {
  if (total > REPORT_LIMITS.rowsPerTable) w.paragraph(w.t.truncated(REPORT_LIMITS.rowsPerTable, total), { color: COLORS.muted, size: 8 });
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
  const { doc, t } = w;
  doc.font('bold').fontSize(24).fillColor(COLORS.accent).text(o.title, w.margin, w.margin + 40, { width: w.width });
  doc.moveDown(0.3);
  doc.font('body').fontSize(12).fillColor(COLORS.muted).text(t.subtitle, { width: w.width });
  doc.moveDown(1.5);
  const findings = d.findings.length;
  w.keyValues([
    [t.workspace, d.workspace],
    [t.generatedAt, dateTime(d.generatedAt)],
    [t.scope, t.scopeText(d.sources.length, d.snapshots.length, d.counts.nodes, d.counts.edges, findings)],
  ]);
  w.subheading(t.signature);
  if (o.bundle) {
    // The fingerprint is the signer; the name only means something when this reader trusts the key.
    const lang = t.lang === 'zh-CN' ? 'zh-CN' : 'en';
    const trust = o.bundle.trust ?? 'untrusted';
    const signer = trust === 'trusted' && o.bundle.trustedName ? o.bundle.trustedName : translate(lang, 'security.trust.selfDeclared', { name: o.bundle.signer });
    w.keyValues([[translate(lang, 'security.trust.label'), translate(lang, `security.trust.${trust}`)], [t.signer, signer], [t.fingerprint, o.bundle.fingerprint], [t.manifestHash, o.bundle.manifestHash]]);
    if (trust !== 'broken') w.paragraph(t.sealedVerified, { size: 8.5 });
    if (trust !== 'trusted') w.paragraph(trust === 'untrusted' ? translate(lang, 'security.trust.howToTrust', { fingerprint: o.bundle.fingerprint }) : translate(lang, 'security.trust.broken'), { size: 8.5, color: COLORS.severity.high });
  } else {
    w.paragraph(t.notSealed, { size: 8.5, color: COLORS.severity.medium });
  }
  w.subheading(t.sources);
  w.table([{ header: t.col.name, weight: 3 }, { header: t.col.kind, weight: 2 }, { header: t.col.region, weight: 2 }], d.sources.map((s) => [s.name, s.kind, s.region]));
  w.subheading(t.snapshots);
  w.table(
    [{ header: t.col.snapshot, weight: 1.2, align: 'right' }, { header: t.col.source, weight: 1.6 }, { header: t.col.status, weight: 1.1 }, { header: t.col.started, weight: 2.2 }, { header: t.col.contentHash, weight: 5, maxLines: 2 }],
    d.snapshots.map((s) => [String(s.id), s.source, s.status, dateTime(s.startedAt), s.contentHash ?? '—']),
    { fontSize: 7.5 },
  );
}

export function renderSummary(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.summary);
  w.paragraph(t.summaryIntro);
  const rows = FINDING_TYPES.map((type) => {
    const counts = SEVERITIES.map((s) => d.bySeverity[type]?.[s] ?? 0);
    return [t.findingType[type], ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))];
  });
  const totals = SEVERITIES.map((s) => FINDING_TYPES.reduce((n, type) => n + (d.bySeverity[type]?.[s] ?? 0), 0));
  rows.push([t.col.total, ...totals.map(String), String(totals.reduce((a, b) => a + b, 0))]);
  w.table(
    [{ header: t.col.type, weight: 3 }, ...SEVERITIES.map((s) => ({ header: t.severity[s], weight: 1.2, align: 'right' as const })), { header: t.col.total, weight: 1.2, align: 'right' }],
    rows,
    { fontSize: 9, color: (r, c) => (r === rows.length - 1 || c === 0 || c > SEVERITIES.length ? undefined : COLORS.severity[SEVERITIES[c - 1]]) },
  );
  const top = [...d.findings].sort(bySeverity).slice(0, 12);
  if (top.length) {
    w.subheading(t.topFindings);
    w.table(
      [{ header: t.col.severity, weight: 1.2 }, { header: t.col.type, weight: 1.8 }, { header: t.col.object, weight: 4.5, maxLines: 2 }, { header: t.col.evidence, weight: 4.5, maxLines: 3 }],
      top.map((f) => [t.severity[f.severity], t.findingType[f.type], f.urn, redactHashes(summaryOf(f, t))]),
      { color: severityColor(top, 0) },
    );
  }
}

export function renderPii(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.pii);
  if (d.pii.length === 0) return w.paragraph(t.empty.pii);
  const sources = new Map(d.sources.map((s) => [s.name, s]));
  const rows = capped(d.pii);
  for (const name of [...new Set(rows.map((r) => r.source))]) {
    const s = sources.get(name);
    w.subheading(s ? `${name}  (${s.kind}, ${s.region})` : name);
    const mine = rows.filter((r) => r.source === name);
    w.table(
      [{ header: t.col.field, weight: 3.6, maxLines: 2 }, { header: t.col.entity, weight: 2.2 }, { header: t.col.prevalence, weight: 2.4 }, { header: t.col.confidence, weight: 1.3, align: 'right' }, { header: t.col.examples, weight: 3.2, maxLines: 2 }],
      mine.map((r) => [withinSource(r.urn) + (r.inherited ? ` (${t.inherited})` : ''), t.entity[r.entity] ?? r.entity, pct(r.matches, r.sampled), r.confidence.toFixed(2), r.examples.slice(0, 3).join(', ')]),
    );
  }
  truncatedNote(w, d.pii.length);
}

export async function renderLineage(w: ReportWriter, d: ReportData, elk: ElkLike): Promise<void> {
  const { t, doc } = w;
  w.section(t.sections.lineage, 'landscape');
  const diagram = buildDiagram(d.graph);
  if (diagram.boxes.length === 0) return w.paragraph(t.empty.lineage);
  w.paragraph(t.lineageIntro, { size: 8.5 });
  if (diagram.level === 'group') w.paragraph(t.lineageGrouped(diagram.datasets, diagram.totalBoxes), { size: 8.5 });
  if (diagram.boxes.length < diagram.totalBoxes) w.paragraph(t.lineageCapped(diagram.boxes.length, diagram.totalBoxes), { size: 8.5 });
  const layout = await layoutDiagram(elk, diagram);
  const top = doc.y + 6;
  const legendY = doc.page.height - w.margin - 30;
  drawDiagram(w, diagram, layout, { x: w.margin, y: top, width: w.width, height: legendY - top - 12 });
  drawLegend(w, legendY);
}

export function renderFlows(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.flows);
  const flows = d.findings.filter((f): f is Of<'flow'> => f.type === 'flow').sort(bySeverity);
  if (flows.length === 0) return w.paragraph(t.empty.flows);
  w.paragraph(t.flowsIntro);
  const rows = capped(flows);
  w.table(
    [{ header: t.col.from, weight: 3, maxLines: 3 }, { header: t.col.to, weight: 3, maxLines: 3 }, { header: t.col.regions, weight: 3 }, { header: t.col.entities, weight: 2 }, { header: t.col.via, weight: 3, maxLines: 4 }, { header: t.col.severity, weight: 1.2 }],
    rows.map((f) => [f.from, f.to, `${f.fromRegion} → ${f.toRegion}`, f.entities.map((e) => t.entity[e] ?? e).join(', '), f.path.slice(1, -1).join(' → ') || '—', t.severity[f.severity]]),
    { color: severityColor(rows, 5) },
  );
  truncatedNote(w, flows.length);
  // Every flow as evidence: each hop with its kind, confidence, rule evidence and masks, in full.
  const lang = t.lang === 'zh-CN' ? 'zh-CN' : 'en';
  rows.forEach((f, i) => {
    const law = lawLabel(jurisdictionOf(f.fromRegion), lang) ?? t.noLaw;
    w.paragraph(t.flowDetail(i + 1, f.from, f.to), { bold: true, size: 8.5 });
    w.paragraph(t.flowFacts(t.severity[f.severity], pctOf(f.confidence), law), { size: 8 });
    if (!f.hops?.length) return w.paragraph(t.flowNoHops, { size: 8, color: COLORS.muted });
    f.hops.forEach((h, k) => {
      w.paragraph(`${t.flowHop(k + 1, h.from, h.to, edgeLabel(h.kind, lang), pctOf(h.confidence))}\n${h.rule}: ${h.detail}`, { size: 8 });
      if (h.masks?.length) w.paragraph(t.flowMasks(h.masks.map((m) => `${m.field} (${m.kind}: ${m.detail})`).join('; ')), { size: 8 });
    });
  });
}

const pctOf = (x: number): string => `${Math.round(x * 100)}%`;

export function renderExposure(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.exposure);
  const items = d.findings.filter((f): f is Of<'exposure'> => f.type === 'exposure').sort(bySeverity);
  if (items.length === 0) return w.paragraph(t.empty.exposure);
  w.paragraph(t.exposureIntro);
  const rows = capped(items);
  w.table(
    [{ header: t.col.subject, weight: 3 }, { header: t.col.verbs, weight: 1.6 }, { header: t.col.resource, weight: 3.6, maxLines: 3 }, { header: t.col.severity, weight: 1.2 }, { header: t.col.evidence, weight: 3.6, maxLines: 3 }],
    rows.map((f) => [f.subject, f.verbs.join(', '), f.resource, t.severity[f.severity], redactHashes(f.evidence)]),
    { color: severityColor(rows, 3) },
  );
  truncatedNote(w, items.length);
}

export function renderDrift(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.drift);
  const items = d.findings.filter((f): f is Of<'drift'> => f.type === 'drift' && !f.ignored).sort(bySeverity);
  if (items.length === 0) return w.paragraph(t.empty.drift);
  w.paragraph(t.driftIntro);
  const rows = capped(items);
  w.table(
    [{ header: t.col.object, weight: 3.4, maxLines: 3 }, { header: t.col.path, weight: 2 }, { header: t.col.desired, weight: 2.8, maxLines: 5 }, { header: t.col.live, weight: 2.8, maxLines: 5 }, { header: t.col.rule, weight: 1.8 }, { header: t.col.severity, weight: 1.2 }],
    rows.map((f) => [f.urn, f.path || '/', display(f.desired, t.lang), display(f.live, t.lang), f.rule, t.severity[f.severity]]),
    { color: severityColor(rows, 5) },
  );
  truncatedNote(w, items.length);
}

export function renderTimeline(w: ReportWriter, d: ReportData): void {
  const { t } = w;
  w.section(t.sections.timeline);
  w.paragraph(t.timelineIntro);
  w.subheading(t.unusual);
  const anomalies = d.findings.filter((f): f is Of<'anomaly'> => f.type === 'anomaly').sort((a, b) => b.score - a.score);
  if (anomalies.length === 0) w.paragraph(t.empty.anomaly);
  else {
    const rows = capped(anomalies);
    w.table(
      [{ header: t.col.object, weight: 3.6, maxLines: 3 }, { header: t.col.score, weight: 1, align: 'right' }, { header: t.col.severity, weight: 1.2 }, { header: t.col.explanation, weight: 6, maxLines: 5 }],
      rows.map((f) => [f.urn, f.score.toFixed(2), t.severity[f.severity], redactHashes(summaryOf(f, t))]),
      { color: severityColor(rows, 2) },
    );
    truncatedNote(w, anomalies.length);
  }
  w.subheading(t.changes);
  if (d.changes.length === 0) return w.paragraph(t.empty.timeline);
  const changes = capped(d.changes);
  // Patch values can hold configuration contents; the timeline shows which keys changed, not to what.
  w.table(
    [{ header: t.col.time, weight: 2.8 }, { header: t.col.object, weight: 3.8, maxLines: 3 }, { header: t.col.change, weight: 1.2 }, { header: t.col.author, weight: 1.4 }, { header: t.col.keys, weight: 3.2, maxLines: 4 }],
    changes.map((c) => [dateTime(c.time), c.urn, t.change[c.change] ?? c.change, c.author ?? '—', (c.patch as Array<{ op?: string; path?: string }>).map((p) => `${p.op ?? '?'} ${p.path || '/'}`).join('; ')]),
  );
  truncatedNote(w, d.changes.length);
}

export function renderAppendix(w: ReportWriter): void {
  const { t } = w;
  w.section(t.sections.appendix);
  for (const [heading, text] of t.appendix) {
    w.subheading(heading);
    w.paragraph(text);
  }
}
