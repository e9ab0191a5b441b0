import type { PatchOp } from './json-patch.js';
import { explainReasons, reasonText, type ReasonParams } from './anomaly-text.js';
import { upperBound } from '../model/sorted.js';

/** One change in an object's history, as the anomaly scorer sees it. */
export interface ChangeEvent {
  id: string;
  urn: string;
  namespace: string;
  /** ISO 8601 time of the change. */
  time: string;
  author: string;
  /** Readable field paths, as in snapshot-diff's `keysTouched` (e.g. `spec.template.spec.containers[web].image`). */
  keysTouched: string[];
  /** The patch, when known: its size and values (replicas → 0) are used. */
  patch?: PatchOp[];
  /**
   * Seen between two snapshots of a cluster: its time is the snapshot's and its author unknown, so
   * time, weekday, author and burst say nothing about it (only what it touched does).
   */
  observedOnly?: boolean;
  /** Made in the cluster and left the object differing from what git approves (GitOps bypassed). */
  outsideGitOps?: boolean;
}

/** What made a change unusual. */
export type AnomalyFeature = 'time-of-day' | 'weekday' | 'size' | 'author' | 'sensitive' | 'burst' | 'outside-gitops';

/** One feature's share in a score. */
export interface AnomalyReason {
  feature: AnomalyFeature;
  /** How much the feature adds to the score (0–1, before combination). */
  contribution: number;
  /** Plain-language clause with the numbers behind it (English). */
  text: string;
  /** The clause as a code and its numbers, to say it in another language (anomaly-text.ts). */
  code: string;
  params: ReasonParams;
}

/** A change with how unusual it is (0 = routine, 1 = never seen anything like it) and why. */
export interface ScoredChange {
  id: string;
  urn: string;
  author: string;
  time: string;
  score: number;
  /** The top reasons as one sentence, e.g. "changed at 03:12 on a Sunday; …; touches securityContext.privileged". */
  explanation: string;
  /** Every contributing reason, largest first. */
  reasons: AnomalyReason[];
}

/** Options of {@link scoreChanges}. */
export interface AnomalyOptions {
  /** Local time of the organisation, for hours and weekdays. Default 0 (UTC). */
  utcOffsetMinutes?: number;
  /** Half-width of the window in which one author's changes count as a burst. Default 10 minutes. */
  burstWindowMinutes?: number;
}

/** Scores at or above this are reported as unusual changes. */
export const ANOMALY_THRESHOLD = 0.5;

// How strongly each feature, at its maximum, makes a change unusual. Combined as a noisy-OR, so one
// strong feature is enough to cross ANOMALY_THRESHOLD and several weak ones add up.
const FEATURE_WEIGHTS: Record<AnomalyFeature, number> = {
  'time-of-day': 0.7, weekday: 0.45, size: 0.65, author: 0.7, sensitive: 0.75, burst: 0.7, 'outside-gitops': 0.6,
};

interface SensitiveKey {
  tag: string;
  weight: number;
  matches: (key: string) => boolean;
}

/** Keys an auditor cares about whoever changes them; the weight is lowered when the object routinely changes them. */
const SENSITIVE_KEYS: readonly SensitiveKey[] = [
  { tag: 'securityContext.privileged', weight: 1, matches: (key) => /(^|\.)privileged$/.test(key) },
  { tag: 'host namespaces (hostNetwork/hostPID/hostIPC)', weight: 1, matches: (key) => /(^|\.)host(Network|PID|IPC)$/.test(key) },
  { tag: 'RBAC rules', weight: 0.9, matches: (key) => /^(rules|subjects|roleRef)(\[|\.|$)/.test(key) },
  { tag: 'a secret-named environment variable', weight: 0.7, matches: (key) => /env\[[^\]]*(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY)[^\]]*\]/i.test(key) },
  { tag: 'serviceAccountName', weight: 0.7, matches: (key) => /(^|\.)serviceAccount(Name)?$/.test(key) },
  { tag: 'securityContext', weight: 0.6, matches: (key) => /(^|\.)securityContext(\.|$)/.test(key) },
  { tag: 'image', weight: 0.3, matches: (key) => /(^|\.)image$/.test(key) },
];
/** Features that need a real author and time: a change only observed between snapshots has neither. */
const WHO_AND_WHEN: ReadonlySet<AnomalyFeature> = new Set(['time-of-day', 'weekday', 'author', 'burst']);

