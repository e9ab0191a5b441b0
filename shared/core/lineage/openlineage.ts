import type { EdgeKind, GraphEdge, GraphNode } from '../model/graph.js';
import { datasetUrn, parseUrn } from '../model/urn.js';

/**
 * Driftline's lineage as OpenLineage run events (https://openlineage.io/spec/2-0-2/OpenLineage.json):
 * the hand-off to the catalogs an enterprise runs at scale (Marquez, DataHub, OpenMetadata), which
 * ingest these events unchanged. One event per process that moves data:
 * - a connector — a process node (connect://…, lineage/process.ts) between datasets: Debezium, JDBC
 *   or S3 sink… — with every table it reads as an input and every topic or prefix it writes as an
 *   output (named by its process URN; edges of captures without process nodes, by their config);
 * - a workload whose configuration says it reads or writes a dataset.
 * Datasets are named as OpenLineage's naming conventions ask (openlineage.io/docs/spec/naming), so
 * they meet the same datasets reported by other producers: `mysql://host:port` + `db.table`,
 * `kafka://broker:port` + topic, `s3://bucket` + path. Where the capture cannot tell the server (an
 * offline dump) the namespace is `driftline://<source>`, never a guessed host.
 * Outputs carry the SchemaDatasetFacet (their fields, with the PII entities found) and the
 * ColumnLineageDatasetFacet (which input field each output field comes from, and whether a mask
 * was applied on the way); inputs carry the SchemaDatasetFacet.
 */

const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
export const OPENLINEAGE_SCHEMA_URLS = {
  runEvent: `${SPEC}#/$defs/RunEvent`,
  schema: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  columnLineage: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
} as const;
/** The job namespace of every event: Driftline observed these processes; no scheduler runs them. */
export const OPENLINEAGE_JOB_NAMESPACE = 'driftline';

export interface OpenLineageField { name: string; type?: string; description?: string }
export interface OpenLineageInputField { namespace: string; name: string; field: string; transformations: { type: 'DIRECT'; subtype: 'IDENTITY' | 'TRANSFORMATION'; description?: string; masking: boolean }[] }
interface Facet { _producer: string; _schemaURL: string }
export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets: {
    schema?: Facet & { fields: OpenLineageField[] };
    columnLineage?: Facet & { fields: Record<string, { inputFields: OpenLineageInputField[] }> };
  };
}
export interface OpenLineageRunEvent {
  eventType: 'COMPLETE';
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string };
  job: { namespace: string; name: string; facets: { jobType: Facet & { processingType: 'STREAMING' | 'SERVICE'; integration: 'DRIFTLINE'; jobType: 'CDC' | 'SINK' | 'WORKLOAD' } } };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
}

/** What the builder reads: the edges, node lookups and each source's kind and configuration. */
export interface OpenLineageGraph {
  edges: GraphEdge[];
  node(urn: string): GraphNode | undefined;
  /** The column/field nodes of a dataset, in a stable order. */
  fieldsOf(dataset: string): GraphNode[];
  sources: ReadonlyMap<string, { kind: string; config: Record<string, unknown> }>;
}

export interface OpenLineageOptions {
  producer: string;
  eventTime: string;
  /** Makes run ids stable per workspace: exporting twice gives the same events. */
  runIdSeed: string;
  /** A UUID derived from a seed (Node's crypto is not available here). */
  uuidFrom(seed: string): string;
}

/** Edges left out of the export, with the reason (reported, never silently dropped). */
export interface OpenLineageOmission { reason: 'not-a-dataset' | 'direction-unproven' | 'no-process'; edges: number }

/**
 * Reads and writes that the rules inferred from a setting's name carry 0.8; the ones whose direction
 * was assumed (a connection string with no hint) carry 0.5 and are left out: OpenLineage has no way
 * to say "maybe an input".
 */
const PROVEN_DIRECTION = 0.8;

