/** A kubernetes source's config: the schema lives in shared/core (the studio form is generated from it). */
export { kubernetesConfigSchema, type KubernetesSourceConfig } from '../../../core/sources/kubernetes.js';
