import { datasetUrn, parseUrn } from '../model/urn.js';
import { phrase, spokenDetail } from '../i18n/phrase.js';
import { processUrnOf, type ConnectorConfig, type TransformConfig } from './connectors.js';
import type { EdgeMask, InferredEdge, LineageEvidence } from './rule.js';

/**
 * PROCESS NODES — what moves data between datasets (DESIGN.md, "Processes are nodes").
 *
 * A process (a Kafka Connect source or sink connector today; MirrorMaker flows, bucket/database
 * replication rules and workloads are the same shape) is a graph node between datasets:
 *
 *     dataset ──kind──▶ process ──kind──▶ dataset        e.g. table ─cdc─▶ connect://… ─cdc─▶ topic
 *
 * with `inputs` and `outputs` (dataset URNs), the `transforms` it applies (SMTs, in order), the
 * `masks` it applies on the way (column.mask.with, MaskField, ReplaceField…) and `evidence` (the
 * configuration object it was read from). A rule that knows a process says so by putting
 * `via` (the process URN) and `process` (its description) on the evidence of the dataset-level and
 * field-level edges it infers; `expandProcesses` then turns each dataset-level edge A→B via P into
 * the hops A→P and P→B (same edge kind), so the graph and every flow path name the process, while
 * field-level edges stay field to field (they carry the mask of the hop and `via`).
 * A new kind of process is a rule that fills `via`/`process`; nothing here changes.
 */
export interface ProcessDescription {
  name: string;
  /** What the process does to data, e.g. `cdc-source`, `sink`, `mirror`, `replication`. */
  role: string;
  /** e.g. `io.debezium.connector.mysql.MySqlConnector`. */
  className?: string;
  transforms: { alias: string; type: string }[];
  /** The configuration object it was read from (a KafkaConnector CR, a ConfigMap, a Connect REST capture). */
  config?: string;
  /** Every configuration object that describes this one process (a REST capture and a KafkaConnector CR), `config` first. */
  evidence?: string[];
}

export interface ProcessNode extends ProcessDescription {
  urn: string;
  source: string;
  inputs: string[];
  outputs: string[];
  /** Masks applied on its hops, `field: kind (detail)`. */
  masks: { field: string; mask: EdgeMask }[];
}

/**
 * The props the analyzers write on a process node (lineage.ts, egress.ts). They describe the node's
 * role in this run's lineage, so they are taken off a node that is no longer a process (its connector
 * was deleted or routes nothing now) rather than left to claim hops and masks that no longer exist.
 */
export const PROCESS_PROPS = ['process', 'inputs', 'outputs', 'transforms', 'masks', 'config', 'evidence'] as const;

/**
 * A node's props without what the analyzers wrote for its process role. `className` goes too on a
 * node the analyzers created themselves (`derivedBy`); a captured connector keeps what its source saw.
 */
export function withoutProcessProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const derived = props.derivedBy !== undefined;
  for (const [k, v] of Object.entries(props)) {
    if ((PROCESS_PROPS as readonly string[]).includes(k) || (derived && k === 'className')) continue;
    out[k] = v;
  }
  return out;
}

export const hasProcessProps = (props: Record<string, unknown>): boolean => PROCESS_PROPS.some((k) => k in props);

/** The evidence a rule adds to an edge that goes through a process. */
export interface ProcessEvidence {
  via: string;
  process: ProcessDescription;
}

/** The process URN of a connector config: the one its group shares when several objects describe it (connectors.ts, `sameConnector`), else its own. */
export function connectorProcessUrn(c: Pick<ConnectorConfig, 'urn' | 'name' | 'process'>): string {
  return c.process?.urn ?? processUrnOf(c);
}

/** The `via`/`process` evidence for edges a connector config implies. */
export function connectorEvidence(c: ConnectorConfig, role: string, transforms: TransformConfig[]): ProcessEvidence {
  return {
    via: connectorProcessUrn(c),
    process: { name: c.name, role, className: c.className, transforms: transforms.map((t) => ({ alias: t.alias, type: t.type })), config: c.process?.evidence[0] ?? c.urn, evidence: c.process?.evidence ?? [c.urn] },
  };
}

const isField = (urn: string) => urn.includes('#');

/**
 * Replaces each dataset-level edge that goes through a process by its two hops, and collects the
 * processes with their inputs, outputs and masks. Field-level edges are kept as they are.
 */
export function expandProcesses(edges: InferredEdge[]): { edges: InferredEdge[]; processes: ProcessNode[] } {
  const processes = new Map<string, ProcessNode>();
  const out: InferredEdge[] = [];
  const processOf = (ev: LineageEvidence & Partial<ProcessEvidence>): ProcessNode => {
    const urn = ev.via!;
    let p = processes.get(urn);
    if (!p) {
      const d = ev.process ?? { name: urn, role: 'process', transforms: [] };
      processes.set(urn, (p = { ...d, urn, source: safeSource(urn), inputs: [], outputs: [], masks: [] }));
    }
    return p;
  };
  for (const e of edges) {
    const ev = e.evidence as LineageEvidence & Partial<ProcessEvidence>;
    if (!ev.via) {
      out.push(e);
      continue;
    }
    const p = processOf(ev);
    if (isField(e.from) || isField(e.to)) {
      if (ev.mask && !p.masks.some((m) => m.field === e.from)) p.masks.push({ field: e.from, mask: ev.mask });
      out.push(e);
      continue;
    }
    if (!p.inputs.includes(e.from)) p.inputs.push(e.from);
    if (!p.outputs.includes(e.to)) p.outputs.push(e.to);
    const { via: _via, process: _process, fieldMap, ...rest } = ev;
    out.push({ from: e.from, to: p.urn, kind: e.kind, confidence: e.confidence, evidence: { ...rest, ...spokenDetail(phrase('ev.lineage.processReads', { process: p.name, dataset: label(e.from), detail: ev.phrase ?? ev.detail })), hop: 'input' } });
    // `inputs`: which inputs feed this output, so a reader crossing the process pairs them (a CDC connector of many tables).
    out.push({ from: p.urn, to: e.to, kind: e.kind, confidence: e.confidence, evidence: { ...rest, ...spokenDetail(phrase('ev.lineage.processWrites', { process: p.name, dataset: label(e.to), detail: ev.phrase ?? ev.detail })), hop: 'output', inputs: [e.from], ...(fieldMap ? { fieldMap } : {}) } });
  }
  // Several rules may name the same hop (input from two edges): one edge per (from, to, kind).
  const seen = new Map<string, InferredEdge>();
  for (const e of out) {
    const k = `${e.from}\n${e.to}\n${e.kind}`;
    const prev = seen.get(k);
    const inputs = [...new Set([...inputsOf(prev), ...inputsOf(e)])];
    const kept = !prev || prev.confidence < e.confidence ? e : prev;
    seen.set(k, inputs.length ? { ...kept, evidence: { ...kept.evidence, inputs } } : kept);
  }
  return { edges: [...seen.values()], processes: [...processes.values()] };
}

/** The inputs an output hop records (process → dataset), see expandProcesses. */
export const inputsOf = (e: { evidence: unknown } | undefined): string[] => {
  const v = (e?.evidence as { inputs?: unknown } | undefined)?.inputs;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

function safeSource(urn: string): string {
  try {
    return parseUrn(urn).source;
  } catch {
    return 'unknown';
  }
}

const label = (urn: string) => datasetUrn(urn).replace(/^[a-z0-9]+:\/\/[^/]+\//, '');