/** OpenLineage's name for a Driftline dataset, or undefined when the URN is not a dataset (a workload, a Secret…). */
export function openLineageDatasetName(urn: string, sources: OpenLineageGraph['sources']): { namespace: string; name: string } | undefined {
  const p = parseUrn(datasetUrn(urn));
  const config = sources.get(p.source)?.config ?? {};
  const offline = `driftline://${p.source}`;
  switch (p.scheme) {
    case 'mysql': {
      if (p.segments.length < 2) return undefined;
      const host = typeof config.host === 'string' && !config.file ? `mysql://${config.host}:${typeof config.port === 'number' ? config.port : 3306}` : offline;
      return { namespace: host, name: `${p.segments[0]}.${p.segments[1]}` };
    }
    case 'kafka': {
      const broker = Array.isArray(config.brokers) && typeof config.brokers[0] === 'string' && !config.file ? `kafka://${config.brokers[0]}` : offline;
      return { namespace: broker, name: p.segments[0] };
    }
    case 's3':
      return { namespace: `s3://${p.segments[0]}`, name: p.segments.length > 1 ? p.segments.slice(1).join('/') : '/' };
    default:
      return undefined;
  }
}

interface Job {
  name: string;
  type: 'CDC' | 'SINK' | 'WORKLOAD';
  inputs: Set<string>;
  outputs: Set<string>;
  /** output field URN → input field URN → the mask on the way, if any */
  columns: Map<string, Map<string, { kind: string; detail: string } | undefined>>;
}

const JOB_TYPE: Partial<Record<EdgeKind, Job['type']>> = { cdc: 'CDC', sinks: 'SINK', reads: 'WORKLOAD', writes: 'WORKLOAD' };

