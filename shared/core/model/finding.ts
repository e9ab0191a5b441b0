import { z } from 'zod';
import { phraseSchema } from './phrase.js';

export const FINDING_TYPES = ['pii', 'drift', 'flow', 'exposure', 'anomaly'] as const;
export const findingTypeSchema = z.enum(FINDING_TYPES);
export type FindingType = z.infer<typeof findingTypeSchema>;

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

const reasonSchema = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])) });

const base = {
  rule: z.string(),
  urn: z.string(),
  severity: severitySchema,
  confidence: z.number().min(0).max(1),
  evidence: z.string(),
  /** `evidence` as a phrase, said in the reader's language; findings stored before phrases have none. */
  evidencePhrase: phraseSchema.optional(),
};

/** The stable JSON shape of `driftline findings --json` (DESIGN.md). */
export const findingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pii'), ...base, entity: z.string(), matches: z.number().int(), sampled: z.number().int(), examples: z.array(z.string()) }),
  // `live` is absent for drift.missing-live and `desired` for drift.unmanaged-live (JSON drops undefined).
  z.object({ type: z.literal('drift'), ...base, path: z.string(), desired: z.unknown().optional(), live: z.unknown().optional(), since: z.string().optional(), ignored: z.boolean().optional() }),
  z.object({
    type: z.literal('flow'), ...base, from: z.string(), to: z.string(), fromRegion: z.string(), toRegion: z.string(), entities: z.array(z.string()), path: z.array(z.string()),
    /** Every hop between the datasets and processes of `path`, with its evidence and the masks applied on it. */
    hops: z.array(z.object({
      from: z.string(), to: z.string(), kind: z.string(), rule: z.string(), detail: z.string(), phrase: phraseSchema.optional(), confidence: z.number(), config: z.string().optional(),
      masks: z.array(z.object({ field: z.string(), kind: z.string(), detail: z.string(), phrase: phraseSchema.optional() })).optional(),
      transforms: z.array(z.object({ alias: z.string(), type: z.string() })).optional(),
    })).optional(),
  }),
  z.object({ type: z.literal('exposure'), ...base, subject: z.string(), verbs: z.array(z.string()), resource: z.string() }),
  z.object({
    type: z.literal('anomaly'), ...base, score: z.number(), explanation: z.string(), changeId: z.number().int().optional(),
    /** The explanation's reasons as codes with their numbers, so it can be said in the reader's language. */
    reasons: z.array(reasonSchema).optional(),
  }),
]);
export type Finding = z.infer<typeof findingSchema>;

/** A stored finding: the finding plus where it lives in the workspace. */
export const storedFindingSchema = z.object({ id: z.number().int(), snapshotId: z.number().int().nullable(), finding: findingSchema });
export type StoredFinding = z.infer<typeof storedFindingSchema>;

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
