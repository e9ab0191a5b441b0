import { readFileSync } from 'node:fs';
import { phrase, say, spokenEvidence } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import { resolve } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { diffDesiredLive, isDriftDifference, type DriftItem } from '../../../core/drift/diff-desired-live.js';
import { DRIFT_UNKNOWNS_META, MAX_DRIFT_UNKNOWNS, parseDriftUnknowns, type DriftUnknown, type DriftUnknowns } from '../../../core/drift/drift-unknowns.js';
import { REPLICAS_POINTER, replicaOwners, workloadKey } from '../../../core/drift/autoscaling.js';
import { driftItemsToFindings, type DriftFinding } from '../../../core/drift/drift-findings.js';
import { isHiddenValue } from '../../../core/drift/hidden-values.js';
import { changeSeverity } from '../../../core/drift/severity.js';
import { compileIgnoreRule, ignoreRuleSchema, parseIgnoreRules, type CompiledIgnoreRule } from '../../../core/drift/ignore-rules.js';
import type { Severity } from '../../../core/model/finding.js';
import { parseUrn } from '../../../core/model/urn.js';
import type { Logger } from '../../log/logger.js';
import type { ConfigVersion, SnapshotInfo, Store, StoredSource } from '../../store/index.js';
import { defineAnalyzer } from './analyzer.js';

/*
 * Git desired state against the live cluster (DESIGN.md "Drift"). A git source names the cluster
 * it describes with `desiredFor`; both yield config versions under the same k8s:// URN, the git
 * one with origin 'desired' and the cluster one with origin 'live'. Stored contents are already
 * canonical (Secret values are `{ $hash }`), so nothing here ever sees a secret value.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Severity and wording, shared with the cluster-vs-cluster comparison (rbac-compare.ts).

/**
 * Severity of a difference at `path` ("" = the whole object) of an object of `kind`, from what the
 * change does (shared/core/drift/severity): moving data abroad, opening access or removing a mask
 * is High, capacity is Low.
 */
export function driftSeverity(kind: string, path: string, desired?: unknown, live?: unknown): Severity {
  return changeSeverity(kind, path, desired, live).severity;
}

/** A value as an auditor reads it in evidence: a Secret or hidden config value only ever as its (shortened) hash. */
export function describeValue(value: unknown): string {
  const p = valuePhrase(value);
  return typeof p === 'string' ? p : say(p, 'en');
}

