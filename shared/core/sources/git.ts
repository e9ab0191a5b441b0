import { z } from 'zod';
import { ignoreRuleSchema } from '../drift/ignore-rules.js';
import { formField } from './field.js';

/** A `kind: git` entry of sources.yaml: a GitOps checkout whose history is the desired state of a cluster. */
export const gitConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('git'),
    region: z.string().min(1),
    /** The checkout (relative to sources.yaml). */
    path: formField(z.string().min(1), { input: 'path', label: 'sourceForm.git.path', help: 'sourceForm.git.pathHelp', example: './gitops' }),
    /** Only manifests under this sub-directory. */
    dir: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.git.dir', example: 'clusters/prod-cn' }),
    /** The kubernetes source whose desired state this is: URNs are minted under its name so drift can match. */
    desiredFor: formField(z.string().min(1).optional(), { input: 'text', label: 'sourceForm.git.desiredFor', help: 'sourceForm.git.desiredForHelp', example: 'prod-cn' }),
    /** The branch, tag or commit to read (default HEAD). */
    ref: formField(z.string().min(1).optional(), { input: 'text', label: 'sourceForm.git.ref', example: 'HEAD' }),
    /** Drift ignore rules (kind/namespace/name globs and a JSON pointer); read by the drift analyzer. */
    ignore: z.array(ignoreRuleSchema).optional(),
    /** A YAML file of ignore rules (relative to sources.yaml). */
    ignoreFile: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.git.ignoreFile', help: 'sourceForm.git.ignoreFileHelp', example: './drift-ignore.yaml' }),
  })
  .strict();

export type GitSourceConfig = z.infer<typeof gitConfigSchema>;