/** Builds one COMPLETE run event per data-moving process of the graph. */
export function buildOpenLineageEvents(graph: OpenLineageGraph, options: OpenLineageOptions): { events: OpenLineageRunEvent[]; omitted: OpenLineageOmission[] } {
  const jobs = new Map<string, Job>();
  const omitted = new Map<OpenLineageOmission['reason'], number>();
  const omit = (reason: OpenLineageOmission['reason']) => omitted.set(reason, (omitted.get(reason) ?? 0) + 1);
  const isDataset = (urn: string) => openLineageDatasetName(urn, graph.sources) !== undefined;

  for (const edge of graph.edges) {
    const type = JOB_TYPE[edge.kind];
    if (!type) continue;
    const job = (key: string, name: string): Job => {
      let j = jobs.get(key);
      if (!j) jobs.set(key, (j = { name, type, inputs: new Set(), outputs: new Set(), columns: new Map() }));
      return j;
    };
    if (type === 'WORKLOAD') {
      // edge.from is the workload, edge.to the dataset it reads or writes.
      if (!isDataset(edge.to)) { omit('not-a-dataset'); continue; }
      if (edge.confidence < PROVEN_DIRECTION) { omit('direction-unproven'); continue; }
      const j = job(`workload\n${edge.from}`, edge.from);
      (edge.kind === 'reads' ? j.inputs : j.outputs).add(datasetUrn(edge.to));
      continue;
    }
    // A hop into or out of a process node (lineage/process.ts: table → connect://… → topic): the
    // process is the job, the dataset on the other end its input or output.
    const hop = edge.evidence.hop;
    if (hop === 'input' || hop === 'output') {
      const [processUrn, dataset] = hop === 'input' ? [edge.to, edge.from] : [edge.from, edge.to];
      if (!isDataset(dataset) || isDataset(processUrn)) { omit('not-a-dataset'); continue; }
      const j = job(`${edge.kind}\n${processUrn}`, processUrn);
      (hop === 'input' ? j.inputs : j.outputs).add(datasetUrn(dataset));
      continue;
    }
    if (!isDataset(edge.from) || !isDataset(edge.to)) { omit('not-a-dataset'); continue; }
    const from = datasetUrn(edge.from);
    const to = datasetUrn(edge.to);
    if (from === to) continue;
    // Field-level edges stay field to field and name their process in `via`; older captures only
    // name the configuration object the edge was read from.
    const process = typeof edge.evidence.via === 'string' ? edge.evidence.via : typeof edge.evidence.config === 'string' ? edge.evidence.config : undefined;
    const j = process ? job(`${edge.kind}\n${process}`, process) : job(`${edge.kind}\n${from}\n${to}`, `${edge.kind}:${from}->${to}`);
    j.inputs.add(from);
    j.outputs.add(to);
    if (edge.from !== from && edge.to !== to) {
      const mask = edge.evidence.mask as { kind: string; detail: string } | undefined;
      const sources = j.columns.get(edge.to) ?? new Map();
      sources.set(edge.from, mask && typeof mask.kind === 'string' ? { kind: mask.kind, detail: String(mask.detail ?? mask.kind) } : undefined);
      j.columns.set(edge.to, sources);
    }
  }

  const facet = (schemaURL: string): Facet => ({ _producer: options.producer, _schemaURL: schemaURL });
  const schemaFacet = (dataset: string): OpenLineageDataset['facets']['schema'] => {
    const fields = graph.fieldsOf(dataset).map((f): OpenLineageField => {
      const entities = [...new Set((f.pii ?? []).map((t) => t.entity))];
      return {
        name: parseUrn(f.urn).field ?? f.name,
        ...(typeof f.props.type === 'string' ? { type: f.props.type } : {}),
        ...(entities.length ? { description: `personal data found by Driftline: ${entities.join(', ')}` } : {}),
      };
    });
    return fields.length ? { ...facet(OPENLINEAGE_SCHEMA_URLS.schema), fields } : undefined;
  };
  const datasetOf = (urn: string, columns?: Job['columns']): OpenLineageDataset => {
    const named = openLineageDatasetName(urn, graph.sources)!;
    const schema = schemaFacet(urn);
    const lineage: Record<string, { inputFields: OpenLineageInputField[] }> = {};
    for (const [outField, ins] of [...(columns ?? new Map())].filter(([f]) => datasetUrn(f) === urn).sort(([a], [b]) => (a < b ? -1 : 1))) {
      lineage[parseUrn(outField).field!] = {
        inputFields: [...ins].sort(([a], [b]) => (a < b ? -1 : 1)).map(([inField, mask]) => ({
          ...openLineageDatasetName(inField, graph.sources)!,
          field: parseUrn(inField).field!,
          transformations: [mask
            ? { type: 'DIRECT', subtype: 'TRANSFORMATION', description: `${mask.kind}: ${mask.detail}`, masking: true }
            : { type: 'DIRECT', subtype: 'IDENTITY', masking: false }],
        })),
      };
    }
    return {
      ...named,
      facets: {
        ...(schema ? { schema } : {}),
        ...(Object.keys(lineage).length ? { columnLineage: { ...facet(OPENLINEAGE_SCHEMA_URLS.columnLineage), fields: lineage } } : {}),
      },
    };
  };

  const events = [...jobs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((job): OpenLineageRunEvent => ({
    eventType: 'COMPLETE',
    eventTime: options.eventTime,
    producer: options.producer,
    schemaURL: OPENLINEAGE_SCHEMA_URLS.runEvent,
    run: { runId: options.uuidFrom(`${options.runIdSeed}\n${job.type}\n${job.name}`) },
    job: {
      namespace: OPENLINEAGE_JOB_NAMESPACE,
      name: job.name,
      facets: { jobType: { ...facet(OPENLINEAGE_SCHEMA_URLS.jobType), processingType: job.type === 'WORKLOAD' ? 'SERVICE' : 'STREAMING', integration: 'DRIFTLINE', jobType: job.type } },
    },
    inputs: [...job.inputs].sort().map((urn) => datasetOf(urn)),
    outputs: [...job.outputs].sort().map((urn) => datasetOf(urn, job.columns)),
  }));
  return { events, omitted: [...omitted].map(([reason, edges]) => ({ reason, edges })) };
}
