import { AppError } from '../../../core/api/errors.js';
import { ANOMALY_THRESHOLD, notableReasons, scoreChanges, type ChangeEvent, type ScoredChange } from '../../../core/drift/anomaly.js';
import type { PatchOp } from '../../../core/drift/json-patch.js';
import { keysTouchedByPatch } from '../../../core/drift/snapshot-diff.js';
import { diffDesiredLive, isDriftDifference } from '../../../core/drift/diff-desired-live.js';
import type { Finding, Severity } from '../../../core/model/finding.js';
import { parseUrn } from '../../../core/model/urn.js';
import type { ConfigVersion, Store, StoredChange } from '../../store/index.js';
import { defineAnalyzer } from './analyzer.js';
import { objectLabel } from './drift.js';

/*
 * Unusual changes (DESIGN.md "Drift"): every stored change — git commits (origin 'desired') and
 * changes seen between live snapshots (origin 'live') — is scored against the whole history, and
 * those at or above ANOMALY_THRESHOLD become `anomaly` findings that carry the change row id, so
 * the Timeline can show the score on the change itself.
 */

type AnomalyFinding = Extract<Finding, { type: 'anomaly' }>;

/**
 * The scorer keeps every change in memory; a workspace with more changes than this is scored on
 * its newest ones. changes() returns the oldest first and has no "newest N" query, so all rows are
 * read and the tail kept.
 */
const MAX_CHANGES = 200_000;

/** Severity by how unusual a change is: the scorer's 0.8 means several strong reasons together. */
export function anomalySeverity(score: number): Severity {
  return score >= 0.8 ? 'high' : score >= 0.65 ? 'medium' : 'low';
}

const isPatch = (value: unknown): value is PatchOp[] =>
  Array.isArray(value) && value.every((op) => typeof op === 'object' && op !== null && typeof (op as PatchOp).op === 'string' && typeof (op as PatchOp).path === 'string');

/** Where a change happened: the namespace of a k8s object, '(cluster)' for cluster-scoped ones, else the source. */
function namespaceOf(urn: string): string {
  try {
    const parsed = parseUrn(urn);
    if (parsed.scheme !== 'k8s') return parsed.source;
    return parsed.segments[0] === '_' ? '(cluster)' : parsed.segments[0];
  } catch {
    return '(unknown)';
  }
}

function sourceOf(urn: string): string {
  try {
    return parseUrn(urn).source;
  } catch {
    return '(unknown)';
  }
}

/** One change with the versions on either side of it. */
interface ChangeContext {
  change: StoredChange;
  before?: ConfigVersion;
  after?: ConfigVersion;
}

/** Loads the versions each change links, one query per object rather than per change. */
function withVersions(store: Store, changes: readonly StoredChange[]): ChangeContext[] {
  const byUrn = new Map<string, Map<number, ConfigVersion>>();
  const versionsOf = (urn: string): Map<number, ConfigVersion> => {
    let versions = byUrn.get(urn);
    if (!versions) {
      versions = new Map(store.configs.versions(urn).map((version) => [version.id, version]));
      byUrn.set(urn, versions);
    }
    return versions;
  };
  return changes.map((change) => ({
    change,
    before: change.fromVersion !== null ? versionsOf(change.urn).get(change.fromVersion) : undefined,
    after: change.toVersion !== null ? versionsOf(change.urn).get(change.toVersion) : undefined,
  }));
}

/**
 * The first capture of a cluster records every object as 'added': that is an inventory, not
 * something anyone changed at that moment, and scoring it would make the first scan one huge burst.
 */
function isFirstSighting(store: Store, context: ChangeContext): boolean {
  if (context.change.origin !== 'live' || context.change.change !== 'added') return false;
  const snapshotId = context.after?.snapshotId;
  if (snapshotId === null || snapshotId === undefined) return false;
  return store.snapshots.get(snapshotId)?.prevId === null;
}

/**
 * The first commit of a GitOps history is the baseline it starts from (an import), not a change
 * anyone made to a running system: like a cluster's first snapshot, it is not scored. Per cluster,
 * because desired URNs carry the name of the cluster they describe.
 */
function firstCommits(contexts: readonly ChangeContext[]): Set<string> {
  const earliest = new Map<string, { time: string; revision: string }>();
  for (const { change, after } of contexts) {
    if (change.origin !== 'desired' || !after?.revision) continue;
    const cluster = sourceOf(change.urn);
    const seen = earliest.get(cluster);
    if (!seen || after.time < seen.time) earliest.set(cluster, { time: after.time, revision: after.revision });
  }
  return new Set([...earliest].map(([cluster, first]) => `${cluster}\u0000${first.revision}`));
}

const isBaselineCommit = (context: ChangeContext, baseline: Set<string>): boolean =>
  context.change.origin === 'desired' && !!context.after?.revision && baseline.has(`${sourceOf(context.change.urn)}\u0000${context.after.revision}`);

/**
 * A live change after which the object matches what git approves is a rollout through GitOps, not
 * an unusual change: it is kept in the history (it is how the cluster is normally changed) but not
 * reported. A live change that leaves the object differing from git stays a candidate — the drift
 * analyzer reports the difference; this one says how unusual the change was.
 */
function isApprovedRollout(context: ChangeContext, desired: ConfigVersion | undefined): boolean {
  const { change, after } = context;
  if (change.origin !== 'live' || change.change === 'removed' || !after) return false;
  if (!desired || desired.content === null) return false;
  try {
    return diffDesiredLive(desired.content, after.content).every((item) => item.ignored || !isDriftDifference(item));
  } catch {
    return false;
  }
}