/** {@link describeValue} as a phrase parameter: words where it is words, the value's JSON where it is a value. */
export function valuePhrase(value: unknown): Phrase | string {
  if (value === undefined) return phrase('ev.value.absent');
  if (isRecord(value) && Object.keys(value).length === 1 && typeof value.$hash === 'string') return phrase('ev.value.secretHash', { hash: value.$hash.slice(0, 12) });
  if (isHiddenValue(value)) return phrase('ev.value.hidden', { hash: value.$hash.slice(0, 12) });
  if (isRecord(value) && typeof value.$object === 'string') return value.$object;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** "Deployment sock-shop/carts" for k8s://prod-cn/sock-shop/Deployment/carts. */
export function objectLabel(urn: string): string {
  try {
    const { scheme, segments } = parseUrn(urn);
    if (scheme === 'k8s') return `${segments[1]} ${segments[0] === '_' ? '' : `${segments[0]}/`}${segments[2]}`;
  } catch {
    // Not a URN we can split: show it as it is.
  }
  return urn;
}

/** The Kind segment of a k8s URN ('' for anything else). */
export function kindOfUrn(urn: string): string {
  try {
    const parsed = parseUrn(urn);
    return parsed.scheme === 'k8s' ? parsed.segments[1] : '';
  } catch {
    return '';
  }
}

/** The newest complete snapshot of a source: the state drift and comparisons are judged on. */
export function newestCompleteSnapshot(store: Store, source: string): SnapshotInfo | undefined {
  return store.snapshots.list(source).filter((snapshot) => snapshot.status === 'complete').at(-1);
}

// ---------------------------------------------------------------------------------------------
// Which git source describes which cluster, and with which ignore rules.

interface DesiredLink {
  git: StoredSource;
  /** Name of the kubernetes source whose desired state the git source holds. */
  liveSource: string;
  rules: CompiledIgnoreRule[];
}

/**
 * Ignore rules of a git source: `ignore:` (inline list) and `ignoreFile:` (YAML, relative to the
 * sources.yaml folder). Read defensively because the git source's schema is owned elsewhere; a bad
 * rule is logged and skipped, so its differences are reported rather than silently hidden.
 */
function ignoreRulesOf(source: StoredSource, log: Logger): CompiledIgnoreRule[] {
  const rules: CompiledIgnoreRule[] = [];
  const inline = source.config.ignore;
  if (Array.isArray(inline)) {
    inline.forEach((raw, i) => {
      const where = `${source.name}: ignore[${i}]`;
      const parsed = ignoreRuleSchema.safeParse(raw);
      if (!parsed.success) {
        log.warn('ignore rule skipped', { source: source.name, rule: where, problem: parsed.error.issues.map((issue) => issue.message).join('; ') });
        return;
      }
      try {
        rules.push(compileIgnoreRule(parsed.data, where));
      } catch (err) {
        log.warn('ignore rule skipped', { source: source.name, rule: where, problem: (err as Error).message });
      }
    });
  }
  const file = source.config.ignoreFile;
  if (typeof file === 'string' && file !== '') {
    const path = resolve(source.baseDir, file);
    try {
      rules.push(...parseIgnoreRules(readFileSync(path, 'utf8')));
    } catch (err) {
      log.warn('ignore file skipped', { source: source.name, file: path, problem: (err as Error).message });
    }
  }
  return rules;
}

function desiredLinks(store: Store, log: Logger): DesiredLink[] {
  return store.sources()
    .filter((source) => source.kind === 'git' && typeof source.config.desiredFor === 'string' && source.config.desiredFor !== '')
    .map((git) => ({ git, liveSource: git.config.desiredFor as string, rules: ignoreRulesOf(git, log) }));
}

// ---------------------------------------------------------------------------------------------
// The objects on each side.

const sourceOfUrn = (urn: string): string | undefined => {
  try {
    const parsed = parseUrn(urn);
    return parsed.scheme === 'k8s' ? parsed.source : undefined;
  } catch {
    return undefined;
  }
};

const namespaceOfUrn = (urn: string): string | undefined => {
  const namespace = parseUrn(urn).segments[0];
  return namespace === '_' ? undefined : namespace;
};

const isDeleted = (version: ConfigVersion): boolean => version.content === null || version.content === undefined;

/** Every desired version this git source recorded for the cluster, per URN in time order. */
function desiredHistories(store: Store, link: DesiredLink): Map<string, ConfigVersion[]> {
  const gitSnapshots = new Set(store.snapshots.list(link.git.name).map((snapshot) => snapshot.id));
  const histories = new Map<string, ConfigVersion[]>();
  for (const latest of store.configs.latestAll('desired')) {
    if (sourceOfUrn(latest.urn) !== link.liveSource) continue;
    // Two git sources may describe one cluster; each is compared on its own versions only.
    const versions = store.configs.versions(latest.urn, 'desired').filter((v) => v.snapshotId !== null && gitSnapshots.has(v.snapshotId));
    if (versions.length > 0) histories.set(latest.urn, versions);
  }
  return histories;
}

/** Git manifests often leave the namespace to kustomize or `kubectl -n`; the URN knows it. */
function withUrnNamespace(content: unknown, urn: string): unknown {
  const namespace = namespaceOfUrn(urn);
  if (!namespace || !isRecord(content) || !isRecord(content.metadata) || content.metadata.namespace !== undefined) return content;
  return { ...content, metadata: { ...content.metadata, namespace } };
}

/** Kinds the control plane creates on its own in every namespace; git never holds them. */
const GENERATED_KINDS = new Set(['Event', 'Endpoints', 'EndpointSlice', 'Lease', 'ControllerRevision']);

/**
 * Live objects nobody is expected to keep in git: those owned by another object (ReplicaSets,
 * Pods, Jobs of a CronJob — their owner is compared instead) and those Kubernetes creates itself.
 */
function isGeneratedLiveObject(urn: string, content: unknown): boolean {
  const kind = kindOfUrn(urn);
  if (GENERATED_KINDS.has(kind)) return true;
  const metadata = isRecord(content) && isRecord(content.metadata) ? content.metadata : {};
  if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.length > 0) return true;
  if (kind === 'ServiceAccount' && metadata.name === 'default') return true;
  if (kind === 'ConfigMap' && metadata.name === 'kube-root-ca.crt') return true;
  return kind === 'Secret' && isRecord(content) && content.type === 'kubernetes.io/service-account-token';
}