const SCALED_TO_ZERO = 'replicas → 0';
const SCALED_TO_ZERO_WEIGHT = 0.8;

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
const pad2 = (n: number): string => String(n).padStart(2, '0');
/** Less sure with little history: 5 earlier changes give half weight. */
const historyConfidence = (n: number): number => n / (n + 5);

interface Prepared {
  event: ChangeEvent;
  millis: number;
  hour: number;
  minute: number;
  weekday: number;
  size: number;
  tags: Set<string>;
}

interface Profile {
  count: number;
  hours: number[];
  weekdays: number[];
}

const newProfile = (): Profile => ({ count: 0, hours: new Array(24).fill(0), weekdays: new Array(7).fill(0) });

function addTo(profile: Profile, change: Prepared): void {
  profile.count++;
  profile.hours[change.hour]++;
  profile.weekdays[change.weekday]++;
}

/** A profile with some of its changes taken out again (the profile itself is not modified). */
function without(profile: Profile, changes: readonly Prepared[]): Profile {
  if (changes.length === 0) return profile;
  const rest: Profile = { count: profile.count, hours: [...profile.hours], weekdays: [...profile.weekdays] };
  for (const change of changes) {
    rest.count--;
    rest.hours[change.hour]--;
    rest.weekdays[change.weekday]--;
  }
  return rest;
}

function sensitiveTags(event: ChangeEvent): Set<string> {
  const tags = new Set<string>();
  for (const key of event.keysTouched) for (const sensitive of SENSITIVE_KEYS) if (sensitive.matches(key)) tags.add(sensitive.tag);
  for (const op of event.patch ?? []) {
    if (op.op !== 'remove' && /\/replicas$/.test(op.path) && op.value === 0) tags.add(SCALED_TO_ZERO);
  }
  return tags;
}

function prepare(event: ChangeEvent, offsetMinutes: number): Prepared {
  const millis = Date.parse(event.time);
  const local = new Date(millis + offsetMinutes * 60_000);
  return {
    event, millis, hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: local.getUTCDay(),
    size: Math.max(event.keysTouched.length, event.patch?.length ?? 0),
    tags: sensitiveTags(event),
  };
}

/**
 * Rarity of a bucket in a history, from 0 (common) to 1 (never seen with plenty of history):
 * the smoothed share of the history in the bucket against the share a uniform spread would give,
 * on a log scale so that "10× rarer than uniform" is already very unusual.
 */
function bucketRarity(inBucket: number, total: number, uniformShare: number): number {
  if (total === 0) return 0;
  const share = (inBucket + 0.5) / (total + 4);
  return clamp01(Math.log10(uniformShare / share) / 1.2) * historyConfidence(total);
}

/** Changes within an hour either side of `hour`, leaving out the change itself. */
const nearHour = (profile: Profile, hour: number): number =>
  profile.hours[(hour + 23) % 24] + profile.hours[hour] + profile.hours[(hour + 1) % 24] - 1;

interface HourRange {
  start: number;
  length: number;
}

/** The smallest range of hours (wrapping at midnight) that holds 90% of a history. */
function usualHourRange(profile: Profile): HourRange {
  for (let length = 1; length <= 24; length++) {
    for (let start = 0; start < 24; start++) {
      let inRange = 0;
      for (let i = 0; i < length; i++) inRange += profile.hours[(start + i) % 24];
      if (inRange >= 0.9 * profile.count) return { start, length };
    }
  }
  return { start: 0, length: 24 };
}

const formatRange = (range: HourRange): string => `${pad2(range.start)}–${pad2((range.start + range.length - 1) % 24)}`;

