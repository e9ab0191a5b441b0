import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { ANOMALY_THRESHOLD } from '../../../core/drift/anomaly.js';
import type { Finding } from '../../../core/model/finding.js';
import { k8sUrn } from '../../../core/model/urn.js';
import { createLogger } from '../../log/logger.js';
import { Store, type StoredSource } from '../../store/index.js';
import { runScan } from '../scan.js';
import type { AnalyzerContext } from './analyzer.js';
import { anomaliesAnalyzer, anomalySeverity } from './anomalies.js';
import { corpus } from '../../../../scripts/testing/corpora.js';
import { registerConfigStandIns, type Manifest } from '../../../../scripts/testing/config-stand-ins.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

interface Commit { revision: string; author: string; time: string; message: string; manifest: Manifest }
// The kubernetes and git kinds are stand-ins here (see scripts/testing/config-stand-ins.ts);
// this test's history keeps every object in namespace sock-shop.
const standIns = registerConfigStandIns();
const inSockShop = (m: Manifest): Manifest => ({ ...m, metadata: { ...m.metadata, namespace: 'sock-shop' } });
const clusters = { set: (name: string, objects: Manifest[]) => standIns.clusters.set(name, objects.map(inSockShop)) };
const repositories = {
  set: (name: string, commits: Commit[]) =>
    standIns.repositories.set(name, commits.map(({ manifest, ...c }) => ({ ...c, objects: [{ namespace: 'sock-shop', manifest }] }))),
};
const source = (name: string, kind: string, extra: Record<string, unknown> = {}): StoredSource =>
  ({ name, kind, region: 'cn-north-1', config: { name, kind, region: 'cn-north-1', ...extra }, baseDir: tmp.dir });
const ctx = (): AnalyzerContext => ({ log: createLogger('test.anomalies'), signal: new AbortController().signal, progress: () => {} });

const SOCK_SHOP = corpus('argocd-example-apps', 'sock-shop', 'base');
const SERVICES = ['carts', 'orders', 'payment', 'shipping', 'user'];
const manifestOf = (service: string): Manifest => parseYaml(readFileSync(`${SOCK_SHOP}/${service}-dep.yaml`, 'utf8'));

/**
 * Eight weeks of ordinary work on sock-shop — alice and bob bump one image tag at a time, on
 * weekdays between 10:00 and 17:00 UTC — with two intrusions: one Sunday at 03:12 eve (never seen
 * before) makes the user container privileged; another Sunday at 03:02 mallory (never seen before)
 * makes four commits in six minutes that loosen the other containers' securityContext.
 */
function history(): { commits: Commit[]; ordinary: Set<string>; eve: string; mallory: Set<string> } {
  const current = new Map(SERVICES.map((service) => [service, manifestOf(service)]));
  const commits: Commit[] = [];
  let sequence = 0;
  const commit = (author: string, time: Date, service: string, message: string, edit: (m: Manifest) => void): void => {
    const manifest = structuredClone(current.get(service)!);
    edit(manifest);
    current.set(service, manifest);
    commits.push({ revision: (++sequence).toString(16).padStart(40, '0'), author, time: time.toISOString(), message, manifest });
  };
  const monday = Date.parse('2025-09-01T00:00:00Z');
  SERVICES.forEach((service, i) => commit('alice', new Date(monday + (9 * 60 + 30 + i) * 60_000), service, `add ${service}`, () => {}));
  let version = 10;
  for (let week = 0; week < 8; week++) {
    for (let day = 0; day < 5; day++) {
      const service = SERVICES[(week * 5 + day) % SERVICES.length];
      const minutes = (10 + ((week * 7 + day * 3) % 7)) * 60 + ((week * 13 + day * 17) % 60);
      const time = new Date(monday + ((week * 7 + day) * 24 * 60 + minutes) * 60_000);
      const tag = `0.4.${version++}`;
      commit((week + day) % 2 === 0 ? 'alice' : 'bob', time, service, `release ${service} ${tag}`, (m) => {
        m.spec.template.spec.containers[0].image = m.spec.template.spec.containers[0].image.replace(/:.*$/, `:${tag}`);
      });
    }
  }
  const ordinaryCount = commits.length;
  commit('eve', new Date('2025-10-19T03:12:00Z'), 'user', 'tmp', (m) => { m.spec.template.spec.containers[0].securityContext.privileged = true; });
  const sunday = Date.parse('2025-11-02T03:02:00Z');
  SERVICES.slice(0, 4).forEach((service, i) => commit('mallory', new Date(sunday + i * 2 * 60_000), service, 'debug', (m) => {
    const securityContext = m.spec.template.spec.containers[0].securityContext;
    Object.assign(securityContext, { privileged: true, runAsNonRoot: false, readOnlyRootFilesystem: false });
  }));
  return {
    commits,
    ordinary: new Set(commits.slice(0, ordinaryCount).map((c) => c.revision)),
    eve: commits[ordinaryCount].revision,
    mallory: new Set(commits.slice(ordinaryCount + 1).map((c) => c.revision)),
  };
}

