import { z } from 'zod';

/**
 * Places where desired and live cannot be compared (DESIGN.md "Right or explicitly unknown"): kept
 * beside the drift findings, never among them, so totals and findings count proven drift only. The
 * studio's drift view, `driftline diff` and the report show each with its reason and the fix.
 */

/** Every reason drift can be unable to judge a place (see DriftUnknownReason in diff-desired-live.ts), in the order they are explained. */
export const DRIFT_UNKNOWN_REASONS = ['unresolved-substitution', 'flux-variable', 'sops-encrypted'] as const;
export type DriftUnknownReason = (typeof DRIFT_UNKNOWN_REASONS)[number];

/** One place drift cannot judge. Values are as stored (placeholders, hidden values): never a secret. */
export const driftUnknownSchema = z.object({
  urn: z.string(),
  /** RFC 6901 pointer into the object. */
  path: z.string(),
  reason: z.enum(DRIFT_UNKNOWN_REASONS),
  /** The git source holding the desired state, and the cluster it describes. */
  git: z.string(),
  cluster: z.string(),
  desired: z.unknown().optional(),
  live: z.unknown().optional(),
});
export type DriftUnknown = z.infer<typeof driftUnknownSchema>;

/** What the last drift analysis could not judge: every place up to a cap, and how many there were. */
export const driftUnknownsSchema = z.object({ total: z.number().int(), items: z.array(driftUnknownSchema) });
export type DriftUnknowns = z.infer<typeof driftUnknownsSchema>;

/** At most this many places are kept (the total is always exact): a repository of placeholders must not fill the workspace. */
export const MAX_DRIFT_UNKNOWNS = 2000;

/** Workspace meta key holding what the last drift analysis could not judge ({@link DriftUnknowns} as JSON). */
export const DRIFT_UNKNOWNS_META = 'driftUnknowns';

/** The stored JSON read back; none when absent (no drift analysis yet) or unreadable (an older or damaged workspace). */
export function parseDriftUnknowns(raw: string | undefined): DriftUnknowns {
  if (!raw) return { total: 0, items: [] };
  try {
    const parsed = driftUnknownsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { total: 0, items: [] };
  } catch {
    return { total: 0, items: [] };
  }
}

/** How many unknown places there are per reason, in the order the reasons are explained. */
export function countByReason(unknowns: DriftUnknowns): { reason: DriftUnknownReason; count: number }[] {
  return DRIFT_UNKNOWN_REASONS.map((reason) => ({ reason, count: unknowns.items.filter((u) => u.reason === reason).length })).filter((r) => r.count > 0);
}
