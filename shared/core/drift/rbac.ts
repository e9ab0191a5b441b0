import { isJsonObject } from './deep-equal.js';

/** Who a binding grants to. */
export interface RbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** For ServiceAccounts. */
  namespace?: string;
}

/** One right a subject holds: verbs on a resource of an API group, in a namespace or everywhere ('*'). */
export interface EffectivePermission {
  subject: RbacSubject;
  namespace: string | '*';
  apiGroup: string;
  resource: string;
  /** Only these objects, when the rule names them. */
  resourceNames?: string[];
  verbs: string[];
  /** Which binding grants it through which role, e.g. "RoleBinding shop/web → ClusterRole view". */
  via: string;
}

/** Plain Kubernetes RBAC objects, as `kubectl get -o json` prints them. */
export interface RbacObjects {
  roles?: readonly unknown[];
  clusterRoles?: readonly unknown[];
  roleBindings?: readonly unknown[];
  clusterRoleBindings?: readonly unknown[];
}

/** Options of {@link resolveEffectivePermissions}. */
export interface ResolveOptions {
  /** Told about bindings whose role does not exist (they grant nothing, as in the API server). */
  onUnresolvedBinding?: (message: string) => void;
}

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const metadataOf = (object: unknown): Record<string, unknown> => (isJsonObject(object) && isJsonObject(object.metadata) ? object.metadata : {});
const nameOf = (object: unknown): string => String(metadataOf(object).name ?? '');
const namespaceOf = (object: unknown): string => String(metadataOf(object).namespace ?? '');

function rulesOf(role: unknown): PolicyRule[] {
  if (!isJsonObject(role) || !Array.isArray(role.rules)) return [];
  return role.rules.filter(isJsonObject).map((rule) => {
    const resourceNames = strings(rule.resourceNames);
    // Non-resource URL rules (/healthz…) grant nothing on API resources and are left out.
    return { apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs), resourceNames: resourceNames.length > 0 ? resourceNames : undefined };
  }).filter((rule) => rule.resources.length > 0 && rule.verbs.length > 0);
}

/** Kubernetes label selector semantics: every matchLabels pair and every matchExpression must hold. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (!isJsonObject(selector)) return false;
  const matchLabels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isJsonObject) : [];
  // An empty selector matches nothing here: an aggregation rule that selects every ClusterRole is a mistake, not an intent.
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return expressions.every((expression) => {
    const key = String(expression.key);
    const values = strings(expression.values);
    const has = Object.hasOwn(labels, key);
    switch (expression.operator) {
      case 'In': return has && values.includes(String(labels[key]));
      case 'NotIn': return !has || !values.includes(String(labels[key]));
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/**
 * Rules of every ClusterRole, with aggregated ClusterRoles (aggregationRule.clusterRoleSelectors)
 * holding their own rules plus those of every ClusterRole whose labels match, transitively — the
 * aggregation controller fills `rules` in the cluster, but manifests from git have them empty.
 */
function clusterRoleRules(clusterRoles: readonly unknown[]): Map<string, PolicyRule[]> {
  const byName = new Map(clusterRoles.map((role) => [nameOf(role), role]));
  const resolved = new Map<string, PolicyRule[]>();
  const resolve = (name: string, visiting: Set<string>): PolicyRule[] => {
    const known = resolved.get(name);
    if (known) return known;
    const role = byName.get(name);
    if (!role || visiting.has(name)) return [];
    visiting.add(name);
    const rules = [...rulesOf(role)];
    const selectors = isJsonObject(role) && isJsonObject(role.aggregationRule) && Array.isArray(role.aggregationRule.clusterRoleSelectors)
      ? role.aggregationRule.clusterRoleSelectors : [];
    if (selectors.length > 0) {
      for (const [otherName, other] of byName) {
        if (otherName === name) continue;
        const labels = isJsonObject(metadataOf(other).labels) ? (metadataOf(other).labels as Record<string, unknown>) : {};
        if (selectors.some((selector) => labelSelectorMatches(selector, labels))) rules.push(...resolve(otherName, visiting));
      }
    }
    visiting.delete(name);
    resolved.set(name, rules);
    return rules;
  };
  for (const name of byName.keys()) resolve(name, new Set());
  return resolved;
}