/** Hours between a time of day and the nearest edge of a range (0 inside it). */
function hoursOutside(range: HourRange, hour: number, minute: number): number {
  const time = hour + minute / 60;
  const sinceStart = (time - range.start + 24) % 24;
  if (sinceStart < range.length) return 0;
  const afterEnd = sinceStart - range.length;
  const beforeStart = 24 - sinceStart;
  return Math.min(afterEnd, beforeStart);
}

/** Whether the object's changes keep to weekdays (90% or more of them). */
function usualDays(profile: Profile): boolean {
  const weekdays = profile.weekdays.slice(1, 6).reduce((a, b) => a + b, 0);
  return weekdays >= 0.9 * profile.count;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * The median (the upper one of an even count) of an ascending list after taking out `removed`,
 * values that are in the list. Binary search on ranks rather than a copy, so a change in a large
 * burst on a long-lived object costs O(log n · log m), not O(n).
 */
function medianWithout(sorted: readonly number[], removed: readonly number[]): number {
  const left = sorted.length - removed.length;
  if (left <= 0) return 0;
  const rank = Math.floor(left / 2);
  if (removed.length === 0) return sorted[rank];
  const gone = [...removed].sort(ascending);
  // The first position whose value has more than `rank` remaining values at or below it.
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (upperBound(sorted, sorted[mid]) - upperBound(gone, sorted[mid]) > rank) high = mid;
    else low = mid + 1;
  }
  return sorted[low];
}

/**
 * Scores every change against the rest of the history (each change is compared with all the
 * others, so the result does not depend on input order): time of day and weekday against the
 * object's and the author's habits, size against the object's usual changes, whether the author
 * has touched this object or namespace, sensitive keys, and bursts of one author's changes.
 * The other changes of a change's own burst (same author within ±burstWindowMinutes) are left out
 * of everything it is compared with: otherwise a newcomer's burst of night changes is its own
 * history, and its hour, weekday, namespace and burst size all look like the author's habit.
 * Deterministic: the same history gives the same scores and explanations.
 */
