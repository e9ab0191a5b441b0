import { BUILTIN_RESOURCES, groupVersionOf, type ServedResource } from './resources.js';

/**
 * A small but real-shaped Swagger 2.0 document, as GET /openapi/v2 returns it: definitions named
 * like upstream's (`io.k8s.api.apps.v1.Deployment`), `$ref`s between them, field descriptions, and
 * `x-kubernetes-group-version-kind` on each top-level kind — which is how clients find a kind's
 * schema. Descriptions are abridged from the Kubernetes API reference.
 */
type Schema = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string, description?: string): Schema => ({ ...(description ? { description } : {}), $ref: `#/definitions/${name}` });
const str = (description: string): Schema => ({ type: 'string', description });
const int = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const arr = (items: Schema, description: string): Schema => ({ type: 'array', items, description });
const strMap = (description: string): Schema => ({ type: 'object', additionalProperties: { type: 'string' }, description });

const API_VERSION = str('APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources');
const KIND = str('Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds');
const METADATA = ref(`${META}.ObjectMeta`, "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

const definitionName = (res: Pick<ServedResource, 'group' | 'version' | 'kind'>): string => {
  const g = res.group === '' ? 'core' : res.group.split('.')[0];
  return res.group === 'apiextensions.k8s.io'
    ? `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${res.version}.${res.kind}`
    : `io.k8s.api.${g}.${res.version}.${res.kind}`;
};

/** Kind-specific top-level fields (besides apiVersion, kind, metadata). */
const KIND_FIELDS: Record<string, Schema> = {
  Namespace: { spec: ref('io.k8s.api.core.v1.NamespaceSpec', 'Spec defines the behavior of the Namespace.') },
  ConfigMap: {
    data: strMap('Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
    binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'BinaryData contains the binary data. Values are base64-encoded.' },
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.'),
  },
  Secret: {
    data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'Data contains the secret data. The serialized form of the secret data is a base64 encoded string.' },
    stringData: strMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.'),
    type: str('Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated.'),
  },
  ServiceAccount: {
    secrets: arr(ref('io.k8s.api.core.v1.ObjectReference'), 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    imagePullSecrets: arr(ref('io.k8s.api.core.v1.LocalObjectReference'), 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.'),
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
  },
  Service: { spec: { type: 'object', description: 'Spec defines the behavior of a service.', properties: { selector: strMap('Route service traffic to pods with label keys and values matching this selector.'), ports: arr({ type: 'object' }, 'The list of ports that are exposed by this service.'), type: str('type determines how the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.') } } },
  Pod: { spec: ref('io.k8s.api.core.v1.PodSpec', 'Specification of the desired behavior of the pod.') },
  Deployment: { spec: ref('io.k8s.api.apps.v1.DeploymentSpec', 'Specification of the desired behavior of the Deployment.') },
  StatefulSet: { spec: { type: 'object', description: 'Spec defines the desired identities of pods in this set.', properties: { replicas: int('replicas is the desired number of replicas of the given Template.'), serviceName: str('serviceName is the name of the service that governs this StatefulSet.'), template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'template is the object that describes the pod that will be created if insufficient replicas are detected.') } } },
  DaemonSet: { spec: { type: 'object', description: 'The desired behavior of this daemon set.', properties: { template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'An object that describes the pod that will be created.') } } },
  Job: { spec: { type: 'object', description: 'Specification of the desired behavior of a job.', properties: { template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'Describes the pod that will be created when executing a job.') } } },
  CronJob: { spec: { type: 'object', description: 'Specification of the desired behavior of a cron job, including the schedule.', properties: { schedule: str('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'), suspend: bool('This flag tells the controller to suspend subsequent executions.'), jobTemplate: { type: 'object', description: 'Specifies the job that will be created when executing a CronJob.', properties: { spec: { type: 'object', properties: { template: ref('io.k8s.api.core.v1.PodTemplateSpec') } } } } } } },
  Ingress: { spec: { type: 'object', description: 'spec is the desired state of the Ingress.', properties: { ingressClassName: str('ingressClassName is the name of an IngressClass cluster resource.'), rules: arr({ type: 'object' }, 'rules is a list of host rules used to configure the Ingress.'), tls: arr({ type: 'object' }, 'tls represents the TLS configuration.') } } },
  Role: { rules: arr(ref('io.k8s.api.rbac.v1.PolicyRule'), 'Rules holds all the PolicyRules for this Role') },
  ClusterRole: { rules: arr(ref('io.k8s.api.rbac.v1.PolicyRule'), 'Rules holds all the PolicyRules for this ClusterRole'), aggregationRule: { type: 'object', description: 'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.' } },
  RoleBinding: { subjects: arr(ref('io.k8s.api.rbac.v1.Subject'), 'Subjects holds references to the objects the role applies to.'), roleRef: ref('io.k8s.api.rbac.v1.RoleRef', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.') },
  ClusterRoleBinding: { subjects: arr(ref('io.k8s.api.rbac.v1.Subject'), 'Subjects holds references to the objects the role applies to.'), roleRef: ref('io.k8s.api.rbac.v1.RoleRef', 'RoleRef can only reference a ClusterRole in the global namespace.') },
  CustomResourceDefinition: { spec: { type: 'object', description: 'spec describes how the user wants the resources to appear', properties: { group: str('group is the API group of the defined custom resource.'), scope: str('scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.'), names: { type: 'object', description: 'names specify the resource and kind names for the custom resource.' }, versions: arr({ type: 'object' }, 'versions is the list of all API versions of the defined custom resource.') } } },
};

const KIND_DESCRIPTIONS: Record<string, string> = {
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  ServiceAccount: 'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  Service: 'Service is a named abstraction of software service (for example, mysql) consisting of local port that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  Pod: 'Pod is a collection of containers that can run on a host.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  StatefulSet: 'StatefulSet represents a set of pods with consistent identities.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  Job: 'Job represents the configuration of a single job.',
  CronJob: 'CronJob represents the configuration of a single cron job.',
  Ingress: 'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.',
  Role: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  ClusterRole: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  RoleBinding: 'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
  ClusterRoleBinding: 'ClusterRoleBinding references a ClusterRole, but not contain it.',
  CustomResourceDefinition: 'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
};

/** Shared definitions the kinds point at. */
const SHARED_DEFINITIONS: Record<string, Schema> = {
  [`${META}.ObjectMeta`]: {
    description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    type: 'object',
    properties: {
      name: str('Name must be unique within a namespace. Is required when creating resources.'),
      namespace: str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace.'),
      labels: strMap('Map of string keys and values that can be used to organize and categorize (scope and select) objects.'),
      annotations: strMap('Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.'),
      resourceVersion: str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed.'),
      uid: str('UID is the unique in time and space value for this object.'),
      creationTimestamp: { type: 'string', format: 'date-time', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
    },
  },
  'io.k8s.api.core.v1.NamespaceSpec': { description: 'NamespaceSpec describes the attributes on a Namespace.', type: 'object', properties: { finalizers: arr({ type: 'string' }, 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.') } },
  'io.k8s.api.core.v1.ObjectReference': { description: 'ObjectReference contains enough information to let you inspect or modify the referred object.', type: 'object', properties: { name: str('Name of the referent.'), namespace: str('Namespace of the referent.'), kind: str('Kind of the referent.') } },
  'io.k8s.api.core.v1.LocalObjectReference': { description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.', type: 'object', properties: { name: str('Name of the referent.') } },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    type: 'object',
    required: ['selector', 'template'],
    properties: {
      replicas: int('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'),
      selector: { type: 'object', description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.' },
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'Template describes the pods that will be created.'),
      strategy: { type: 'object', description: 'The deployment strategy to use to replace existing pods with new ones.' },
    },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': { description: 'PodTemplateSpec describes the data a pod should have when created from a template', type: 'object', properties: { metadata: METADATA, spec: ref('io.k8s.api.core.v1.PodSpec', 'Specification of the desired behavior of the pod.') } },
  'io.k8s.api.core.v1.PodSpec': {
    description: 'PodSpec is a description of a pod.',
    type: 'object',
    properties: {
      containers: arr(ref('io.k8s.api.core.v1.Container'), 'List of containers belonging to the pod.'),
      initContainers: arr(ref('io.k8s.api.core.v1.Container'), 'List of initialization containers belonging to the pod.'),
      serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
      volumes: arr({ type: 'object' }, 'List of volumes that can be mounted by containers belonging to the pod.'),
      imagePullSecrets: arr(ref('io.k8s.api.core.v1.LocalObjectReference'), 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.'),
    },
  },
  'io.k8s.api.core.v1.Container': {
    description: 'A single application container that you want to run within a pod.',
    type: 'object',
    required: ['name'],
    properties: {
      name: str('Name of the container specified as a DNS_LABEL.'),
      image: str('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
      env: arr(ref('io.k8s.api.core.v1.EnvVar'), 'List of environment variables to set in the container.'),
      envFrom: arr({ type: 'object' }, 'List of sources to populate environment variables in the container.'),
      volumeMounts: arr({ type: 'object' }, "Pod volumes to mount into the container's filesystem."),
    },
  },
  'io.k8s.api.core.v1.EnvVar': { description: 'EnvVar represents an environment variable present in a Container.', type: 'object', required: ['name'], properties: { name: str('Name of the environment variable. Must be a C_IDENTIFIER.'), value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container.'), valueFrom: { type: 'object', description: "Source for the environment variable's value. Cannot be used if value is not empty." } } },
  'io.k8s.api.rbac.v1.PolicyRule': { description: 'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.', type: 'object', required: ['verbs'], properties: { apiGroups: arr({ type: 'string' }, 'APIGroups is the name of the APIGroup that contains the resources.'), resources: arr({ type: 'string' }, "Resources is a list of resources this rule applies to. '*' represents all resources."), verbs: arr({ type: 'string' }, "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."), resourceNames: arr({ type: 'string' }, 'ResourceNames is an optional white list of names that the rule applies to.') } },
  'io.k8s.api.rbac.v1.Subject': { description: 'Subject contains a reference to the object or user identities a role binding applies to.', type: 'object', required: ['kind', 'name'], properties: { kind: str('Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".'), name: str('Name of the object being referenced.'), namespace: str('Namespace of the referenced object.') } },
  'io.k8s.api.rbac.v1.RoleRef': { description: 'RoleRef contains information that points to the role being used', type: 'object', required: ['apiGroup', 'kind', 'name'], properties: { apiGroup: str('APIGroup is the group for the resource being referenced'), kind: str('Kind is the type of resource being referenced'), name: str('Name is the name of resource being referenced') } },
};

/** Builds the Swagger document for the built-in kinds (custom resources are published by CRDs, not here). */
export function buildOpenApiV2(gitVersion: string): Record<string, unknown> {
  const definitions: Record<string, Schema> = { ...SHARED_DEFINITIONS };
  const paths: Record<string, unknown> = {};
  for (const res of BUILTIN_RESOURCES) {
    const name = definitionName(res);
    definitions[name] = {
      description: KIND_DESCRIPTIONS[res.kind] ?? res.kind,
      type: 'object',
      properties: { apiVersion: API_VERSION, kind: KIND, metadata: METADATA, ...(KIND_FIELDS[res.kind] ?? {}) },
      'x-kubernetes-group-version-kind': [{ group: res.group, kind: res.kind, version: res.version }],
    };
    const base = res.group ? `/apis/${groupVersionOf(res)}` : '/api/v1';
    const listPath = res.namespaced ? `${base}/namespaces/{namespace}/${res.plural}` : `${base}/${res.plural}`;
    paths[listPath] = {
      get: {
        description: `list or watch objects of kind ${res.kind}`,
        operationId: `list${res.kind}`,
        produces: ['application/json', 'application/yaml', 'application/json;stream=watch'],
        schemes: ['https'],
        responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${name}List` } }, '401': { description: 'Unauthorized' } },
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': { group: res.group, kind: res.kind, version: res.version },
      },
    };
    definitions[`${name}List`] = {
      description: `${res.kind}List is a list of ${res.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: { apiVersion: API_VERSION, items: arr(ref(name), `Items is the list of ${res.kind} objects.`), kind: KIND, metadata: ref(`${META}.ListMeta`) },
      'x-kubernetes-group-version-kind': [{ group: res.group, kind: `${res.kind}List`, version: res.version }],
    };
  }
  definitions[`${META}.ListMeta`] = { description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.', type: 'object', properties: { continue: str('continue may be set if the user set a limit on the number of items returned.'), resourceVersion: str("String that identifies the server's internal version of this object.") } };
  return { swagger: '2.0', info: { title: 'Kubernetes', version: gitVersion }, paths, definitions };
}
