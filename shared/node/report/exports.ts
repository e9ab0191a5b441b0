import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { AppError } from '../../core/api/errors.js';
import type { Finding } from '../../core/model/finding.js';
import { datasetUrn, parseUrn } from '../../core/model/urn.js';
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
const RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const COLUMN_LINEAGE_SCHEMA = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';
const JOB_TYPE_SCHEMA = 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet';

/** OpenLineage dataset naming: namespace = the Driftline source, name = the dataset's path. */
function dataset(urn: string): { namespace: string; name: string; field?: string } {
  const p = parseUrn(urn);
  return { namespace: p.source, name: p.segments.join('/'), field: p.field };
}

/** A stable run id (UUID-shaped) so that exporting twice gives the same events. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Writes the data-flow lineage as OpenLineage RunEvents, one JSON object per line (the format of
 * OpenLineage's file transport): one COMPLETE event per job — each CDC (table → topic) or sink
 * (topic → bucket/table) between two datasets — with its input and output dataset and a
 * columnLineage facet built from the field-level edges of the same job.
 */
export async function exportOpenLineage(store: Store, out: string): Promise<{ path: string; events: number; bytes: number }> {
  interface Job { kind: string; from: string; to: string; fields: Map<string, Set<string>>; confidence: number }
  const jobs = new Map<string, Job>();
  for (const e of store.graph.allEdges(['cdc', 'sinks'])) {
    const from = datasetUrn(e.from), to = datasetUrn(e.to);
    if (from === to) continue;
    const key = `${e.kind}\n${from}\n${to}`;
    const job = jobs.get(key) ?? { kind: e.kind, from, to, fields: new Map(), confidence: 0 };
    job.confidence = Math.max(job.confidence, e.confidence);
    const inField = dataset(e.from).field, outField = dataset(e.to).field;
    if (inField && outField) {
      const set = job.fields.get(outField) ?? new Set<string>();
      set.add(inField);
      job.fields.set(outField, set);
    }
    jobs.set(key, job);
  }
  const eventTime = new Date().toISOString();
  const events = [...jobs.values()].map((job) => {
    const input = dataset(job.from), output = dataset(job.to);
    const name = `${job.kind}:${input.namespace}/${input.name}->${output.namespace}/${output.name}`;
    const fields = Object.fromEntries([...job.fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([outField, ins]) => [outField, {
      inputFields: [...ins].sort().map((field) => ({ namespace: input.namespace, name: input.name, field })),
    }]));
    return {
      eventType: 'COMPLETE',
      eventTime,
      producer: PRODUCER,
      schemaURL: RUN_EVENT_SCHEMA,
      run: { runId: stableUuid(`${store.workspace.id}\n${name}`) },
      job: {
        namespace: 'driftline',
        name,
        facets: { jobType: { _producer: PRODUCER, _schemaURL: JOB_TYPE_SCHEMA, processingType: 'STREAMING', integration: job.kind === 'cdc' ? 'CDC' : 'SINK', jobType: job.kind.toUpperCase() } },
      },
      inputs: [{ namespace: input.namespace, name: input.name }],
      outputs: [{
        namespace: output.namespace,
        name: output.name,
        facets: Object.keys(fields).length ? { columnLineage: { _producer: PRODUCER, _schemaURL: COLUMN_LINEAGE_SCHEMA, fields } } : {},
      }],
    };
  });
  const text = events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
  await writeFile(out, text, 'utf8');
  return { path: out, events: events.length, bytes: Buffer.byteLength(text) };
}