// ---------------------------------------------------------------------------------------------
// Since when: the earliest moment from which the difference has held without a break.

/** True when two pointers address the same place or one lies inside the other. */
const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/** Whether a diff still shows the difference `item` describes. */
function showsDifference(items: readonly DriftItem[], item: DriftItem): boolean {
  if (item.path === '') return items.some((other) => other.path === '' && other.kind === item.kind);
  return items.some((other) => other.path !== '' && overlaps(other.path, item.path));
}

interface Since {
  /** ISO time the difference began. */
  time: string;
  /** "snapshot 3 (2026-…)" or "commit abc1234 by alice (2026-…)". */
  phrase: Phrase;
}

/**
 * Walks the live source's complete snapshots back from the newest while the object still showed
 * the difference against the current desired manifest, and the git history back while the desired
 * manifest still said the same thing at that place; the difference began at the later of the two.
 */
class SinceFinder {
  private readonly diffs = new Map<string, DriftItem[]>();

  constructor(
    private readonly liveSnapshots: readonly SnapshotInfo[],
    private readonly liveVersions: ReadonlyMap<number, ConfigVersion>,
    private readonly desiredVersions: readonly ConfigVersion[],
    private readonly desired: unknown,
    private readonly options: Parameters<typeof diffDesiredLive>[2],
  ) {}

  find(item: DriftItem): Since {
    const liveStart = this.liveStart(item);
    const commit = item.kind === 'unmanaged-live' && item.path === '' ? undefined : this.commitStart(item);
    if (commit && Date.parse(commit.time) > Date.parse(liveStart.startedAt)) {
      const revision = commit.revision ? commit.revision.slice(0, 7) : `version ${commit.id}`;
      return { time: commit.time, phrase: commit.author ? phrase('ev.drift.sinceCommitBy', { revision, author: commit.author, time: commit.time }) : phrase('ev.drift.sinceCommit', { revision, time: commit.time }) };
    }
    return { time: liveStart.startedAt, phrase: phrase('ev.drift.sinceSnapshot', { id: String(liveStart.id), time: liveStart.startedAt }) };
  }

  private liveStart(item: DriftItem): SnapshotInfo {
    let start = this.liveSnapshots[this.liveSnapshots.length - 1];
    for (let i = this.liveSnapshots.length - 2; i >= 0; i--) {
      const version = this.liveVersions.get(this.liveSnapshots[i].id);
      const held = item.path === ''
        ? (item.kind === 'missing-live' ? version === undefined : version !== undefined)
        // A field difference needs the object: an absent object is another difference, not this one.
        : version !== undefined && showsDifference(this.diffAgainst(version), item);
      if (!held) break;
      start = this.liveSnapshots[i];
    }
    return start;
  }

  /** The commit that made the desired manifest say, at the item's place, what it says now. */
  private commitStart(item: DriftItem): ConfigVersion | undefined {
    const history = this.desiredVersions;
    let start = history.at(-1);
    for (let i = history.length - 2; i >= 0; i--) {
      const older = history[i];
      if (isDeleted(older)) break;
      // Compared as desired-vs-desired without ignore rules: did this older commit differ here?
      const changed = item.path === '' ? false : showsDifference(diffDesiredLive(this.desired, older.content, { hashSecretValue: this.options?.hashSecretValue }).filter(isDriftDifference), item);
      if (changed) break;
      start = older;
    }
    return start;
  }

