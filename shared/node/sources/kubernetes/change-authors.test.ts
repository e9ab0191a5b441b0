import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import type { CaptureRecord } from '../source.js';
import { ChangeAuthors, authorOf, lastManagedWrite, messageOf } from './change-authors.js';
import { kubernetesSource } from './index.js';
import { Store } from '../../store/index.js';
import { saveConfigRecord } from '../../services/config-versions.js';

/*
 * managedFields, audit events and Events in the shapes the API server writes them
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management,
 * https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event,
 * https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/).
 */
const configMap = {
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: {
    name: 'app-settings', namespace: 'shop',
    managedFields: [
      { manager: 'helm', operation: 'Update', apiVersion: 'v1', time: '2026-05-01T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:LOG_LEVEL': {} } } },
      { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: '2026-05-03T14:22:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:LOG_LEVEL': {} } } },
      { manager: 'some-operator', operation: 'Update', apiVersion: 'v1', time: '2026-05-04T00:00:00Z', subresource: 'status', fieldsType: 'FieldsV1', fieldsV1: {} },
    ],
  },
  data: { LOG_LEVEL: 'debug' },
};

const auditEntry = (over: Record<string, unknown> = {}) => ({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/shop/configmaps/app-settings', verb: 'update',
  user: { username: 'alice@example.com', groups: ['system:authenticated'] }, userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef',
  objectRef: { resource: 'configmaps', namespace: 'shop', name: 'app-settings', apiVersion: 'v1' },
  responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-05-03T14:22:04.950000Z', stageTimestamp: '2026-05-03T14:22:05.012000Z',
  ...over,
});

