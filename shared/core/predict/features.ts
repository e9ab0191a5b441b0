import { upperBound } from '../model/sorted.js';
import { countIn, editSize, isAutomation, isVersionBump, type History, type HistoryChange, type HistoryObject } from './history.js';
import { bumpedPins } from './pins.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The features of one object at one moment, computed only from changes at or before that moment
 * (no look-ahead: a feature never reads a change after `t`). Names are stable: explanations and
 * saved models refer to them.
 */
export const FEATURES = [
  'hoursSinceLast', 'ageDays',
  'changes1d', 'changes3d', 'changes7d', 'changes30d', 'changes90d', 'changesAll', 'ratePerDay90',
  'medianGapHours', 'overdueRatio', 'lastGapHours', 'gapVariation',
  'automationShare', 'lastByAutomation', 'authors90d',
  'bumpShare', 'bumps30d',
  'coChangePartners', 'partnerChanges3d', 'partnerBumps3d',
  'neighbourhoodChanges3d', 'neighbourhoodChanges30d',
  'kindChangesPerObject30d',
  'weekdayShare', 'originHour', 'originWeekday',
  'liveChanges30d', 'outsideGitOps30d',
  'lastEditSize', 'recentEditSize',
  'versionPins', 'daysSinceBump',
  'pinBumps90d', 'pinHoursSinceBump', 'pinMedianGapHours', 'pinOverdueRatio', 'pinPending7d',
  'repoChanges1d', 'repoChanges3d', 'repoChanges7d',
] as const;
export type FeatureName = (typeof FEATURES)[number];
const F = Object.fromEntries(FEATURES.map((name, i) => [name, i])) as Record<FeatureName, number>;

/** Commits that change more objects than this are refactors: they say nothing about who moves with whom. */
const MAX_CO_CHANGE_GROUP = 25;
/** The last this-many changes describe an object's current habits (who changes it, how). */
const RECENT = 10;

interface ObjectTrack {
  object: HistoryObject;
  changes: HistoryChange[];
  times: Float64Array;
  /** Prefix counts: automation[k] = automation changes among the first k. */
  automation: Uint32Array;
  bumps: Uint32Array;
  live: Uint32Array;
  outside: Uint32Array;
  /** Prefix counts per UTC weekday (0 = Sunday). */
  weekdays: Uint32Array[];
  /** When the object appeared, and when it was last removed for good (Infinity if never). */
  created: number;
  removed: number;
  /** Co-change partners: track index → ascending times of the commits both changed in. */
  partners: Map<number, number[]>;
  /** For each change, the index of the latest change at or before it that said which pins the object holds (-1: none). */
  pinsAt: Int32Array;
}

/** One bump of one pinned thing (an image, a chart) anywhere in the repository. */
interface PinBump { time: number; version: string }

/** See {@link HistoryIndex.pinActivity}. */
export interface PinActivity {
  /** How many pins the object holds. */
  held: number;
  /** Bumps of those pinned things in the last 90 days, anywhere. */
  bumps90d: number;
  hoursSinceBump?: number;
  /** The pinned thing bumped most often in the last 90 days. */
  busiest?: { pin: string; bumps90d: number; hoursSince: number; medianGapHours?: number };
  /** Pinned things bumped elsewhere in the last 7 days to a version this object does not hold. */
  pending: { pin: string; version: string; held: string }[];
}

/** The history indexed for fast "what happened in (a, b]" questions about every object. */
export class HistoryIndex {
  readonly tracks: ObjectTrack[] = [];
  /** Every change in time order, with its track: what labels are read from. */
  readonly changes: { change: HistoryChange; track: number }[] = [];
  /** Every non-creation change time, for the repository's overall pace. */
  private readonly allTimes: Float64Array;
  private readonly byNeighbourhood = new Map<string, Float64Array>();
  private readonly byKind = new Map<string, { changes: Float64Array; created: Float64Array; removed: Float64Array }>();
  /** Per pinned thing: when it was bumped (ascending) and to which version. */
  private readonly pinBumps = new Map<string, { times: Float64Array; versions: string[] }>();
  /** The time of the latest change in the history. */
  readonly end: number;
  readonly start: number;

