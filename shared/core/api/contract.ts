import { REASON_CODES } from '../predict/reasons.js';
import { z } from 'zod';
import { findingSchema, findingTypeSchema, severitySchema, storedFindingSchema } from '../model/finding.js';
import { graphNodeSchema, graphSchema, edgeKindSchema } from '../model/graph.js';
import { snapshotSchema } from '../model/snapshot.js';
import { accessAnswerSchema, coverageReportSchema, principalAccessSchema } from '../access/schema.js';
import { sourceKindFormSchema } from '../sources/form.js';
import { driftUnknownsSchema } from '../drift/drift-unknowns.js';

/**
 * THE contract: every call and event Driftline's UI can use, on every transport (Electron IPC,
 * `driftline serve` HTTP + WebSocket). Types are inferred from these schemas, never written twice.
 * Calls are `domain:verb`, events `domain:noun`. Every call returns Result<Output>.
 */

export type { Snapshot } from '../model/snapshot.js';

const sourceSummarySchema = z.object({
  name: z.string(),
  kind: z.string(),
  region: z.string(),
  /** The sources.yaml entry, secrets by reference only (passwordEnv, kubeconfig path). */
  config: z.record(z.string(), z.unknown()),
  lastSnapshot: snapshotSchema.nullable(),
  snapshotCount: z.number().int(),
});
export type SourceSummary = z.infer<typeof sourceSummarySchema>;

const changeSchema = z.object({
  id: z.number().int(),
  urn: z.string(),
  origin: z.string(),
  change: z.enum(['added', 'removed', 'modified']),
  patch: z.array(z.unknown()),
  time: z.string(),
  author: z.string().nullable(),
  /** The configs:versions ids the change goes between (`fromVersion` is null for an added object). */
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  anomaly: z.object({ score: z.number(), explanation: z.string(), reasons: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])) })).optional() }).optional(),
});
export type Change = z.infer<typeof changeSchema>;

const configVersionSchema = z.object({
  id: z.number().int(), urn: z.string(), origin: z.enum(['live', 'desired']), snapshotId: z.number().int().nullable(),
  contentHash: z.string(), content: z.unknown(), author: z.string().nullable(), time: z.string(), message: z.string().nullable(), revision: z.string().nullable(),
});

export const progressSchema = z.object({
  scanId: z.string(),
  source: z.string(),
  phase: z.enum(['connecting', 'capturing', 'saving', 'analyzing', 'done', 'failed', 'cancelled']),
  done: z.number().int(),
  total: z.number().int().optional(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().optional(),
  item: z.string().optional(),
  warnings: z.number().int(),
  failures: z.number().int(),
});
export type ScanProgress = z.infer<typeof progressSchema>;

const groupSchema = z.object({ key: z.string(), label: z.string(), source: z.string(), kind: z.string(), count: z.number().int(), piiCount: z.number().int(), region: z.string().optional() });
const groupEdgeSchema = z.object({ from: z.string(), to: z.string(), kind: z.string(), count: z.number().int() });

const explainedText = { description: z.string().optional(), descriptionEn: z.string().optional(), translation: z.enum(['exact', 'first-sentence', 'none', 'not-needed']).optional() };
const explanationSchema = z.object({
  kind: z.string(), apiVersion: z.string().optional(), path: z.string(), type: z.string().optional(), required: z.boolean().optional(),
  ...explainedText, coreType: z.string().optional(), default: z.unknown().optional(), enum: z.array(z.unknown()).optional(),
  source: z.enum(['reference', 'schema']),
  fields: z.array(z.object({ name: z.string(), type: z.string().optional(), required: z.boolean().optional(), ...explainedText, coreType: z.string().optional(), default: z.unknown().optional(), enum: z.array(z.unknown()).optional() })),
  validations: z.array(z.object({ rule: z.string(), message: z.string().optional(), meaning: z.string() })),
});
export type ExplanationOutput = z.infer<typeof explanationSchema>;

const predictionReasonSchema = z.object({ code: z.enum(REASON_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])) });
const forecastSchema = z.object({
  asOf: z.string(),
  horizonHours: z.number(),
  model: z.object({ kind: z.enum(['gbdt', 'rate']), note: z.string().optional(), trainedUpTo: z.string(), trainingOrigins: z.number().int(), trainingRows: z.number().int(), positives: z.number().int(), trees: z.number().int(), unusualChanges: z.number().int(), changes: z.number().int() }),
  predictions: z.array(z.object({ urn: z.string(), kind: z.string(), namespace: z.string(), name: z.string(), probability: z.number(), unusual: z.number(), reasons: z.array(predictionReasonSchema) })),
  total: z.number().int(),
});
export type ForecastOutput = z.infer<typeof forecastSchema>;