  private diffAgainst(version: ConfigVersion): DriftItem[] {
    const key = String(version.id);
    let items = this.diffs.get(key);
    if (!items) {
      items = diffDesiredLive(this.desired, version.content, this.options).filter(isDriftDifference);
      this.diffs.set(key, items);
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// Findings.

function evidenceOf(urn: string, item: DriftItem, link: DesiredLink, commit: ConfigVersion | undefined, since: Since): Phrase {
  const object = objectLabel(urn);
  const git = commit?.revision ? phrase('ev.drift.gitAt', { source: link.git.name, revision: commit.revision.slice(0, 7) }) : phrase('ev.drift.git', { source: link.git.name });
  const cluster = link.liveSource;
  let what: Phrase;
  if (item.path === '' && item.kind === 'missing-live') what = phrase('ev.drift.missingObject', { object, git, cluster });
  else if (item.path === '') {
    const namespace = namespaceOfUrn(urn);
    what = namespace ? phrase('ev.drift.unmanagedObjectNs', { object, git, cluster, namespace }) : phrase('ev.drift.unmanagedObject', { object, git, cluster });
  } else if (item.kind === 'modified') what = phrase('ev.drift.modified', { object, path: item.path, desired: valuePhrase(item.desired), live: valuePhrase(item.live), git, cluster });
  else if (item.kind === 'missing-live') what = phrase('ev.drift.missingField', { object, path: item.path, desired: valuePhrase(item.desired), git, cluster });
  else what = phrase('ev.drift.unmanagedField', { object, path: item.path, live: valuePhrase(item.live), git, cluster });
  return item.ignored ? phrase('ev.drift.sinceIgnored', { what, since: since.phrase, rule: item.ignored.rule }) : phrase('ev.drift.since', { what, since: since.phrase });
}

/**
 * How sure the finding is: exact comparisons are certain; a difference on a field git does not
 * set rests on the server-default table (which may lag the cluster's version); an ignored one is
 * expected by the team, so it is kept for the record with less weight.
 */
function confidenceOf(item: DriftItem): number {
  if (item.ignored) return 0.6;
  if (item.kind === 'unmanaged-live' && item.path !== '') return 0.8;
  return 1;
}

function findingsForObject(urn: string, desired: ConfigVersion[] | undefined, live: ConfigVersion | undefined, link: DesiredLink, store: Store, liveSnapshots: readonly SnapshotInfo[], scaledBy: ReadonlyMap<string, string>, unknowns: DriftUnknownCollector): DriftFinding[] {
  const latestDesired = desired?.at(-1);
  const desiredContent = latestDesired ? withUrnNamespace(latestDesired.content, urn) : undefined;
  const segments = parseUrn(urn).segments;
  const autoscaled = segments.length === 3 && scaledBy.has(workloadKey(segments[0], segments[1], segments[2]));
  const options = { ignoreRules: link.rules, hashSecretValue: (value: string) => store.fingerprint(value), ...(autoscaled ? { ownedElsewhere: [REPLICAS_POINTER] } : {}) };
  const compared = diffDesiredLive(desiredContent, live?.content, options);
  for (const item of compared) if (!isDriftDifference(item)) unknowns.add({ urn, path: item.path, reason: item.unknown!, git: link.git.name, cluster: link.liveSource, desired: item.desired, live: item.live });
  const items = compared.filter(isDriftDifference);
  if (items.length === 0) return [];
  const liveVersions = new Map(store.configs.versions(urn, 'live').filter((v) => v.snapshotId !== null).map((v) => [v.snapshotId!, v]));
  const desiredHistory = (desired ?? []).map((version) => ({ ...version, content: withUrnNamespace(version.content, urn) }));
  const sinceFinder = new SinceFinder(liveSnapshots, liveVersions, desiredHistory, desiredContent, options);
  const kind = kindOfUrn(urn);
  return items.map((item): DriftFinding => {
    const since = sinceFinder.find(item);
    // The core gives the finding's shape (rule, path, values, ignored); severity, confidence and
    // evidence are refined here, where the object's kind, history and sources are known.
    const [finding] = driftItemsToFindings(urn, [item], since.time);
    return {
      ...finding,
      severity: item.ignored ? 'info' : driftSeverity(kind, item.path, item.desired, item.live),
      confidence: confidenceOf(item),
      ...spokenEvidence(evidenceOf(urn, item, link, latestDesired, since)),
    };
  });
}

/** Places drift cannot judge, kept up to a cap with their exact total. */
class DriftUnknownCollector {
  readonly items: DriftUnknown[] = [];
  total = 0;
  add(unknown: DriftUnknown): void {
    this.total++;
    if (this.items.length < MAX_DRIFT_UNKNOWNS) this.items.push(unknown);
  }
  result(): DriftUnknowns {
    return { total: this.total, items: this.items };
  }
}

/** What the last drift analysis of the workspace could not judge (none before the first one). */
export const driftUnknownsOf = (store: Store): DriftUnknowns => parseDriftUnknowns(store.meta(DRIFT_UNKNOWNS_META));

function driftForLink(store: Store, link: DesiredLink, log: Logger, signal: AbortSignal, progress: (done: number, total: number, item: string) => void, unknowns: DriftUnknownCollector): DriftFinding[] {
  const liveSnapshots = store.snapshots.list(link.liveSource).filter((snapshot) => snapshot.status === 'complete');
  const newest = liveSnapshots.at(-1);
  if (!newest) {
    log.warn('no complete snapshot of the live source; drift not computed', { git: link.git.name, live: link.liveSource });
    return [];
  }
  const desired = new Map([...desiredHistories(store, link)].filter(([, versions]) => !isDeleted(versions.at(-1)!)));
  const live = new Map(store.configs.latestAll('live', newest.id).map((version) => [version.urn, version]));
  const managedNamespaces = new Set([...desired.keys()].map(namespaceOfUrn).filter((ns): ns is string => ns !== undefined));
  // Autoscalers in git or in the cluster own the replica counts of their targets.
  const scaledBy = replicaOwners([...[...desired].map(([urn, versions]) => withUrnNamespace(versions.at(-1)!.content, urn)), ...[...live.values()].map((v) => v.content)]);

  const urns = [...new Set([...desired.keys(), ...live.keys()])].sort().filter((urn) => {
    if (desired.has(urn)) return true;
    const namespace = sourceOfUrn(urn) === link.liveSource ? namespaceOfUrn(urn) : undefined;
    return namespace !== undefined && managedNamespaces.has(namespace) && !isGeneratedLiveObject(urn, live.get(urn)!.content);
  });
  const findings: DriftFinding[] = [];
  urns.forEach((urn, i) => {
    if (signal.aborted) throw new AppError('CANCELLED', 'drift analysis cancelled');
    findings.push(...findingsForObject(urn, desired.get(urn), live.get(urn), link, store, liveSnapshots, scaledBy, unknowns));
    progress(i + 1, urns.length, urn);
  });
  return findings;
}

/**
 * Git desired state vs the live cluster: `drift.modified`, `drift.missing-live`, `drift.unmanaged-live`;
 * the places it cannot judge (values only the cluster holds) are kept apart, under {@link DRIFT_UNKNOWNS_META}.
 */
export const driftAnalyzer = defineAnalyzer({
  name: 'drift',
  order: 60,
  run(store, ctx) {
    const findings: DriftFinding[] = [];
    const unknowns = new DriftUnknownCollector();
    for (const link of desiredLinks(store, ctx.log)) {
      findings.push(...driftForLink(store, link, ctx.log, ctx.signal, (done, total, item) => ctx.progress(done, total, item), unknowns));
    }
    store.findings.replaceFor('drift', findings);
    store.setMeta(DRIFT_UNKNOWNS_META, JSON.stringify(unknowns.result()));
    return { findings: findings.length };
  },
});