/** Live changes have no author: the cluster does not say who changed an object, only that it changed. */
const authorOf = (context: ChangeContext): string =>
  context.change.author ?? context.after?.author ?? `unknown (seen live in ${sourceOf(context.change.urn)})`;

/**
 * Keys from the stored patch only. An added object's patch is empty (its content is the version):
 * counting every field of a new manifest as "touched" made each first commit of the sock-shop
 * Deployments look like a 36-key change to securityContext (score 0.79) — creation is judged by
 * who and when, and what it grants is the exposure analyzer's question.
 */
function keysTouched(context: ChangeContext, patch: PatchOp[]): string[] {
  const { before, after } = context;
  // A whole-object removal is one op at "" and names no key.
  return keysTouchedByPatch(patch, before?.content, after?.content).filter((key) => key !== '');
}

function toChangeEvent(context: ChangeContext): ChangeEvent {
  const { change } = context;
  const patch = isPatch(change.patch) ? change.patch : [];
  return {
    id: String(change.id),
    urn: change.urn,
    namespace: namespaceOf(change.urn),
    time: change.time,
    author: authorOf(context),
    keysTouched: keysTouched(context, patch),
    patch,
  };
}

function evidenceOf(context: ChangeContext, scored: ScoredChange, event: ChangeEvent, store: Store): string {
  const { change, after } = context;
  const verb = change.change === 'added' ? 'created' : change.change === 'removed' ? 'deleted' : 'changed';
  const keys = event.keysTouched.slice(0, 5).join(', ') + (event.keysTouched.length > 5 ? ` and ${event.keysTouched.length - 5} more` : '');
  let where: string;
  if (change.origin === 'desired') {
    where = `commit ${after?.revision ? after.revision.slice(0, 7) : '(no revision)'} by ${scored.author} at ${scored.time}${after?.message ? ` ("${after.message.split('\n')[0].slice(0, 60)}")` : ''}`;
  } else {
    const snapshot = after?.snapshotId ?? context.before?.snapshotId;
    const startedAt = snapshot !== null && snapshot !== undefined ? store.snapshots.get(snapshot)?.startedAt : undefined;
    // The time of a live change is when a snapshot saw it, not when it was made: say so.
    where = `seen live in ${sourceOf(change.urn)}${snapshot ? ` by snapshot ${snapshot}` : ''} at ${startedAt ?? scored.time} (author and exact time unknown)`;
    return `${objectLabel(change.urn)} ${verb}, ${where}; touches ${keys || '(no keys)'}; score ${scored.score.toFixed(2)}`;
  }
  return `${objectLabel(change.urn)} ${verb} in ${where}; touches ${keys || '(no keys)'}; score ${scored.score.toFixed(2)}`;
}

/** Scores every stored change and writes an `anomaly.unusual-change` finding for each unusual one. */
export const anomaliesAnalyzer = defineAnalyzer({
  name: 'anomalies',
  order: 70,
  run(store, ctx) {
    const stored = store.configs.changes({ limit: Number.MAX_SAFE_INTEGER });
    const recent = stored.length > MAX_CHANGES ? stored.slice(-MAX_CHANGES) : stored;
    if (recent.length < stored.length) ctx.log.warn('history too long; scoring the newest changes only', { total: stored.length, scored: recent.length });
    const contexts = withVersions(store, recent).filter((context) => !isFirstSighting(store, context));
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'anomaly analysis cancelled');

    // Baseline commits and approved rollouts stay in the history every change is compared with
    // (they are what "usual" means); they are only never reported themselves.
    const baseline = firstCommits(contexts);
    // The desired version of each live-changed object, read once: it decides both questions below.
    const desiredOf = new Map<string, ConfigVersion | undefined>();
    for (const { change } of contexts) if (change.origin === 'live' && !desiredOf.has(change.urn)) desiredOf.set(change.urn, store.configs.latest(change.urn, 'desired'));
    const approved = contexts.map((context) => isApprovedRollout(context, desiredOf.get(context.change.urn)));
    const events = contexts.map((context, i): ChangeEvent => {
      const event = toChangeEvent(context);
      if (context.change.origin !== 'live') return event;
      const managed = !!desiredOf.get(context.change.urn);
      return { ...event, observedOnly: true, outsideGitOps: managed && !approved[i] && context.change.change !== 'removed' };
    });
    const scored = scoreChanges(events);
    const findings: AnomalyFinding[] = [];
    scored.forEach((result, i) => {
      if (result.score < ANOMALY_THRESHOLD) return;
      const context = contexts[i];
      if (isBaselineCommit(context, baseline) || approved[i]) return;
      findings.push({
        type: 'anomaly',
        rule: 'anomaly.unusual-change',
        urn: result.urn,
        severity: anomalySeverity(result.score),
        // A commit says who and when; a live change only that something changed between two snapshots.
        confidence: context.change.origin === 'desired' ? 0.9 : 0.6,
        evidence: evidenceOf(context, result, events[i], store),
        score: result.score,
        explanation: result.explanation,
        reasons: notableReasons(result.reasons).map(({ code, params }) => ({ code, params })),
        changeId: context.change.id,
      });
    });
    ctx.progress(contexts.length, contexts.length);
    store.findings.replaceFor('anomalies', findings);
    return { findings: findings.length };
  },
});