describe('anomalies analyzer', () => {
  let store: Store;
  let findings: Extract<Finding, { type: 'anomaly' }>[];
  let suspiciousChangeIds: number[];
  let eveChangeId: number;
  const flaggedBurst = () => findings.filter((f) => suspiciousChangeIds.includes(f.changeId!) && f.changeId !== eveChangeId);
  let ordinaryChangeIds: number[];
  afterAll(() => store.close());

  beforeAll(async () => {
    store = Store.open(tmp.path('anomalies.driftline'), { create: true });
    const { commits, ordinary, eve, mallory } = history();
    repositories.set('gitops', commits);
    // The cluster's first capture: every object is 'added' at scan time, by nobody in particular.
    clusters.set('prod-cn', SERVICES.map(manifestOf));
    await runScan({ store, sources: [source('gitops', 'git', { desiredFor: 'prod-cn' }), source('prod-cn', 'kubernetes')], analyze: false });
    const revisionOf = new Map<number, string | null>();
    for (const change of store.configs.changes()) {
      if (change.origin !== 'desired' || change.toVersion === null) continue;
      const version = store.configs.versions(change.urn, 'desired').find((v) => v.id === change.toVersion);
      revisionOf.set(change.id, version?.revision ?? null);
    }
    eveChangeId = [...revisionOf].find(([, revision]) => revision === eve)![0];
    suspiciousChangeIds = [eveChangeId, ...[...revisionOf].filter(([, revision]) => revision && mallory.has(revision)).map(([id]) => id)];
    ordinaryChangeIds = [...revisionOf].filter(([, revision]) => revision && ordinary.has(revision)).map(([id]) => id);
    await anomaliesAnalyzer.run(store, ctx());
    findings = store.findings.list({ type: 'anomaly' }).map((f) => f.finding as Extract<Finding, { type: 'anomaly' }>);
  });

  it('the workspace holds the whole history as changes (so the assertions below can fail)', () => {
    expect(suspiciousChangeIds).toHaveLength(5);
    expect(ordinaryChangeIds).toHaveLength(45);
    expect(store.configs.changes().filter((c) => c.origin === 'live' && c.change === 'added')).toHaveLength(5);
  });

  it('flags a newcomer\'s Sunday-night change to securityContext, naming the time, the author and the key', () => {
    const finding = findings.find((f) => f.changeId === eveChangeId)!;
    expect(finding).toMatchObject({ rule: 'anomaly.unusual-change', urn: k8sUrn('prod-cn', 'sock-shop', 'Deployment', 'user'), confidence: 0.9, severity: 'high' });
    expect(finding.explanation).toMatch(/changed at 03:12 on a Sunday; this object is usually changed on weekdays \d\d–\d\d/);
    expect(finding.explanation).toContain('author eve has never changed namespace sock-shop before');
    expect(finding.explanation).toContain('securityContext.privileged');
    expect(finding.evidence).toMatch(/^Deployment sock-shop\/user changed in commit 0+\w+ by eve at 2025-10-19T03:12:00.000Z \("tmp"\); touches spec\.template\.spec\.containers\[user\]\.securityContext\.privileged/);
  });

  it('flags every change of a newcomer\'s night-time burst on securityContext, with its change id', () => {
    const flagged = flaggedBurst();
    expect(flagged.map((f) => f.changeId).sort()).toEqual(suspiciousChangeIds.filter((id) => id !== eveChangeId).sort());
    for (const finding of flagged) {
      expect(finding).toMatchObject({ rule: 'anomaly.unusual-change', severity: anomalySeverity(finding.score), confidence: 0.9 });
      expect(finding.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
      expect(finding.explanation).toContain('securityContext.privileged');
      expect(finding.evidence).toMatch(/^Deployment sock-shop\/\w+ changed in commit 0+\w+ by mallory at 2025-11-02T03:/);
    }
  });

  /*
   * The scorer leaves a change's own burst out of the history it is compared with; before it did,
   * mallory's burst was mallory's own habit and the explanation was only "touches
   * securityContext.privileged, securityContext; author mallory has not changed this object before
   * (3 changes in sock-shop)". Four changes in six minutes stay below the burst feature's floor
   * (more than four other changes in the window), so the burst's size is not a reason here.
   */
  it('explains a newcomer\'s burst by its hour and its author being new, not by the burst\'s own changes', () => {
    expect(flaggedBurst()).toHaveLength(4);
    for (const finding of flaggedBurst()) {
      expect(finding.explanation).toMatch(/changed at 03:0\d on a Sunday; this object is usually changed on weekdays \d\d–\d\d \(0 of \d+ changes within an hour of 03:00\)/);
      expect(finding.explanation).toMatch(/author mallory has never changed namespace sock-shop before \(0 of \d+ changes there\)/);
      expect(finding.explanation).not.toContain('has not changed this object before');
    }
  });

  it('leaves ordinary releases and the first capture of the cluster alone', () => {
    expect(findings.filter((f) => !suspiciousChangeIds.includes(f.changeId!))).toEqual([]);
    expect(findings.some((f) => f.urn.startsWith('k8s://prod-cn/') && f.evidence.includes('seen live'))).toBe(false);
  });

  it('scores a change seen only live as such: no author, the snapshot that saw it, lower confidence', async () => {
    // Someone edits orders in the cluster, bypassing git: the next snapshot sees the change.
    const edited = SERVICES.map(manifestOf);
    edited[1].spec.template.spec.containers[0].securityContext.privileged = true;
    clusters.set('prod-cn', edited);
    const [snapshot] = (await runScan({ store, sources: [source('prod-cn', 'kubernetes')], analyze: false })).snapshots;
    const liveChange = store.configs.changes().find((c) => c.origin === 'live' && c.change === 'modified')!;
    await anomaliesAnalyzer.run(store, ctx());
    const finding = store.findings.list({ type: 'anomaly' }).map((f) => f.finding as Extract<Finding, { type: 'anomaly' }>).find((f) => f.changeId === liveChange.id);
    expect(finding).toBeDefined();
    expect(finding!.confidence).toBe(0.6);
    expect(finding!.evidence).toContain(`seen live in prod-cn by snapshot ${snapshot.id}`);
    expect(finding!.explanation).toContain('securityContext.privileged');
  });
});

describe('anomalySeverity', () => {
  it.each([[0.95, 'high'], [0.8, 'high'], [0.79, 'medium'], [0.65, 'medium'], [0.64, 'low'], [0.5, 'low']])('%s → %s', (score, severity) => {
    expect(anomalySeverity(score)).toBe(severity);
  });
});