  constructor(history: History) {
    const objects = new Map(history.objects.map((o) => [o.urn, o]));
    const grouped = new Map<string, HistoryChange[]>();
    for (const c of history.changes) {
      if (!Number.isFinite(c.time)) continue;
      const key = c.identity ?? c.urn;
      (grouped.get(key) ?? grouped.set(key, []).get(key)!).push(c);
    }
    const trackOf = new Map<string, number>();
    for (const [urn, list] of [...grouped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const object = objects.get(urn);
      if (!object) continue;
      list.sort((a, b) => a.time - b.time);
      const prefix = (test: (c: HistoryChange) => boolean) => {
        const out = new Uint32Array(list.length + 1);
        list.forEach((c, i) => { out[i + 1] = out[i] + (test(c) ? 1 : 0); });
        return out;
      };
      const last = list[list.length - 1];
      trackOf.set(urn, this.tracks.length);
      this.tracks.push({
        object, changes: list, times: Float64Array.from(list.map((c) => c.time)),
        automation: prefix((c) => isAutomation(c.author)), bumps: prefix(isVersionBump),
        live: prefix((c) => c.origin === 'live'), outside: prefix((c) => !!c.outsideGitOps),
        weekdays: Array.from({ length: 7 }, (_, day) => prefix((c) => new Date(c.time).getUTCDay() === day)),
        created: list[0].time, removed: last.change === 'removed' ? last.time : Infinity, partners: new Map(),
        pinsAt: pinsIndex(list),
      });
    }
    this.tracks.forEach((track, t) => track.changes.forEach((change) => this.changes.push({ change, track: t })));
    this.changes.sort((a, b) => a.change.time - b.change.time || a.track - b.track);
    this.allTimes = Float64Array.from(this.changes.filter((c) => c.change.change !== 'added').map((c) => c.change.time));
    this.start = this.changes[0]?.change.time ?? 0;
    this.end = this.changes[this.changes.length - 1]?.change.time ?? 0;

    // Co-change partners, from commits (groups) of a handful of objects.
    const groups = new Map<string, { tracks: Set<number>; time: number }>();
    for (const { change, track } of this.changes) {
      if (change.change === 'added') continue;
      const g = groups.get(change.group) ?? groups.set(change.group, { tracks: new Set(), time: change.time }).get(change.group)!;
      g.tracks.add(track);
      g.time = Math.max(g.time, change.time);
    }
    for (const { tracks, time } of groups.values()) {
      if (tracks.size < 2 || tracks.size > MAX_CO_CHANGE_GROUP) continue;
      for (const a of tracks) for (const b of tracks) {
        if (a === b) continue;
        const shared = this.tracks[a].partners;
        (shared.get(b) ?? shared.set(b, []).get(b)!).push(time);
      }
    }
    for (const track of this.tracks) for (const times of track.partners.values()) times.sort((x, y) => x - y);

    // Bumps of every pinned thing, once per commit however many objects pin it.
    const bumps = new Map<string, Map<string, PinBump>>();
    for (const track of this.tracks) {
      track.changes.forEach((c, k) => {
        if (k === 0 || !c.pins) return;
        const prev = track.pinsAt[k - 1];
        if (prev < 0) return;
        const before = new Map(Object.entries(track.changes[prev].pins!));
        for (const id of bumpedPins(before, new Map(Object.entries(c.pins)))) {
          const byGroup = bumps.get(id) ?? bumps.set(id, new Map()).get(id)!;
          const seen = byGroup.get(c.group);
          if (!seen || seen.time > c.time) byGroup.set(c.group, { time: c.time, version: c.pins[id] });
        }
      });
    }
    for (const [id, byGroup] of bumps) {
      const list = [...byGroup.values()].sort((a, b) => a.time - b.time);
      this.pinBumps.set(id, { times: Float64Array.from(list.map((b) => b.time)), versions: list.map((b) => b.version) });
    }

    const collect = (keyOf: (track: ObjectTrack) => string) => {
      const out = new Map<string, number[]>();
      for (const track of this.tracks) {
        const key = keyOf(track);
        const list = out.get(key) ?? out.set(key, []).get(key)!;
        for (const c of track.changes) if (c.change !== 'added') list.push(c.time);
      }
      return out;
    };
    for (const [key, times] of collect((t) => t.object.neighbourhood)) this.byNeighbourhood.set(key, Float64Array.from(times.sort((a, b) => a - b)));
    const kinds = collect((t) => t.object.kind);
    for (const [kind, times] of kinds) {
      const members = this.tracks.filter((t) => t.object.kind === kind);
      const sorted = (xs: number[]) => Float64Array.from(xs.sort((a, b) => a - b));
      this.byKind.set(kind, { changes: sorted(times), created: sorted(members.map((m) => m.created)), removed: sorted(members.map((m) => m.removed).filter(Number.isFinite)) });
    }
  }

  /** Whether the object exists at `t`: it appeared at or before `t` and was not removed by then. */
  existsAt(track: number, t: number): boolean {
    const tr = this.tracks[track];
    if (tr.created > t) return false;
    const k = upperBound(tr.times, t);
    return tr.changes[k - 1].change !== 'removed';
  }

  /** Tracks of the objects that exist at `t`. */
  existingAt(t: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.tracks.length; i++) if (this.existsAt(i, t)) out.push(i);
    return out;
  }