describe('lastManagedWrite', () => {
  it('is the latest write to the object itself: status writes are not configuration changes', () => {
    expect(lastManagedWrite(configMap)).toEqual({ manager: 'kubectl-edit', operation: 'Update', time: '2026-05-03T14:22:05.000Z', evidence: 'managedFields' });
  });
  it('is unknown without managedFields or with entries that carry no time', () => {
    expect(lastManagedWrite({ kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
    expect(lastManagedWrite({ kind: 'ConfigMap', metadata: { name: 'x', managedFields: [{ manager: 'helm', operation: 'Update' }] } })).toBeUndefined();
  });
});

describe('ChangeAuthors', () => {
  it('adds the user from the audit entry of the same write', () => {
    const authors = new ChangeAuthors();
    expect(authors.add(auditEntry({ user: { username: 'bob' }, stageTimestamp: '2026-05-01T08:00:00Z', requestReceivedTimestamp: '2026-05-01T08:00:00Z' }))).toBe(true);
    expect(authors.add(auditEntry())).toBe(true);
    const write = authors.lastWrite(configMap, 'configmaps')!;
    expect(write).toMatchObject({ manager: 'kubectl-edit', user: 'alice@example.com', time: '2026-05-03T14:22:05.000Z' });
    expect(authorOf(write)).toBe('alice@example.com via kubectl-edit');
    expect(messageOf(write)).toBe('last write: kubectl-edit Update at 2026-05-03T14:22:05.000Z by alice@example.com (managedFields)');
  });

  it('ignores failed requests, reads, status writes and other objects; an audit entry minutes away is another write', () => {
    const authors = new ChangeAuthors();
    authors.add(auditEntry({ responseStatus: { code: 409 } }));
    authors.add(auditEntry({ verb: 'get' }));
    authors.add(auditEntry({ objectRef: { resource: 'configmaps', namespace: 'shop', name: 'app-settings', subresource: 'status' } }));
    authors.add(auditEntry({ objectRef: { resource: 'configmaps', namespace: 'other', name: 'app-settings' } }));
    authors.add(auditEntry({ stageTimestamp: '2026-05-03T14:30:00Z' }));
    expect(authors.size.audit).toBe(2);
    expect(authors.lastWrite(configMap, 'configmaps')?.user).toBeUndefined();
  });

  it('without managedFields, the audit log names user and tool; else an Event names the reporting component', () => {
    const bare = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings', namespace: 'shop' } };
    const authors = new ChangeAuthors();
    authors.add({ apiVersion: 'v1', kind: 'Event', involvedObject: { kind: 'ConfigMap', namespace: 'shop', name: 'app-settings' }, reason: 'Synced', source: { component: 'argocd-application-controller' }, lastTimestamp: '2026-05-02T10:00:00Z' });
    expect(authors.lastWrite(bare)).toEqual({ manager: 'argocd-application-controller', time: '2026-05-02T10:00:00.000Z', evidence: 'event', reason: 'Synced' });
    authors.add(auditEntry({ verb: 'patch' }));
    expect(authors.lastWrite(bare)).toEqual({ manager: 'kubectl', operation: 'patch', time: '2026-05-03T14:22:05.012Z', user: 'alice@example.com', evidence: 'audit-log' });
  });
});

describe('events.k8s.io/v1 Events', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
  it('are read like core Events: regarding, reportingController, the series\' last observation', () => {
    const authors = new ChangeAuthors();
    expect(authors.add({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.17f3', namespace: 'shop', creationTimestamp: '2026-05-02T09:00:00Z' },
      regarding: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, reason: 'ScalingReplicaSet', action: 'Scaling',
      note: 'Scaled up replica set web-5d9c to 3 from 1', reportingController: 'deployment-controller', reportingInstance: '', type: 'Normal',
      eventTime: null, series: { count: 4, lastObservedTime: '2026-05-02T11:30:00.000000Z' }, deprecatedLastTimestamp: '2026-05-02T09:10:00Z',
    })).toBe(true);
    const write = authors.lastWrite(deployment)!;
    expect(write).toEqual({ manager: 'deployment-controller', time: '2026-05-02T11:30:00.000Z', evidence: 'event', reason: 'ScalingReplicaSet' });
    expect(messageOf(write)).toBe('last write: deployment-controller at 2026-05-02T11:30:00.000Z (Kubernetes Event ScalingReplicaSet)');
  });
  it('fall back to the deprecated copies of the core fields; an Event without a reporter or a time says nothing', () => {
    const authors = new ChangeAuthors();
    authors.add({ apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding: { kind: 'Deployment', namespace: 'shop', name: 'web' }, reason: 'Sync', deprecatedSource: { component: 'flux-kustomize' }, deprecatedLastTimestamp: '2026-05-01T00:00:00Z' });
    expect(authors.add({ apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding: { kind: 'Deployment', namespace: 'shop', name: 'web' }, reason: 'X', eventTime: '2026-06-01T00:00:00Z' })).toBe(false);
    expect(authors.add({ apiVersion: 'v1', kind: 'Event', involvedObject: { kind: 'Deployment', namespace: 'shop', name: 'web' }, source: { component: 'kubelet' } })).toBe(false);
    expect(authors.lastWrite(deployment)).toMatchObject({ manager: 'flux-kustomize', time: '2026-05-01T00:00:00.000Z' });
  });
  it('keep only a reason that is a code: free text is never carried into the change', () => {
    const authors = new ChangeAuthors();
    authors.add({ apiVersion: 'v1', kind: 'Event', involvedObject: { kind: 'Deployment', namespace: 'shop', name: 'web' }, reason: 'user alice@example.com edited', source: { component: 'custom' }, lastTimestamp: '2026-05-01T00:00:00Z' });
    expect(authors.lastWrite(deployment)).toEqual({ manager: 'custom', time: '2026-05-01T00:00:00.000Z', evidence: 'event' });
  });
});

describe('kubernetes source: who changed a live object', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'driftline-authors-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configs = (records: CaptureRecord[]) => records.filter((r): r is Extract<CaptureRecord, { type: 'config' }> => r.type === 'config');

  it('stores field manager, time and the audit log’s user with the configuration; a bad audit line is a warning', async () => {
    writeFileSync(join(dir, 'dump.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [configMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'shop' } }] }));
    writeFileSync(join(dir, 'audit.log'), `${JSON.stringify(auditEntry())}\nnot json\n`);
    const c = await collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'eu-west-1', file: 'dump.json', auditLogs: ['audit.log'] }, { baseDir: dir });
    expect(c.failures).toEqual([]);
    expect(c.warnings.map((w) => w.message).join('\n')).toContain('audit.log:2: not a JSON object');
    const [edited, plain] = configs(c.records);
    expect(edited).toMatchObject({ urn: 'k8s://dump/shop/ConfigMap/app-settings', author: 'alice@example.com via kubectl-edit', time: '2026-05-03T14:22:05.000Z' });
    expect(edited.message).toContain('kubectl-edit Update');
    expect(plain.author).toBeUndefined();
    expect(plain.time).toBeUndefined();
  });

  // `kubectl get deployments,configmaps,events -o json|yaml`: the Events come after the objects they are about.
  const dumpWithEvents = {
    apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 3 } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'quiet', namespace: 'shop' }, data: { a: '1' } },
      {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17f3a', namespace: 'shop' }, involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-5d9c to 3', source: { component: 'deployment-controller' },
        firstTimestamp: '2026-05-02T09:00:00Z', lastTimestamp: '2026-05-02T09:05:00Z', count: 2, type: 'Normal',
      },
      {
        apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.17f3b', namespace: 'shop' }, regarding: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        reason: 'Progressing', note: 'rollout of web by alice@example.com', reportingController: 'argo-rollouts', eventTime: '2026-05-02T10:00:00.000000Z', type: 'Normal',
      },
    ],
  };

  it.each([
    ['dump-events.json', JSON.stringify(dumpWithEvents)],
    ['dump-events.yaml', dumpWithEvents.items.map((o) => stringifyYaml(o)).join('---\n')],
  ])('reads the Events inside a dump (%s) as evidence of who acted on an object last, never their free text', async (file, text) => {
    writeFileSync(join(dir, file), text);
    const c = await collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'eu-west-1', file }, { baseDir: dir });
    expect(c.failures).toEqual([]);
    const web = configs(c.records).find((r) => r.urn === 'k8s://dump/shop/Deployment/web')!;
    expect(web).toMatchObject({ author: 'argo-rollouts', time: '2026-05-02T10:00:00.000Z' });
    expect(web.message).toBe('last write: argo-rollouts at 2026-05-02T10:00:00.000Z (Kubernetes Event Progressing)');
    expect(configs(c.records).find((r) => r.urn === 'k8s://dump/shop/ConfigMap/quiet')!.author).toBeUndefined();
    expect(JSON.stringify(configs(c.records).map((r) => [r.author, r.message]))).not.toContain('alice@example.com');
  });

  it('names the audit log that cannot be read', async () => {
    await expect(collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'eu-west-1', file: 'dump.json', auditLogs: ['missing.log'] }, { baseDir: dir }))
      .rejects.toThrow(/cannot read audit log .*missing\.log.*auditLogs/);
  });
});

