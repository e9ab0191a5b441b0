import { z } from 'zod';
import { phraseSchema } from '../model/phrase.js';

/** zod schemas of the access answer and transfer-path coverage: the contract's and the CLI's JSON. */
export const grantEntrySchema = z.object({
  privilege: z.string(), effect: z.enum(['allow', 'deny', 'unknown']), scope: z.string(), pattern: z.string(),
  keyPattern: z.string().optional(), hosts: z.array(z.string()).optional(), conditions: z.array(z.string()).optional(),
  defaultRole: z.boolean().optional(), origin: z.string(), originPhrase: phraseSchema.optional(),
});

export const accessHopSchema = z.object({ from: z.string(), to: z.string(), relation: z.enum(['grant', 'role', 'credential', 'reads-secret', 'uses-secret']), text: z.string(), phrase: phraseSchema.optional() });

export const accessEntrySchema = z.object({
  principal: z.string(), principalUrn: z.string(), grants: z.array(grantEntrySchema), conditions: z.array(z.string()), conditionPhrases: z.array(phraseSchema).optional(),
  chain: z.array(accessHopSchema), via: z.enum(['direct', 'role', 'credential']), everyone: z.boolean(),
});

export const accessAnswerSchema = z.object({
  urn: z.string(), entities: z.array(z.string()), readers: z.array(accessEntrySchema),
  denied: z.array(z.object({ principal: z.string(), principalUrn: z.string(), deny: z.array(grantEntrySchema) })),
  unknown: z.array(z.object({ reason: z.string(), phrase: phraseSchema.optional() })),
});

export const principalAccessSchema = z.object({ field: z.string(), entities: z.array(z.string()), entry: accessEntrySchema });

export const transferPathSchema = z.object({
  kind: z.string(), to: z.string(), toRegion: z.string().optional(), class: z.enum(['domestic', 'cross-border', 'unknown']),
  via: z.array(z.string()), evidence: z.string(), evidencePhrase: phraseSchema.optional(), reason: z.string().optional(), reasonPhrase: phraseSchema.optional(),
  hops: z.array(z.object({ from: z.string(), to: z.string(), kind: z.string(), rule: z.string(), detail: z.string(), phrase: phraseSchema.optional(), confidence: z.number() })).optional(),
});

export const coverageReportSchema = z.object({
  datasets: z.array(z.object({ urn: z.string(), entities: z.array(z.string()), region: z.string().optional(), status: z.enum(['accounted', 'unknown']), paths: z.array(transferPathSchema) })),
  accounted: z.number().int(), total: z.number().int(),
});