  /** The URN the object had at `t` (a generated ConfigMap's name changes with its content). */
  urnAt(track: number, t: number): string {
    const tr = this.tracks[track];
    return tr.changes[Math.max(0, upperBound(tr.times, t) - 1)].urn;
  }

  /** The object's changes in (from, to]. */
  changesIn(track: number, from: number, to: number): HistoryChange[] {
    const tr = this.tracks[track];
    return tr.changes.slice(upperBound(tr.times, from), upperBound(tr.times, to));
  }

  /**
   * What the things the object pins (images, charts) do anywhere in the repository up to `t`: an
   * image bumped every few days will be bumped again wherever it is pinned, and one just bumped
   * elsewhere (to a version this object does not have yet) will probably reach this object too.
   */
  pinActivity(track: number, t: number): PinActivity | undefined {
    const tr = this.tracks[track];
    const n = upperBound(tr.times, t);
    if (n === 0 || tr.pinsAt[n - 1] < 0) return undefined;
    const held = tr.changes[tr.pinsAt[n - 1]].pins!;
    const out: PinActivity = { held: Object.keys(held).length, bumps90d: 0, pending: [] };
    let busiestCount = 0;
    for (const [id, version] of Object.entries(held)) {
      const b = this.pinBumps.get(id);
      if (!b) continue;
      const upTo = upperBound(b.times, t);
      if (upTo === 0) continue;
      const count = upTo - upperBound(b.times, t - 90 * DAY);
      out.bumps90d += count;
      const since = (t - b.times[upTo - 1]) / HOUR;
      out.hoursSinceBump = Math.min(out.hoursSinceBump ?? Infinity, since);
      if (count > busiestCount) {
        busiestCount = count;
        const gaps: number[] = [];
        for (let k = Math.max(1, upTo - RECENT); k < upTo; k++) gaps.push((b.times[k] - b.times[k - 1]) / HOUR);
        gaps.sort((a, c) => a - c);
        out.busiest = { pin: id, bumps90d: count, hoursSince: since, ...(gaps.length ? { medianGapHours: gaps[gaps.length >> 1] } : {}) };
      }
      for (let k = upTo - 1; k >= upperBound(b.times, t - 7 * DAY); k--) {
        if (b.versions[k] !== version) { out.pending.push({ pin: id, version: b.versions[k], held: version }); break; }
      }
    }
    return out;
  }

  /** The feature vector of one object at `t`, for a forecast over `horizonMs`. */
  features(track: number, t: number, horizonMs: number): Float64Array {
    const tr = this.tracks[track];
    const x = new Float64Array(FEATURES.length).fill(NaN);
    const n = upperBound(tr.times, t);
    const times = tr.times;
    const within = (ms: number) => n - upperBound(times, t - ms);
    const last = times[n - 1];
    x[F.hoursSinceLast] = (t - last) / HOUR;
    x[F.ageDays] = (t - tr.created) / DAY;
    x[F.changes1d] = within(DAY);
    x[F.changes3d] = within(3 * DAY);
    x[F.changes7d] = within(7 * DAY);
    x[F.changes30d] = within(30 * DAY);
    x[F.changes90d] = within(90 * DAY);
    x[F.changesAll] = n - 1;
    x[F.ratePerDay90] = within(90 * DAY) / Math.max(1, Math.min(90, (t - tr.created) / DAY));

    // Rhythm: the gaps between recent changes, and how overdue the next one is.
    if (n >= 2) {
      const gaps: number[] = [];
      for (let k = Math.max(1, n - RECENT); k < n; k++) gaps.push((times[k] - times[k - 1]) / HOUR);
      const sorted = [...gaps].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1];
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
      x[F.medianGapHours] = median;
      x[F.overdueRatio] = x[F.hoursSinceLast] / Math.max(median, 1 / 60);
      x[F.lastGapHours] = gaps[gaps.length - 1];
      x[F.gapVariation] = mean > 0 ? sd / mean : 0;
    }