function subjectsOf(binding: unknown, bindingNamespace: string): RbacSubject[] {
  if (!isJsonObject(binding) || !Array.isArray(binding.subjects)) return [];
  return binding.subjects.filter(isJsonObject).flatMap((subject): RbacSubject[] => {
    const name = String(subject.name ?? '');
    if (subject.kind === 'ServiceAccount') {
      // A ServiceAccount subject without a namespace means the binding's own (kubectl's behaviour for RoleBindings).
      return [{ kind: 'ServiceAccount', name, namespace: String(subject.namespace ?? bindingNamespace) }];
    }
    if (subject.kind === 'User' || subject.kind === 'Group') return [{ kind: subject.kind, name }];
    return [];
  });
}

/**
 * Every right each subject holds through RoleBindings and ClusterRoleBindings. A RoleBinding to a
 * ClusterRole grants that role's rules in the binding's namespace only; ClusterRoleBindings grant
 * in every namespace ('*'). One permission per subject, binding rule, API group and resource.
 */
export function resolveEffectivePermissions(objects: RbacObjects, options: ResolveOptions = {}): EffectivePermission[] {
  const roleRules = new Map((objects.roles ?? []).map((role) => [`${namespaceOf(role)}/${nameOf(role)}`, rulesOf(role)]));
  const clusterRules = clusterRoleRules(objects.clusterRoles ?? []);
  const permissions: EffectivePermission[] = [];
  const grant = (binding: unknown, bindingKind: string, namespace: string | '*'): void => {
    const roleRef = isJsonObject(binding) && isJsonObject(binding.roleRef) ? binding.roleRef : {};
    const bindingNamespace = namespace === '*' ? '' : namespace;
    const roleName = String(roleRef.name ?? '');
    const rules = roleRef.kind === 'Role' && namespace !== '*' ? roleRules.get(`${namespace}/${roleName}`)
      : roleRef.kind === 'ClusterRole' ? clusterRules.get(roleName) : undefined;
    const bindingLabel = `${bindingKind} ${bindingNamespace ? `${bindingNamespace}/` : ''}${nameOf(binding)}`;
    if (!rules) {
      options.onUnresolvedBinding?.(`${bindingLabel}: ${String(roleRef.kind)} ${roleName} not found — it grants nothing`);
      return;
    }
    const via = `${bindingLabel} → ${String(roleRef.kind)} ${roleName}`;
    for (const subject of subjectsOf(binding, bindingNamespace)) {
      for (const rule of rules) {
        for (const apiGroup of rule.apiGroups) {
          for (const resource of rule.resources) {
            permissions.push({ subject, namespace, apiGroup, resource, ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}), verbs: rule.verbs, via });
          }
        }
      }
    }
  };
  for (const binding of objects.roleBindings ?? []) grant(binding, 'RoleBinding', namespaceOf(binding));
  for (const binding of objects.clusterRoleBindings ?? []) grant(binding, 'ClusterRoleBinding', '*');
  return permissions;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** A subject as the names the API server authenticates it by: its user name and its groups. */
function identitiesOf(subject: RbacSubject & { groups?: readonly string[] }): { user?: string; groups: Set<string> } {
  if (subject.kind === 'Group') return { groups: new Set([subject.name]) };
  const groups = new Set(subject.groups ?? []);
  groups.add('system:authenticated');
  if (subject.kind === 'ServiceAccount') {
    groups.add('system:serviceaccounts');
    groups.add(`system:serviceaccounts:${subject.namespace ?? ''}`);
    return { user: `system:serviceaccount:${subject.namespace ?? ''}:${subject.name}`, groups };
  }
  const serviceAccount = SERVICE_ACCOUNT_USER.exec(subject.name);
  if (serviceAccount) {
    groups.add('system:serviceaccounts');
    groups.add(`system:serviceaccounts:${serviceAccount[1]}`);
  }
  return { user: subject.name, groups };
}

function userNameOf(subject: RbacSubject): string | undefined {
  if (subject.kind === 'ServiceAccount') return `system:serviceaccount:${subject.namespace ?? ''}:${subject.name}`;
  return subject.kind === 'User' ? subject.name : undefined;
}

const resourceMatches = (granted: string, requested: string): boolean =>
  granted === '*' || granted === requested ||
  // "*/scale" grants the scale subresource of every resource.
  (granted.startsWith('*/') && requested.includes('/') && requested.slice(requested.indexOf('/')) === granted.slice(1));

/** True when the permission covers the request. namespace '*' asks for all namespaces (or a cluster-scoped resource). */
export function permissionAllows(permission: EffectivePermission, verb: string, apiGroup: string, resource: string, namespace: string, name?: string): boolean {
  if (!(permission.verbs.includes('*') || permission.verbs.includes(verb))) return false;
  if (!(permission.apiGroup === '*' || permission.apiGroup === apiGroup)) return false;
  if (!resourceMatches(permission.resource, resource)) return false;
  if (permission.namespace !== '*' && permission.namespace !== namespace) return false;
  if (permission.resourceNames && (name === undefined || !permission.resourceNames.includes(name))) return false;
  return true;
}