describe('a live change credits its last write only when that write is newer than what was stored', () => {
  it('keeps author and time of a later write; a change with an older last write is "unknown"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-authors-store-'));
    const store = Store.open(join(dir, 'ws.driftline'), { create: true });
    try {
      store.upsertSource({ name: 'prod', kind: 'kubernetes', region: 'eu-west-1', config: { name: 'prod', kind: 'kubernetes', region: 'eu-west-1', file: 'dump.json' }, baseDir: dir });
      const urn = 'k8s://prod/shop/ConfigMap/app-settings';
      const save = (data: Record<string, string>, author: string, time: string) => {
        const snap = store.snapshots.begin('prod');
        saveConfigRecord(store, { type: 'config', urn, origin: 'live', content: { ...configMap, data }, author, time }, snap, (v) => store.fingerprint(v));
      };
      save({ LOG_LEVEL: 'info' }, 'helm', '2026-05-01T08:00:00.000Z');
      save({ LOG_LEVEL: 'debug' }, 'kubectl-edit', '2026-05-03T14:22:05.000Z');
      save({ LOG_LEVEL: 'warn' }, 'kubectl-edit', '2026-05-03T14:22:05.000Z');
      const changes = store.configs.changes({ urn }).sort((a, b) => a.id - b.id);
      expect(changes.map((c) => c.author)).toEqual(['helm', 'kubectl-edit', null]);
      expect(changes[1].time).toBe('2026-05-03T14:22:05.000Z');
      expect(changes[2].time > '2026-05-03T14:22:05.000Z').toBe(true);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
