import { z } from 'zod';
import { phraseSchema } from './phrase.js';

/** A snapshot: an immutable capture of one source, with its scan report (capped problem lists). */
export const snapshotSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  status: z.enum(['running', 'complete', 'failed', 'cancelled']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  prevId: z.number().int().nullable(),
  contentHash: z.string().nullable(),
  stats: z.record(z.string(), z.number()),
  report: z.object({
    warnings: z.array(z.object({ item: z.string(), message: z.string() })).default([]),
    failures: z.array(z.object({ item: z.string(), message: z.string() })).default([]),
    /** `phrase`: the reason said in the reader's language (absent in workspaces written before phrases). */
    gaps: z.array(z.object({ item: z.string(), reason: z.string(), phrase: phraseSchema.optional() })).default([]),
    dropped: z.object({ warnings: z.number(), failures: z.number(), gaps: z.number() }).default({ warnings: 0, failures: 0, gaps: 0 }),
    error: z.string().optional(),
  }),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
export type ScanReport = Snapshot['report'];