/**
 * Whether a subject may do `verb` on `apiGroup/resource` in `namespace` (optionally one named
 * object), counting the groups it belongs to: every ServiceAccount is in system:serviceaccounts,
 * system:serviceaccounts:<ns> and system:authenticated; pass a user's other groups in `subject.groups`.
 */
export function canSubject(
  permissions: readonly EffectivePermission[],
  subject: RbacSubject & { groups?: readonly string[] },
  verb: string, apiGroup: string, resource: string, namespace: string, name?: string,
): boolean {
  const identity = identitiesOf(subject);
  return permissions.some((permission) => {
    const holder = permission.subject;
    const held = holder.kind === 'Group' ? identity.groups.has(holder.name) : identity.user !== undefined && userNameOf(holder) === identity.user;
    return held && permissionAllows(permission, verb, apiGroup, resource, namespace, name);
  });
}

/** A subject named in some binding that allows a request, with the bindings that allow it. */
export interface WhoCanEntry {
  subject: RbacSubject;
  via: string[];
}

export const subjectKey = (subject: RbacSubject): string => `${subject.kind}:${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;

/** Every subject (User, Group, ServiceAccount) that bindings allow to do the request, sorted by subject. */
export function whoCan(permissions: readonly EffectivePermission[], verb: string, apiGroup: string, resource: string, namespace: string, name?: string): WhoCanEntry[] {
  const bySubject = new Map<string, WhoCanEntry>();
  for (const permission of permissions) {
    if (!permissionAllows(permission, verb, apiGroup, resource, namespace, name)) continue;
    const key = subjectKey(permission.subject);
    const entry = bySubject.get(key) ?? { subject: permission.subject, via: [] };
    if (!entry.via.includes(permission.via)) entry.via.push(permission.via);
    bySubject.set(key, entry);
  }
  return [...bySubject.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}

/** One verb on one resource in one namespace: the unit two clusters' rights are compared in. */
export interface RbacRight {
  namespace: string;
  apiGroup: string;
  resource: string;
  resourceNames?: string[];
  verb: string;
}

/** A subject whose rights differ between cluster A and cluster B. */
export interface RbacComparison {
  subject: RbacSubject;
  onlyInA: RbacRight[];
  onlyInB: RbacRight[];
}

function rightsBySubject(permissions: readonly EffectivePermission[]): Map<string, { subject: RbacSubject; rights: Map<string, RbacRight> }> {
  const bySubject = new Map<string, { subject: RbacSubject; rights: Map<string, RbacRight> }>();
  for (const permission of permissions) {
    const key = subjectKey(permission.subject);
    const entry = bySubject.get(key) ?? { subject: permission.subject, rights: new Map() };
    const resourceNames = permission.resourceNames ? [...permission.resourceNames].sort() : undefined;
    for (const verb of permission.verbs) {
      const right: RbacRight = { namespace: permission.namespace, apiGroup: permission.apiGroup, resource: permission.resource, ...(resourceNames ? { resourceNames } : {}), verb };
      entry.rights.set(JSON.stringify([right.namespace, right.apiGroup, right.resource, resourceNames ?? null, verb]), right);
    }
    bySubject.set(key, entry);
  }
  return bySubject;
}

/**
 * Per subject, the rights only cluster A grants and those only cluster B grants (compared as
 * written: a wildcard is one right, not the list it expands to). Subjects with equal rights are left out.
 */
export function compareClusterRbac(permissionsA: readonly EffectivePermission[], permissionsB: readonly EffectivePermission[]): RbacComparison[] {
  const a = rightsBySubject(permissionsA);
  const b = rightsBySubject(permissionsB);
  const comparisons: RbacComparison[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const rightsA = a.get(key)?.rights ?? new Map<string, RbacRight>();
    const rightsB = b.get(key)?.rights ?? new Map<string, RbacRight>();
    const onlyInA = [...rightsA.keys()].filter((right) => !rightsB.has(right)).sort().map((right) => rightsA.get(right)!);
    const onlyInB = [...rightsB.keys()].filter((right) => !rightsA.has(right)).sort().map((right) => rightsB.get(right)!);
    if (onlyInA.length > 0 || onlyInB.length > 0) comparisons.push({ subject: (a.get(key) ?? b.get(key))!.subject, onlyInA, onlyInB });
  }
  return comparisons;
}
