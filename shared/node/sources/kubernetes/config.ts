import { z } from 'zod';

const customResourceSchema = z.object({
  group: z.string().min(1),
  version: z.string().min(1),
  plural: z.string().min(1),
});

/**
 * A `kind: kubernetes` entry of sources.yaml: a live cluster (kubeconfig/context; kubeconfig defaults
 * to ~/.kube/config) or an offline dump (`file`: `kubectl get -o json|yaml` output or multi-document YAML).
 */
export const kubernetesConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('kubernetes'),
    region: z.string().min(1),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    namespaces: z.array(z.string().min(1)).optional(),
    file: z.string().min(1).optional(),
    customResources: z.array(customResourceSchema).optional(),
    /** Audit-log files (JSON lines) and `kubectl get events -o json` files that name who changed objects. */
    auditLogs: z.array(z.string().min(1)).optional(),
    /** Clusters that should agree with this one (cluster-vs-cluster drift and RBAC comparison). */
    peers: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .superRefine((c, issue) => {
    if (c.file !== undefined && (c.kubeconfig !== undefined || c.context !== undefined)) {
      issue.addIssue({ code: 'custom', path: ['file'], message: `source "${c.name}": set either file (an offline dump) or kubeconfig/context (a live cluster), not both` });
    }
  });

export type KubernetesSourceConfig = z.infer<typeof kubernetesConfigSchema>;
