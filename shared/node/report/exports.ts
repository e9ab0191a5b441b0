import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { AppError } from '../../core/api/errors.js';
import type { Finding } from '../../core/model/finding.js';
import { buildOpenLineageEvents, type OpenLineageOmission } from '../../core/lineage/openlineage.js';
import type { Store } from '../store/index.js';

/** The flat CSV columns: common fields, then each type's own (empty where they do not apply). */
const CSV_COLUMNS = ['type', 'rule', 'urn', 'severity', 'confidence', 'evidence', 'entity', 'matches', 'sampled', 'examples', 'path', 'desired', 'live', 'from', 'to', 'fromRegion', 'toRegion', 'entities', 'subject', 'verbs', 'resource', 'score', 'explanation'] as const;

/**
 * RFC 4180 quoting; a text cell starting with = + - @ (or tab/CR) gets a leading apostrophe so a
 * spreadsheet does not run it as a formula (CSV injection: the values come from scanned systems).
 */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = Array.isArray(value) ? value.join('; ') : typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes every finding as JSON (the `driftline findings --json` array) or CSV (UTF-8 with BOM, for Excel and Chinese). */
export async function exportFindings(store: Store, out: string, format: 'json' | 'csv'): Promise<{ path: string; findings: number; bytes: number }> {
  const findings: Finding[] = store.findings.list({ limit: 10_000_000 }).map((f) => f.finding);
  let text: string;
  if (format === 'json') text = JSON.stringify(findings, null, 2) + '\n';
  else if (format === 'csv') {
    const lines = [CSV_COLUMNS.join(',')];
    for (const f of findings) {
      const row = f as Record<string, unknown>;
      // `desired`/`live` are any JSON value: keep them as JSON text so "1" and 1 stay distinct.
      lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'desired' || c === 'live' ? (c in row ? JSON.stringify(row[c]) : undefined) : row[c])).join(','));
    }
    text = '\uFEFF' + lines.join('\r\n') + '\r\n';
  } else throw new AppError('INVALID_INPUT', `unknown findings format "${String(format)}"; use json or csv`);
  await writeFile(out, text, 'utf8');
  return { path: out, findings: findings.length, bytes: Buffer.byteLength(text) };
}

const PRODUCER = 'https://github.com/driftline/driftline';

/** A stable run id (UUID-shaped) so that exporting twice gives the same events. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Writes the data-flow lineage as OpenLineage run events, one JSON object per line (the format of
 * OpenLineage's file transport): one event per process that moves data, with its input and output
 * datasets, their schema and column lineage (shared/core/lineage/openlineage.ts). Edges that cannot
 * be said in OpenLineage are counted in `omitted`, never dropped unsaid.
 */
export async function exportOpenLineage(store: Store, out: string): Promise<{ path: string; events: number; bytes: number; omitted: OpenLineageOmission[] }> {
  const fieldsStmt = store.db.prepare(`SELECT urn FROM nodes WHERE parent = ? ORDER BY id`).pluck();
  const { events, omitted } = buildOpenLineageEvents({
    edges: store.graph.allEdges(['cdc', 'sinks', 'reads', 'writes']),
    node: (urn) => store.graph.getNode(urn),
    fieldsOf: (dataset) => store.graph.nodesByUrn(fieldsStmt.all(dataset) as string[]).filter((n) => n.kind === 'column' || n.kind === 'field'),
    sources: new Map(store.sources().map((s) => [s.name, { kind: s.kind, config: s.config }])),
  }, { producer: PRODUCER, eventTime: new Date().toISOString(), runIdSeed: store.workspace.id, uuidFrom: stableUuid });
  const text = events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
  await writeFile(out, text, 'utf8');
  return { path: out, events: events.length, bytes: Buffer.byteLength(text), omitted };
}