export function scoreChanges(history: readonly ChangeEvent[], options: AnomalyOptions = {}): ScoredChange[] {
  const offset = options.utcOffsetMinutes ?? 0;
  const windowMillis = (options.burstWindowMinutes ?? 10) * 60_000;
  const changes = history.map((event) => prepare(event, offset));

  const objectProfiles = new Map<string, Profile>();
  const authorProfiles = new Map<string, Profile>();
  const objectSizes = new Map<string, number[]>();
  const objectTags = new Map<string, Map<string, number>>();
  const namespaceCounts = new Map<string, number>();
  const authorNamespaceCounts = new Map<string, number>();
  const authorObjectCounts = new Map<string, number>();
  for (const change of changes) {
    const { urn, author, namespace } = change.event;
    addTo(objectProfiles.get(urn) ?? objectProfiles.set(urn, newProfile()).get(urn)!, change);
    addTo(authorProfiles.get(author) ?? authorProfiles.set(author, newProfile()).get(author)!, change);
    (objectSizes.get(urn) ?? objectSizes.set(urn, []).get(urn)!).push(change.size);
    const tags = objectTags.get(urn) ?? objectTags.set(urn, new Map()).get(urn)!;
    for (const tag of change.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    namespaceCounts.set(namespace, (namespaceCounts.get(namespace) ?? 0) + 1);
    authorNamespaceCounts.set(`${author}\u0000${namespace}`, (authorNamespaceCounts.get(`${author}\u0000${namespace}`) ?? 0) + 1);
    authorObjectCounts.set(`${author}\u0000${urn}`, (authorObjectCounts.get(`${author}\u0000${urn}`) ?? 0) + 1);
  }
  const usualRanges = new Map([...objectProfiles].map(([urn, profile]) => [urn, usualHourRange(profile)]));
  for (const sizes of objectSizes.values()) sizes.sort(ascending);
  const burstMates = findBurstMates(changes, windowMillis);
  const burstCounts = burstMates.map((mates) => mates.length);
  const authorBursts = new Map<string, number[]>();
  changes.forEach((change, i) => (authorBursts.get(change.event.author) ?? authorBursts.set(change.event.author, []).get(change.event.author)!).push(burstCounts[i]));
  for (const counts of authorBursts.values()) counts.sort(ascending);

  return changes.map((change, i) => {
    const { event } = change;
    const reasons: AnomalyReason[] = [];
    const add = (feature: AnomalyFeature, value: number, code: string, params: ReasonParams): void => {
      if (event.observedOnly && WHO_AND_WHEN.has(feature)) return;
      const contribution = FEATURE_WEIGHTS[feature] * clamp01(value);
      if (contribution > 0) reasons.push({ feature, contribution, code, params, text: reasonText({ code, params }, 'en') });
    };
    // The history this change is compared with: everything but the other changes of its own burst
    // (all by the same author). The change itself is left out below, as the `- 1`s say.
    const mates = burstMates[i].map((j) => changes[j]);
    const matesOnObject = mates.filter((mate) => mate.event.urn === event.urn);
    const matesInNamespace = mates.filter((mate) => mate.event.namespace === event.namespace).length;
    const objectProfile = without(objectProfiles.get(event.urn)!, matesOnObject);
    const authorProfile = without(authorProfiles.get(event.author)!, mates);
    const objectHistory = objectProfile.count - 1;
    const authorHistory = authorProfile.count - 1;

    // When: rare for the object and for the author (an on-call engineer who often works at night is less surprising).
    const combine = (objectRarity: number, authorRarity: number): number =>
      authorHistory > 0 && objectHistory > 0 ? Math.sqrt(objectRarity * authorRarity) : Math.max(objectRarity, authorRarity);
    const objectNear = nearHour(objectProfile, change.hour);
    // Rare and far from the usual hours: an evening deploy an hour after work is rare but ordinary, 03:00 is not.
    const usualRange = matesOnObject.length > 0 ? usualHourRange(objectProfile) : usualRanges.get(event.urn)!;
    const distance = clamp01((hoursOutside(usualRange, change.hour, change.minute) - 1) / 4);
    const hourRarity = distance * combine(bucketRarity(objectNear, objectHistory, 3 / 24), bucketRarity(nearHour(authorProfile, change.hour), authorHistory, 3 / 24));
    const objectSameDay = objectProfile.weekdays[change.weekday] - 1;
    const dayRarity = combine(bucketRarity(objectSameDay, objectHistory, 1 / 7), bucketRarity(authorProfile.weekdays[change.weekday] - 1, authorHistory, 1 / 7));
    const time = `${pad2(change.hour)}:${pad2(change.minute)}`;
    add('time-of-day', hourRarity, 'time-of-day', { time, weekday: change.weekday, weekdaysOnly: usualDays(objectProfile), range: formatRange(usualRange), near: objectNear, history: objectHistory, hour: pad2(change.hour) });
    add('weekday', dayRarity, 'weekday', { time, weekday: change.weekday, sameDay: objectSameDay, history: objectHistory });

    // Who: first time in this namespace is much rarer than first time on one object of a namespace one already works in.
    const inNamespace = authorNamespaceCounts.get(`${event.author}\u0000${event.namespace}`)! - 1 - matesInNamespace;
    const onObject = authorObjectCounts.get(`${event.author}\u0000${event.urn}`)! - 1 - matesOnObject.length;
    const namespaceHistory = namespaceCounts.get(event.namespace)! - 1 - matesInNamespace;
    if (inNamespace === 0) {
      add('author', historyConfidence(namespaceHistory) * 1.1, 'author-new-namespace', { author: event.author, namespace: event.namespace, history: namespaceHistory });
    } else if (inNamespace <= 2 && inNamespace < 0.01 * namespaceHistory) {
      add('author', 0.8 * historyConfidence(namespaceHistory), 'author-rare-namespace', { author: event.author, namespace: event.namespace, times: inNamespace, history: namespaceHistory });
    } else if (onObject === 0) {
      add('author', 0.25 * historyConfidence(objectHistory), 'author-new-object', { author: event.author, inNamespace, namespace: event.namespace });
    }

    // How big: against the object's median change.
    const usualSize = Math.max(1, medianWithout(objectSizes.get(event.urn)!, matesOnObject.map((mate) => mate.size)));
    const sizeRatio = change.size / usualSize;
    add('size', ((Math.log2(sizeRatio) - 1.5) / 2) * historyConfidence(objectHistory), 'size', { keys: event.keysTouched.length, ops: event.patch?.length ?? event.keysTouched.length, usual: usualSize });

    // What: sensitive keys, less so when this object routinely changes them (image on every release).
    let sensitive = 0;
    const touched: string[] = [];
    const tagCounts = objectTags.get(event.urn)!;
    for (const tag of change.tags) {
      const base = tag === SCALED_TO_ZERO ? SCALED_TO_ZERO_WEIGHT : SENSITIVE_KEYS.find((key) => key.tag === tag)!.weight;
      const routine = objectHistory > 0 ? (tagCounts.get(tag)! - 1 - matesOnObject.filter((mate) => mate.tags.has(tag)).length) / objectHistory : 0;
      const weight = base * (1 - 0.8 * routine);
      if (weight > sensitive) sensitive = weight;
      if (weight >= 0.2) touched.push(tag);
    }
    if (touched.length > 0) add('sensitive', sensitive, 'sensitive', { tags: touched });

    // How fast: many changes by one author in a short window, against the author's own habit —
    // the median (not a high percentile, so one burst in a short history does not become a habit)
    // of the author's burst sizes outside this burst, the change itself included: a newcomer whose
    // only changes are this burst has no habit (0), not a habit of exactly this burst.
    const burst = burstCounts[i];
    const usual = medianWithout(authorBursts.get(event.author)!, [burst, ...burstMates[i].map((j) => burstCounts[j])]);
    const minutes = Math.round(windowMillis / 60_000);
    add('burst', (burst - Math.max(4, 2 * usual)) / 8, 'burst', { author: event.author, count: burst + 1, minutes, usual: usual + 1 });

    if (event.outsideGitOps) add('outside-gitops', 1, 'outside-gitops', {});

    reasons.sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature));
    const score = 1 - reasons.reduce((product, reason) => product * (1 - reason.contribution), 1);
    return { id: event.id, urn: event.urn, author: event.author, time: event.time, score: Math.round(score * 1000) / 1000, explanation: explain(reasons, objectHistory), reasons };
  });
}

