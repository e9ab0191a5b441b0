import { translate, type Lang, type MessageKey } from '../i18n/index.js';
import { FEATURES, type FeatureName, type HistoryIndex } from './features.js';
import { isAutomation } from './history.js';

/** Why an object got its probability: a code and its numbers, said in words by {@link reasonText}. */
export interface PredictionReason {
  code: ReasonCode;
  params: Record<string, string | number>;
}

export const REASON_CODES = [
  'recent-changes', 'just-changed', 'rhythm', 'automation', 'authors', 'version-bumps', 'co-change',
  'neighbourhood', 'kind-activity', 'repository-pace', 'timing', 'live-drift', 'edit-size', 'new-object', 'quiet', 'unusual-history',
  'pin-cadence', 'pin-pending',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Which reason each feature speaks to: contributions of one reason's features are added up. */
const REASON_OF: Record<FeatureName, ReasonCode> = {
  hoursSinceLast: 'just-changed', ageDays: 'new-object',
  changes1d: 'recent-changes', changes3d: 'recent-changes', changes7d: 'recent-changes', changes30d: 'recent-changes',
  changes90d: 'recent-changes', changesAll: 'recent-changes', ratePerDay90: 'recent-changes',
  medianGapHours: 'rhythm', overdueRatio: 'rhythm', lastGapHours: 'rhythm', gapVariation: 'rhythm',
  automationShare: 'automation', lastByAutomation: 'automation', authors90d: 'authors',
  bumpShare: 'version-bumps', bumps30d: 'version-bumps',
  coChangePartners: 'co-change', partnerChanges3d: 'co-change', partnerBumps3d: 'co-change',
  neighbourhoodChanges3d: 'neighbourhood', neighbourhoodChanges30d: 'neighbourhood',
  kindChangesPerObject30d: 'kind-activity',
  weekdayShare: 'timing', originHour: 'timing', originWeekday: 'timing',
  liveChanges30d: 'live-drift', outsideGitOps30d: 'live-drift',
  lastEditSize: 'edit-size', recentEditSize: 'edit-size',
  versionPins: 'version-bumps', daysSinceBump: 'version-bumps',
  pinBumps90d: 'pin-cadence', pinHoursSinceBump: 'pin-cadence', pinMedianGapHours: 'pin-cadence', pinOverdueRatio: 'pin-cadence', pinPending7d: 'pin-pending',
  repoChanges1d: 'repository-pace', repoChanges3d: 'repository-pace', repoChanges7d: 'repository-pace',
};

/** A reason must move the log-odds by this much to be worth saying. */
const NOTABLE = 0.1;
const MAX_REASONS = 3;

const num = (x: Float64Array, name: FeatureName): number => x[FEATURES.indexOf(name)];
const one = (v: number): number => Math.round(v * 10) / 10;

/** The numbers behind one reason, read from the object's features and history. */
function paramsOf(code: ReasonCode, x: Float64Array, index: HistoryIndex, track: number, at: number): Record<string, string | number> {
  const tr = index.tracks[track];
  switch (code) {
    case 'recent-changes': {
      const days = num(x, 'changes7d') > 0 ? 7 : num(x, 'changes30d') > 0 ? 30 : 90;
      return { count: num(x, days === 7 ? 'changes7d' : days === 30 ? 'changes30d' : 'changes90d'), days };
    }
    case 'just-changed': return { hours: one(num(x, 'hoursSinceLast')) };
    case 'rhythm': return { every: one(num(x, 'medianGapHours')), since: one(num(x, 'hoursSinceLast')) };
    case 'automation': {
      const recent = index.changesIn(track, -Infinity, at).slice(-10);
      const bot = [...recent].reverse().find((c) => isAutomation(c.author))?.author ?? '—';
      return { share: Math.round(100 * num(x, 'automationShare')), author: bot.replace(/\s*<[^>]*>$/, '') };
    }
    case 'authors': return { count: num(x, 'authors90d') };
    case 'version-bumps': return { count: num(x, 'bumps30d'), share: Math.round(100 * num(x, 'bumpShare')) };
    case 'co-change': {
      let example = '';
      let best = 0;
      for (const [other, shared] of tr.partners) {
        const n = shared.filter((t) => t <= at).length;
        if (n >= 2 && n > best) { best = n; example = index.tracks[other].object.name; }
      }
      return { partners: num(x, 'coChangePartners'), changes: num(x, 'partnerChanges3d'), example: example || '—' };
    }
    case 'neighbourhood': return { count: num(x, 'neighbourhoodChanges3d'), where: tr.object.neighbourhood };
    case 'kind-activity': return { kind: tr.object.kind, rate: one(num(x, 'kindChangesPerObject30d')) };
    case 'repository-pace': return { count: num(x, 'repoChanges7d') };
    case 'timing': return { share: Math.round(100 * num(x, 'weekdayShare')) };
    case 'live-drift': return { live: num(x, 'liveChanges30d'), outside: num(x, 'outsideGitOps30d') };
    case 'edit-size': return { size: one(num(x, 'recentEditSize')) };
    case 'new-object': return { days: one(num(x, 'ageDays')) };
    case 'quiet': return { days: one(num(x, 'hoursSinceLast') / 24), count: num(x, 'changes90d') };
    case 'unusual-history': return {};
    case 'pin-cadence': {
      const busiest = index.pinActivity(track, at)?.busiest;
      return { pin: busiest?.pin ?? '—', count: busiest?.bumps90d ?? 0, since: one(busiest?.hoursSince ?? NaN) };
    }
    case 'pin-pending': {
      const pending = index.pinActivity(track, at)?.pending[0];
      return { pin: pending?.pin ?? '—', version: pending?.version ?? '—', held: pending?.held ?? '—' };
    }
  }
}

/**
 * The reasons of one forecast: the groups of features that raised the probability most (from the
 * trees' contributions), at most three, and whether the object's past changes were often unusual.
 * Without a tree model (too little history), the object's own rate is the reason.
 */
export function reasonsFor(x: Float64Array, contributions: Float64Array | undefined, unusual: { unusual: number; changes: number }, index: HistoryIndex, track: number, at: number): PredictionReason[] {
  const reasons: PredictionReason[] = [];
  if (contributions) {
    const byReason = new Map<ReasonCode, number>();
    FEATURES.forEach((name, i) => byReason.set(REASON_OF[name], (byReason.get(REASON_OF[name]) ?? 0) + contributions[i]));
    const top = [...byReason].filter(([, v]) => v >= NOTABLE).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_REASONS);
    for (const [code] of top) reasons.push({ code, params: paramsOf(code, x, index, track, at) });
  } else if (num(x, 'changes90d') > 0) {
    reasons.push({ code: 'recent-changes', params: paramsOf('recent-changes', x, index, track, at) });
  }
  if (reasons.length === 0) reasons.push({ code: 'quiet', params: paramsOf('quiet', x, index, track, at) });
  if (unusual.unusual > 0) reasons.push({ code: 'unusual-history', params: { unusual: unusual.unusual, changes: unusual.changes } });
  return reasons;
}

/** One reason as a sentence in `lang`. */
export function reasonText(reason: PredictionReason, lang: Lang): string {
  return translate(lang, `predict.reason.${reason.code}` as MessageKey, reason.params);
}

/** All reasons of a prediction as one sentence. */
export function explainPrediction(reasons: readonly PredictionReason[], lang: Lang): string {
  return reasons.map((r) => reasonText(r, lang)).join(lang === 'zh-CN' ? '；' : '; ');
}
