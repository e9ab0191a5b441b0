/**
 * The resource catalog the test API server serves: what discovery advertises and how paths map to
 * kinds. Shapes follow the real APIResourceList (https://kubernetes.io/docs/reference/using-api/api-concepts/).
 */
export interface ServedResource {
  group: string; // '' for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
}

export const READ_VERBS = ['get', 'list', 'watch'];
/** What a real server advertises: kubectl only checks that the verb it needs is present. */
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const r = (group: string, version: string, plural: string, kind: string, namespaced: boolean, shortNames?: string[]): ServedResource => ({
  group, version, plural, kind, namespaced, shortNames, singular: kind.toLowerCase(),
});

/** The built-in kinds the server knows. Custom resources are added from CRD objects at runtime. */
export const BUILTIN_RESOURCES: ServedResource[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, ['ns']),
  r('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  r('', 'v1', 'services', 'Service', true, ['svc']),
  r('', 'v1', 'pods', 'Pod', true, ['po']),
  r('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds']),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, ['cj']),
  r('batch', 'v1', 'jobs', 'Job', true),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing']),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds']),
];

export const groupVersionOf = (res: Pick<ServedResource, 'group' | 'version'>): string => (res.group ? `${res.group}/${res.version}` : res.version);

/** One entry of an APIResourceList, as `kubectl api-resources` and discovery clients read it. */
export function apiResourceEntry(res: ServedResource): Record<string, unknown> {
  return {
    name: res.plural,
    singularName: res.singular,
    namespaced: res.namespaced,
    kind: res.kind,
    verbs: ALL_VERBS,
    ...(res.shortNames ? { shortNames: res.shortNames } : {}),
    ...(res.categories ? { categories: res.categories } : {}),
    storageVersionHash: Buffer.from(`${groupVersionOf(res)}/${res.plural}`).toString('base64').slice(0, 11),
  };
}

/** Resources served by a CustomResourceDefinition object (apiextensions.k8s.io/v1), one per served version. */
export function resourcesFromCrd(crd: any): ServedResource[] {
  const spec = crd?.spec;
  if (!spec?.group || !spec?.names?.plural || !spec?.names?.kind || !Array.isArray(spec.versions)) return [];
  return spec.versions
    .filter((v: any) => v?.served !== false && typeof v?.name === 'string')
    .map((v: any) => ({
      group: spec.group,
      version: v.name,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind,
      namespaced: spec.scope !== 'Cluster',
      shortNames: spec.names.shortNames,
      categories: spec.names.categories,
    }));
}
