import { describe, expect, it } from 'vitest';
import { canSubject, compareClusterRbac, resolveEffectivePermissions, whoCan, type RbacObjects } from './rbac.js';

const cluster: RbacObjects = {
  roles: [{ kind: 'Role', metadata: { namespace: 'shop', name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['db'], verbs: ['get'] }] }],
  clusterRoles: [
    { kind: 'ClusterRole', metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }] }, rules: [] },
    { kind: 'ClusterRole', metadata: { name: 'view-pods', labels: { 'rbac.example.com/aggregate-to-view': 'true' } }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }] },
    { kind: 'ClusterRole', metadata: { name: 'view-deploy', labels: { 'rbac.example.com/aggregate-to-view': 'true' } }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }] },
    { kind: 'ClusterRole', metadata: { name: 'not-aggregated', labels: { 'rbac.example.com/aggregate-to-view': 'false' } }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }] },
    { kind: 'ClusterRole', metadata: { name: 'admin-all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
    { kind: 'ClusterRole', metadata: { name: 'scaler' }, rules: [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }] },
  ],
  roleBindings: [
    { kind: 'RoleBinding', metadata: { namespace: 'shop', name: 'dev-view' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'developers' }] },
    { kind: 'RoleBinding', metadata: { namespace: 'shop', name: 'web-secret' }, roleRef: { kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web' }] },
    { kind: 'RoleBinding', metadata: { namespace: 'shop', name: 'all-sa-scale' }, roleRef: { kind: 'ClusterRole', name: 'scaler' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:shop' }] },
    { kind: 'RoleBinding', metadata: { namespace: 'shop', name: 'dangling' }, roleRef: { kind: 'Role', name: 'missing' }, subjects: [{ kind: 'User', name: 'eve' }] },
  ],
  clusterRoleBindings: [
    { kind: 'ClusterRoleBinding', metadata: { name: 'ops-admin' }, roleRef: { kind: 'ClusterRole', name: 'admin-all' }, subjects: [{ kind: 'User', name: 'olga' }] },
  ],
};

const warnings: string[] = [];
const perms = resolveEffectivePermissions(cluster, { onUnresolvedBinding: (message) => warnings.push(message) });
const alice = { kind: 'User' as const, name: 'alice', groups: ['developers'] };
const webSa = { kind: 'ServiceAccount' as const, name: 'web', namespace: 'shop' };

describe('resolveEffectivePermissions', () => {
  it('expands aggregated ClusterRoles, namespaces RoleBinding→ClusterRole grants and names the path', () => {
    const developerPerms = perms.filter((p) => p.subject.name === 'developers');
    expect(developerPerms.map((p) => `${p.namespace} ${p.apiGroup}/${p.resource} ${p.verbs.join(',')}`).sort()).toEqual([
      'shop /pods get,list', 'shop /pods/log get,list', 'shop apps/deployments get',
    ]);
    expect(developerPerms[0].via).toBe('RoleBinding shop/dev-view → ClusterRole view');
    expect(perms.find((p) => p.subject.name === 'web')).toEqual({
      subject: webSa, namespace: 'shop', apiGroup: '', resource: 'secrets', resourceNames: ['db'], verbs: ['get'], via: 'RoleBinding shop/web-secret → Role secret-reader',
    });
  });

  it('tells about bindings to missing roles and skips non-resource URL rules', () => {
    expect(warnings).toEqual(['RoleBinding shop/dangling: Role missing not found — it grants nothing']);
    expect(perms.filter((p) => p.subject.name === 'olga')).toHaveLength(1);
  });
});

describe('canSubject', () => {
  it.each([
    ['a group member in the bound namespace', alice, 'list', '', 'pods', 'shop', undefined, true],
    ['a subresource granted explicitly', alice, 'get', '', 'pods/log', 'shop', undefined, true],
    ['another namespace (RoleBinding grants only its own)', alice, 'list', '', 'pods', 'payments', undefined, false],
    ['all namespaces (a RoleBinding does not grant cluster-wide)', alice, 'list', '', 'pods', '*', undefined, false],
    ['a verb not granted', alice, 'delete', '', 'pods', 'shop', undefined, false],
    ['a ClusterRole not matched by the aggregation selector', alice, 'get', '', 'secrets', 'shop', undefined, false],
    ['a named secret listed in resourceNames', webSa, 'get', '', 'secrets', 'shop', 'db', true],
    ['another secret than resourceNames allows', webSa, 'get', '', 'secrets', 'shop', 'tls', false],
    ['any secret, when only names are granted', webSa, 'get', '', 'secrets', 'shop', undefined, false],
    ['a ServiceAccount through system:serviceaccounts:<ns> and */scale', webSa, 'update', 'apps', 'deployments/scale', 'shop', undefined, true],
    ['*/scale does not grant the resource itself', webSa, 'update', 'apps', 'deployments', 'shop', undefined, false],
    ['a ServiceAccount of another namespace is not in that group', { ...webSa, namespace: 'other' }, 'update', 'apps', 'deployments/scale', 'shop', undefined, false],
    ['the ServiceAccount by its user name', { kind: 'User' as const, name: 'system:serviceaccount:shop:web' }, 'get', '', 'secrets', 'shop', 'db', true],
    ['wildcards in a ClusterRoleBinding grant everything everywhere', { kind: 'User' as const, name: 'olga' }, 'delete', 'rbac.authorization.k8s.io', 'clusterroles', '*', undefined, true],
    ['a user bound to a missing role', { kind: 'User' as const, name: 'eve' }, 'get', '', 'pods', 'shop', undefined, false],
  ])('%s → %s', (_reason, subject, verb, group, resource, namespace, name, expected) => {
    expect(canSubject(perms, subject, verb, group, resource, namespace, name)).toBe(expected);
  });
});

describe('whoCan', () => {
  it('lists every subject with the bindings that allow the request', () => {
    expect(whoCan(perms, 'get', '', 'secrets', 'shop', 'db')).toEqual([
      { subject: webSa, via: ['RoleBinding shop/web-secret → Role secret-reader'] },
      { subject: { kind: 'User', name: 'olga' }, via: ['ClusterRoleBinding ops-admin → ClusterRole admin-all'] },
    ]);
  });
});

describe('compareClusterRbac', () => {
  it('gives per subject the rights only in A and only in B', () => {
    const other = resolveEffectivePermissions({
      ...cluster,
      roleBindings: cluster.roleBindings!.filter((b: any) => b.metadata.name !== 'web-secret'),
      clusterRoleBindings: [...cluster.clusterRoleBindings!, { kind: 'ClusterRoleBinding', metadata: { name: 'web-view' }, roleRef: { kind: 'ClusterRole', name: 'view-deploy' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] }],
    });
    expect(compareClusterRbac(perms, other)).toEqual([{
      subject: webSa,
      onlyInA: [{ namespace: 'shop', apiGroup: '', resource: 'secrets', resourceNames: ['db'], verb: 'get' }],
      onlyInB: [{ namespace: '*', apiGroup: 'apps', resource: 'deployments', verb: 'get' }],
    }]);
    expect(compareClusterRbac(perms, perms)).toEqual([]);
  });
});