    // Who: bots and controllers, and how many people.
    const from = Math.max(0, n - RECENT);
    const recentCount = n - from;
    x[F.automationShare] = (tr.automation[n] - tr.automation[from]) / recentCount;
    x[F.lastByAutomation] = isAutomation(tr.changes[n - 1].author) ? 1 : 0;
    const authors = new Set<string>();
    for (let k = upperBound(times, t - 90 * DAY); k < n; k++) authors.add(tr.changes[k].author ?? '');
    x[F.authors90d] = authors.size;

    // What: version bumps (image tags, chart versions) and the size of recent edits.
    x[F.bumpShare] = (tr.bumps[n] - tr.bumps[from]) / recentCount;
    const from30 = upperBound(times, t - 30 * DAY);
    x[F.bumps30d] = tr.bumps[n] - tr.bumps[from30];
    x[F.lastEditSize] = editSize(tr.changes[n - 1]);
    let size = 0;
    for (let k = Math.max(0, n - 3); k < n; k++) size += editSize(tr.changes[k]);
    x[F.recentEditSize] = size / Math.min(3, n);

    // With whom: objects it was changed together with (twice or more, by t), and what they just did.
    let partners = 0;
    let partnerChanges = 0;
    let partnerBumps = 0;
    for (const [other, shared] of tr.partners) {
      if (upperBound(shared, t) < 2) continue;
      partners++;
      const o = this.tracks[other];
      const a = upperBound(o.times, t - 3 * DAY);
      const b = upperBound(o.times, t);
      partnerChanges += b - a;
      partnerBumps += o.bumps[b] - o.bumps[a];
    }
    x[F.coChangePartners] = partners;
    x[F.partnerChanges3d] = partnerChanges;
    x[F.partnerBumps3d] = partnerBumps;

    const hood = this.byNeighbourhood.get(tr.object.neighbourhood);
    x[F.neighbourhoodChanges3d] = hood ? countIn(hood, t - 3 * DAY, t) : 0;
    x[F.neighbourhoodChanges30d] = hood ? countIn(hood, t - 30 * DAY, t) : 0;
    const kind = this.byKind.get(tr.object.kind);
    if (kind) {
      const existing = upperBound(kind.created, t) - upperBound(kind.removed, t);
      x[F.kindChangesPerObject30d] = countIn(kind.changes, t - 30 * DAY, t) / Math.max(1, existing);
    }

    // When: does the object change on the weekdays the horizon covers, and when is "now".
    const origin = new Date(t);
    const covered = new Set<number>();
    for (let d = 0; d <= Math.ceil(horizonMs / DAY) && d < 7; d++) covered.add(new Date(t + d * DAY).getUTCDay());
    let onCovered = 0;
    for (const day of covered) onCovered += tr.weekdays[day][n];
    x[F.weekdayShare] = onCovered / n;
    x[F.originHour] = origin.getUTCHours();
    x[F.originWeekday] = origin.getUTCDay();

    // Drift: changes made in the cluster, and those that left it differing from git.
    x[F.liveChanges30d] = tr.live[n] - tr.live[from30];
    x[F.outsideGitOps30d] = tr.outside[n] - tr.outside[from30];

    // What it holds: version pins are what update bots move.
    const pins = this.pinActivity(track, t);
    if (pins) {
      x[F.versionPins] = pins.held;
      x[F.pinBumps90d] = pins.bumps90d;
      if (pins.hoursSinceBump !== undefined) x[F.pinHoursSinceBump] = pins.hoursSinceBump;
      x[F.pinPending7d] = pins.pending.length;
      if (pins.busiest?.medianGapHours !== undefined) {
        x[F.pinMedianGapHours] = pins.busiest.medianGapHours;
        x[F.pinOverdueRatio] = pins.busiest.hoursSince / Math.max(pins.busiest.medianGapHours, 1 / 60);
      }
    }
    // The repository's pace: busy weeks (a big refactor, a batch of updates) lift every object.
    x[F.repoChanges1d] = countIn(this.allTimes, t - DAY, t);
    x[F.repoChanges3d] = countIn(this.allTimes, t - 3 * DAY, t);
    x[F.repoChanges7d] = countIn(this.allTimes, t - 7 * DAY, t);
    return x;
  }
}

/** For each change of a track, the index of the latest change at or before it that carries pins. */
function pinsIndex(changes: readonly HistoryChange[]): Int32Array {
  const out = new Int32Array(changes.length);
  let last = -1;
  changes.forEach((c, k) => { if (c.pins) last = k; out[k] = last; });
  return out;
}
