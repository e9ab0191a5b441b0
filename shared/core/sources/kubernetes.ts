import { z } from 'zod';
import { formField } from './field.js';

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
    kubeconfig: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.kubernetes.kubeconfig', help: 'sourceForm.kubernetes.kubeconfigHelp', example: '~/.kube/config' }),
    context: formField(z.string().min(1).optional(), { input: 'text', label: 'sourceForm.kubernetes.context', example: 'prod-cn' }),
    namespaces: formField(z.array(z.string().min(1)).optional(), { input: 'list', label: 'sourceForm.kubernetes.namespaces', help: 'sourceForm.kubernetes.namespacesHelp', example: 'shop, payments' }),
    file: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.kubernetes.file', help: 'sourceForm.kubernetes.fileHelp', example: './dumps/prod-cn.json' }),
    customResources: z.array(customResourceSchema).optional(),
    /** Audit-log files (JSON lines) and `kubectl get events -o json` files that name who changed objects. */
    auditLogs: formField(z.array(z.string().min(1)).optional(), { input: 'list', label: 'sourceForm.kubernetes.auditLogs', help: 'sourceForm.kubernetes.auditLogsHelp', example: './audit.log, ./events.json' }),
    /** Clusters that should agree with this one (cluster-vs-cluster drift and RBAC comparison). */
    peers: formField(z.array(z.string().min(1)).optional(), { input: 'list', label: 'sourceForm.kubernetes.peers', help: 'sourceForm.kubernetes.peersHelp', example: 'prod-eu' }),
  })
  .strict()
  .superRefine((c, issue) => {
    if (c.file !== undefined && (c.kubeconfig !== undefined || c.context !== undefined)) {
      issue.addIssue({ code: 'custom', path: ['file'], message: `source "${c.name}": set either file (an offline dump) or kubeconfig/context (a live cluster), not both` });
    }
  });

export type KubernetesSourceConfig = z.infer<typeof kubernetesConfigSchema>;