/** The notable reasons (at most four), largest first: what a finding keeps to explain itself. */
export function notableReasons(reasons: readonly AnomalyReason[]): AnomalyReason[] {
  return reasons.filter((reason) => reason.contribution >= 0.1).slice(0, 4);
}

/** The top reasons as one English sentence; the time is said once even when both time features count. */
function explain(reasons: readonly AnomalyReason[], objectHistory: number): string {
  const notable = notableReasons(reasons);
  if (notable.length === 0) return reasonText({ code: 'nothing', params: { history: objectHistory } }, 'en');
  return explainReasons(notable, 'en');
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) (groups.get(keyOf(item)) ?? groups.set(keyOf(item), []).get(keyOf(item))!).push(item);
  return groups;
}

/** For each change, the indices of the other changes by the same author within ±window: its burst. */
function findBurstMates(changes: readonly Prepared[], windowMillis: number): number[][] {
  const mates = changes.map((): number[] => []);
  const byAuthor = groupBy(changes.map((change, index) => ({ change, index })), (x) => x.change.event.author);
  for (const entries of byAuthor.values()) {
    entries.sort((a, b) => a.change.millis - b.change.millis || a.index - b.index);
    let low = 0;
    let high = 0;
    for (let i = 0; i < entries.length; i++) {
      const t = entries[i].change.millis;
      while (entries[low].change.millis < t - windowMillis) low++;
      if (high < i) high = i;
      while (high + 1 < entries.length && entries[high + 1].change.millis <= t + windowMillis) high++;
      for (let j = low; j <= high; j++) if (j !== i) mates[entries[i].index].push(entries[j].index);
    }
  }
  return mates;
}