/** A file name without any path: letters, digits, '.', '_' and '-', ending in a known extension. */
const exportFileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(pdf|dlbundle|json|csv|ndjson)$/, 'a plain file name such as audit-2026-11.pdf (no folders)');
const exportedFileSchema = z.object({ path: z.string(), fileName: z.string(), bytes: z.number().int() });

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const calls = {
  'workspace:info': call(z.object({}), z.object({
    path: z.string(), id: z.string(), schemaVersion: z.number().int(), readOnly: z.boolean(),
    counts: z.object({ nodes: z.number().int(), edges: z.number().int(), findings: z.number().int(), snapshots: z.number().int() }),
    /** The seal of a bundle: `verified` is what verify said; `trust` is broken / untrusted (intact, signer not in the trust store) / trusted. */
    bundle: z.object({ signer: z.string(), fingerprint: z.string(), manifestHash: z.string(), verified: z.boolean(), trust: z.enum(['trusted', 'untrusted', 'broken']), trustedName: z.string().nullable() }).nullable(),
  })),
  'sources:list': call(z.object({}), z.array(sourceSummarySchema)),
  /** Every source kind with its form, generated from its config schema (shared/core/sources). */
  'sources:kinds': call(z.object({}), z.array(sourceKindFormSchema)),
  'sources:test': call(z.object({ name: z.string() }), z.object({ ok: z.boolean(), message: z.string() })),
  'sources:save': call(z.object({ entry: z.record(z.string(), z.unknown()) }), sourceSummarySchema),
  'snapshots:list': call(z.object({ source: z.string().optional() }), z.array(snapshotSchema)),
  'graph:overview': call(z.object({}), z.object({ groups: z.array(groupSchema), edges: z.array(groupEdgeSchema), totalNodes: z.number().int() })),
  'graph:get': call(z.object({
    sources: z.array(z.string()).optional(), group: z.string().optional(), limit: z.number().int().positive().max(50_000).optional(),
    /** With `group`: also the data-flow edges between the group and the rest of the graph. */
    boundary: z.boolean().optional(),
  }), graphSchema),
  'graph:node': call(z.object({ urn: z.string() }), z.object({ node: graphNodeSchema, neighbours: graphSchema, findings: z.array(storedFindingSchema) })),
  'graph:lineage': call(z.object({ urn: z.string(), direction: z.enum(['upstream', 'downstream', 'both']).default('both'), depth: z.number().int().min(0).max(100).default(10), edgeKinds: z.array(edgeKindSchema).optional() }), graphSchema),
  'graph:search': call(z.object({ query: z.string().max(500), limit: z.number().int().positive().max(500).default(50) }), z.array(graphNodeSchema)),
  'findings:list': call(z.object({ type: findingTypeSchema.optional(), minSeverity: severitySchema.optional(), urn: z.string().optional(), limit: z.number().int().positive().optional() }), z.array(storedFindingSchema)),
  'changes:list': call(z.object({ urn: z.string().optional(), urnPrefix: z.string().optional(), limit: z.number().int().positive().max(100_000).optional() }), z.array(changeSchema)),
  'configs:versions': call(z.object({ urn: z.string() }), z.array(configVersionSchema)),
  'diff:snapshots': call(z.object({ from: z.number().int(), to: z.number().int() }), z.array(z.object({
    urn: z.string(), change: z.enum(['added', 'removed', 'modified']), patch: z.array(z.unknown()),
    /** For `modified`: each changed field with its value in the older snapshot and in the newer (absent = not set). */
    fields: z.array(z.object({ path: z.string(), old: z.unknown().optional(), new: z.unknown().optional() })).optional(),
  }))),
  'explain:get': call(z.object({ kind: z.string(), path: z.string().optional(), lang: z.enum(['en', 'zh-CN']).default('en') }), explanationSchema),
  'predict:forecast': call(z.object({ asOf: z.string().optional(), horizonHours: z.number().positive().max(24 * 90).optional(), kinds: z.array(z.string()).optional(), limit: z.number().int().positive().max(10_000).optional() }), forecastSchema),
  'scan:start': call(z.object({ sources: z.array(z.string()).optional() }), z.object({ scanId: z.string() })),
  'scan:cancel': call(z.object({ scanId: z.string() }), z.object({ cancelled: z.boolean() })),
  // Exports are written to the workspace's exports folder under a plain file name: a page must not be
  // able to choose where on disk a file lands. `driftline serve` offers them at /api/exports/<fileName>.
  'report:export': call(z.object({ lang: z.enum(['en', 'zh-CN']).default('en'), fileName: exportFileName.optional() }), exportedFileSchema.extend({ pages: z.number().int() })),
  'access:field': call(z.object({ urn: z.string() }), z.array(accessAnswerSchema)),
  'access:principal': call(z.object({ principal: z.string().min(1) }), z.array(principalAccessSchema)),
  'access:matrix': call(z.object({}), z.array(accessAnswerSchema)),
  'coverage:get': call(z.object({}), coverageReportSchema),
  /** Places drift cannot judge (values only the cluster holds), each with its reason; never counted as drift. */
  'drift:unknowns': call(z.object({}), driftUnknownsSchema),
  'snapshots:export': call(z.object({ sources: z.array(z.string()).optional(), fileName: exportFileName.optional() }), exportedFileSchema.extend({ snapshots: z.number().int(), parts: z.number().int(), manifestHash: z.string(), signer: z.string(), fingerprint: z.string() })),
} as const;

export const events = {
  'scan:progress': progressSchema,
  'scan:finished': z.object({ scanId: z.string(), ok: z.boolean(), snapshots: z.array(z.number().int()), message: z.string() }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** A handler per call: what every transport binds. A missing handler is a compile error. */
export type Handlers = { [K in CallName]: (input: CallParsedInput<K>) => Promise<CallOutput<K>> | CallOutput<K> };

/** Validates a call's input, throwing AppError('INVALID_INPUT') with the field path. */
export { findingSchema };
