import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.js';
import { findKind, walkApiDocs, type ApiDocResource } from '../../shared/core/explain/api-docs.js';
import { parsePage } from './k8s-api-docs.js';

const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/explain/k8s-api-docs.json'), 'utf8')) as ApiDocResource;
const page = (p: string) => readFileSync(corpus('kubernetes-api-zh-cn', `${p}.md`), 'utf8');

describe('the offline API reference built from the official zh-CN pages', () => {
  it('pairs each field’s English original with its Chinese, with type, reference and required', () => {
    const { types, kind } = parsePage('workload-resources/deployment-v1', page('workload-resources/deployment-v1'));
    expect(kind).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', type: 'workload-resources/deployment-v1#Deployment' });
    const spec = types.find((t) => t.name === 'DeploymentSpec')!;
    const template = spec.fields.find((f) => f.name === 'template')!;
    expect(template).toMatchObject({ type: 'PodTemplateSpec', ref: 'workload-resources/pod-template-v1#PodTemplateSpec', required: true });
    expect(template.en).toMatch(/^Template describes the pods that will be created/);
    expect(template.zh).toMatch(/^template 描述将要创建的 Pod/);
    // A type described inline (with its nested fields) becomes a type of its own.
    const strategy = types.find((t) => t.name === 'DeploymentStrategy')!;
    expect(strategy.description.zh).toBe('DeploymentStrategy 描述如何将现有 Pod 替换为新 Pod。');
    expect(strategy.fields.map((f) => f.name)).toEqual(['type', 'rollingUpdate']);
    expect(types.find((t) => t.name === 'RollingUpdateDeployment')!.fields.map((f) => f.name)).toEqual(['maxSurge', 'maxUnavailable']);
  });

  it('pairs text with its field where one heading outside the comments serves both languages', () => {
    // role-binding-v1: "- **metadata**" heads both; its English sits in a comment that goes on to
    // roleRef, and its Chinese follows the comment. Each text must stay with its own field.
    const { types } = parsePage('authorization-resources/role-binding-v1', page('authorization-resources/role-binding-v1'));
    const binding = types.find((t) => t.name === 'RoleBinding')!;
    const field = (name: string) => binding.fields.find((f) => f.name === name)!;
    expect(field('metadata')).toMatchObject({ en: "Standard object's metadata.", zh: '标准的对象元数据。' });
    expect(field('roleRef').zh).toMatch(/^roleRef 可以引用当前命名空间中的 Role/);
    expect(field('subjects').en).toMatch(/Subjects holds references to the objects the role applies to\.$/);
    expect(field('subjects').zh).toMatch(/subjects 包含角色所适用的对象的引用。$/);
    expect(types.find((t) => t.name === 'Subject')!.fields.find((f) => f.name === 'kind')!.zh).toMatch(/^被引用的对象的类别。/);
  });

  it('leaves the generator note out of descriptions and keeps list items on their own lines', () => {
    const lease = parsePage('cluster-resources/lease-v1', page('cluster-resources/lease-v1')).types.find((t) => t.name === 'Lease')!;
    expect(lease.description).toEqual({ en: 'Lease defines a lease concept.', zh: 'Lease 定义了租赁的概念。' });
    const toleration = committed.types['cluster-resources/runtime-class-v1#Toleration'];
    expect(toleration.fields.find((f) => f.name === 'operator')!.zh).toMatch(/\n- `"Exists"`/);
  });

  it('reads a page that is one type without a heading (common-definitions)', () => {
    const { types } = parsePage('common-definitions/label-selector', page('common-definitions/label-selector'));
    const selector = types.find((t) => t.name === 'LabelSelector')!;
    expect(selector.description.en).toMatch(/^A label selector is a label query/);
    expect(selector.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['matchExpressions', 'matchLabels']));
    expect(types.find((t) => t.name === 'LabelSelectorRequirement')!.fields.find((f) => f.name === 'operator')!.required).toBe(true);
  });

  it('covers every GA core kind of the pages, and the committed resource is what the generator makes', () => {
    for (const k of ['Deployment', 'Pod', 'ConfigMap', 'Service', 'Role', 'ClusterRole', 'Secret', 'StatefulSet', 'Ingress', 'NetworkPolicy', 'HorizontalPodAutoscaler']) expect(findKind(committed, k), k).toBeDefined();
    expect(findKind(committed, 'HorizontalPodAutoscaler')!.apiVersion).toBe('autoscaling/v2');
    const resources = walkApiDocs(committed, findKind(committed, 'Pod')!.type, 'spec.containers.resources', 'Pod');
    expect(resources.fieldType?.name).toBe('ResourceRequirements');
    expect(resources.field?.zh).toMatch(/计算资源/);
    const d = parsePage('workload-resources/deployment-v1', page('workload-resources/deployment-v1'));
    for (const t of d.types) expect(committed.types[t.id]?.fields.map((f) => f.name), t.id).toEqual(t.fields.map((f) => f.name));
    expect(committed.source.license).toMatch(/CC BY 4\.0/);
  });

  it('keeps Chinese only where the page has it: every Chinese text is on a page', () => {
    const all = ['workload-resources/deployment-v1', 'workload-resources/pod-v1', 'service-resources/service-v1'].map(page).join('\n').replace(/\s+/g, '');
    for (const t of Object.values(committed.types).filter((x) => ['workload-resources/deployment-v1', 'service-resources/service-v1'].includes(x.page))) {
      for (const f of t.fields) if (f.zh) expect(all.includes(f.zh.replace(/\s+/g, '').slice(0, 12)), `${t.name}.${f.name}`).toBe(true);
    }
  });
});
