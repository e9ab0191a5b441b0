import { z } from 'zod';
import { phraseSchema } from './phrase.js';

/** Kinds of node in the graph. Datasets hold fields; workloads and subjects act on data. */
export const NODE_KINDS = [
  'k8s-object', 'git-file', 'database', 'table', 'column', 'topic', 'field', 'bucket', 'prefix',
  'workload', 'subject', 'secret', 'configmap', 'connector',
  /** A place outside every captured source that data is sent to (`net://<host>`): an egress destination. */
  'endpoint',
] as const;
export const nodeKindSchema = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof nodeKindSchema>;

/**
 * `grants`: a principal may act on a resource (evidence: shared/core/access GrantEvidence);
 * `replicates`: bucket/cluster/database replication; `egress`: data sent to a destination outside
 * the captured sources (evidence: shared/core/egress EgressEvidence).
 */
export const EDGE_KINDS = ['contains', 'reads', 'writes', 'cdc', 'sinks', 'mounts', 'references', 'grants', 'same-values', 'replicates', 'egress'] as const;
export const edgeKindSchema = z.enum(EDGE_KINDS);
export type EdgeKind = z.infer<typeof edgeKindSchema>;

/** Why we believe an edge or finding: a rule and plain facts, never raw PII. */
export const evidenceSchema = z.object({
  rule: z.string(),
  detail: z.string(),
  /** `detail` as a phrase (shared/core/model/phrase.ts), said in the reader's language; older edges have none. */
  phrase: phraseSchema.optional(),
}).catchall(z.unknown());
export type Evidence = z.infer<typeof evidenceSchema>;

/** A PII verdict attached to a column/field node. */
export const piiTagSchema = z.object({
  entity: z.string(),
  confidence: z.number().min(0).max(1),
  matches: z.number().int().nonnegative(),
  sampled: z.number().int().nonnegative(),
  examples: z.array(z.string()),
  inherited: z.boolean().optional(),
  /** Why: recognizer, field context, validation, country, values found inside text (shared/core/pii VerdictBasis). */
  basis: z.object({
    recognizer: z.string(),
    fieldContext: z.enum(['name-hint', 'weak-hint', 'context', 'none']),
    field: z.string().optional(),
    validation: z.string().optional(),
    country: z.string().optional(),
    inText: z.number().int().nonnegative(),
  }).optional(),
});
export type PiiTag = z.infer<typeof piiTagSchema>;

export const graphNodeSchema = z.object({
  urn: z.string(),
  kind: nodeKindSchema,
  name: z.string(),
  source: z.string(),
  region: z.string().optional(),
  parent: z.string().optional(),
  props: z.record(z.string(), z.unknown()).default({}),
  pii: z.array(piiTagSchema).optional(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphNodeInput = z.input<typeof graphNodeSchema>;

export const graphEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  kind: edgeKindSchema,
  confidence: z.number().min(0).max(1),
  evidence: evidenceSchema,
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphSchema = z.object({ nodes: z.array(graphNodeSchema), edges: z.array(graphEdgeSchema), truncated: z.boolean().default(false) });
export type Graph = z.infer<typeof graphSchema>;
