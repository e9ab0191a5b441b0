import { z } from 'zod';
import { ignoreRuleSchema } from '../../../core/drift/ignore-rules.js';

/** A `kind: git` entry of sources.yaml: a GitOps checkout whose history is the desired state of a cluster. */
export const gitConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('git'),
    region: z.string().min(1),
    /** The checkout (relative to sources.yaml). */
    path: z.string().min(1),
    /** Only manifests under this sub-directory. */
    dir: z.string().min(1).optional(),
    /** The kubernetes source whose desired state this is: URNs are minted under its name so drift can match. */
    desiredFor: z.string().min(1).optional(),
    /** The branch, tag or commit to read (default HEAD). */
    ref: z.string().min(1).optional(),
    /** Drift ignore rules (kind/namespace/name globs and a JSON pointer); read by the drift analyzer. */
    ignore: z.array(ignoreRuleSchema).optional(),
    /** A YAML file of ignore rules (relative to sources.yaml). */
    ignoreFile: z.string().min(1).optional(),
  })
  .strict();

export type GitSourceConfig = z.infer<typeof gitConfigSchema>;
