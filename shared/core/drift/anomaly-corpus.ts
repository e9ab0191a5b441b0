import type { ChangeEvent } from './anomaly.js';
import type { PatchOp } from './json-patch.js';
import { k8sUrn } from '../model/urn.js';

/** The kinds of unusual change the corpus injects. */
export type InjectedAnomaly = 'off-hours' | 'foreign-author' | 'sensitive' | 'large-change' | 'burst';

/** A change with the truth about it, so detection can be measured. */
export interface LabelledChange extends ChangeEvent {
  anomalous: boolean;
  anomalyType?: InjectedAnomaly;
}

/** Options of {@link generateAnomalyCorpus}. */
export interface AnomalyCorpusOptions {
  seed?: number;
  /** Days of history from 2024-01-01 (a Monday). Default 182. */
  days?: number;
  teams?: number;
  /** Injected single changes per 1,000 normal ones (bursts add about 15 changes each). Default 45. */
  anomaliesPerThousand?: number;
}

/** mulberry32: a tiny seeded PRNG, so the corpus is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAM_NAMES = ['payments', 'checkout', 'catalog', 'search', 'identity', 'shipping', 'ledger', 'growth', 'support', 'platform', 'risk', 'media'];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'nina', 'oscar', 'peggy', 'quinn', 'rupert', 'sybil', 'trent', 'ursula', 'victor', 'wendy', 'xavier', 'yara', 'zoe'];
const ENV_NAMES = ['LOG_LEVEL', 'FEATURE_NEW_CART', 'TIMEOUT_MS', 'CACHE_TTL', 'MAX_CONNECTIONS', 'REGION'];
const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);

interface Team {
  name: string;
  namespace: string;
  people: string[];
  bot: string;
  deployments: string[];
  configMaps: string[];
  services: string[];
  role: string;
}

interface Draft {
  urn: string;
  namespace: string;
  millis: number;
  author: string;
  keys: string[];
  patch: PatchOp[];
}

/** `spec.template.spec.containers[web].image` → `/spec/template/spec/containers/0/image` (the corpus has one container per pod). */
const keyToPointer = (key: string): string => '/' + key.replace(/\[[^\]]*\]/g, '/0').split('.').join('/');
const replaceOps = (keys: string[], value: (key: string) => unknown): PatchOp[] => keys.map((key) => ({ op: 'replace', path: keyToPointer(key), value: value(key) }));

/**
 * A labelled, synthetic change history (about 5,500 changes with the defaults) across teams,
 * namespaces, objects and authors. Normal work: people change their team's objects on weekdays
 * 09–18 (a few on-call evenings and Saturdays), small changes of env, resources, replicas and
 * ConfigMap data; CI bots roll out images in trains. Injected anomalies, labelled: off-hours changes,
 * changes by someone outside the team, sensitive keys (privileged, hostNetwork, secret env,
 * serviceAccountName, replicas → 0), very large changes, and bursts of one author's changes.
 * Deterministic for a seed. Sorted by time.
 */
export function generateAnomalyCorpus(options: AnomalyCorpusOptions = {}): LabelledChange[] {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const days = options.days ?? 182;
  const teamCount = Math.min(options.teams ?? 10, TEAM_NAMES.length);
  const anomalyRate = (options.anomaliesPerThousand ?? 45) / 1000;

  const teams: Team[] = TEAM_NAMES.slice(0, teamCount).map((name, t) => {
    const namespace = `team-${name}`;
    const urn = (kind: string, object: string): string => k8sUrn('prod', namespace, kind, object);
    const apps = Array.from({ length: 8 }, (_, i) => `${name}-svc-${i}`);
    return {
      name, namespace,
      people: [0, 1, 2, 3].map((i) => PEOPLE[(t * 2 + i) % PEOPLE.length] + (t * 2 + i >= PEOPLE.length ? '2' : '')),
      bot: `ci-${name}`,
      deployments: apps.map((app) => urn('Deployment', app)),
      configMaps: [0, 1, 2, 3].map((i) => urn('ConfigMap', `${name}-config-${i}`)),
      services: [0, 1].map((i) => urn('Service', apps[i])),
      role: urn('Role', `${name}-deployer`),
    };
  });
  const appOf = (urn: string): string => urn.slice(urn.lastIndexOf('/') + 1);
  const container = (urn: string): string => `spec.template.spec.containers[${appOf(urn)}]`;

  /** The everyday edits people make to an object: a few keys at a time. */
  function routineEdit(team: Team, urn: string): { keys: string[]; patch: PatchOp[] } {
    if (urn === team.role) {
      const keys = ['rules[0].verbs'];
      return { keys, patch: replaceOps(keys, () => ['get', 'list', 'watch']) };
    }
    if (team.configMaps.includes(urn)) {
      const keys = Array.from({ length: between(1, 3) }, () => `data.${pick(['feature.flags', 'limits.json', 'banner.text', 'routes.yaml', 'timeouts'])}`);
      const unique = [...new Set(keys)];
      return { keys: unique, patch: replaceOps(unique, () => `v${between(1, 99)}`) };
    }
    if (team.services.includes(urn)) {
      const keys = ['spec.ports[http].targetPort'];
      return { keys, patch: replaceOps(keys, () => between(8000, 8090)) };
    }
    const edit = random();
    let keys: string[];
    if (edit < 0.45) keys = [...new Set(Array.from({ length: between(1, 2) }, () => `${container(urn)}.env[${pick(ENV_NAMES)}].value`))];
    else if (edit < 0.75) keys = ['cpu', 'memory'].flatMap((resource) => (random() < 0.6 ? [`${container(urn)}.resources.limits.${resource}`, `${container(urn)}.resources.requests.${resource}`] : [`${container(urn)}.resources.limits.${resource}`]));
    else if (edit < 0.93) keys = ['spec.replicas'];
    else keys = [`${container(urn)}.readinessProbe.periodSeconds`, `${container(urn)}.readinessProbe.initialDelaySeconds`];
    return { keys, patch: replaceOps(keys, (key) => (key === 'spec.replicas' ? between(1, 6) : `${between(1, 9)}00m`)) };
  }

  const objectsOf = (team: Team): string[] => [...team.deployments, ...team.deployments, ...team.configMaps, ...team.services, team.role];
  const dayStart = (day: number): number => START + day * DAY_MS;
  const workingTime = (day: number): number => dayStart(day) + between(9 * 60, 17 * 60 + 59) * 60_000 + between(0, 59) * 1000;
  const isWeekend = (day: number): boolean => [0, 6].includes(new Date(dayStart(day)).getUTCDay());

  const normal: Draft[] = [];
  for (let day = 0; day < days; day++) {
    for (const team of teams) {
      if (isWeekend(day)) {
        // A little Saturday work in a few teams, still in the daytime.
        if (new Date(dayStart(day)).getUTCDay() === 6 && random() < 0.08) {
          const urn = pick(team.deployments);
          normal.push({ urn, namespace: team.namespace, millis: workingTime(day), author: pick(team.people), ...routineEdit(team, urn) });
        }
        continue;
      }
      const humanChanges = between(1, 5);
      for (let c = 0; c < humanChanges; c++) {
        const urn = pick(objectsOf(team));
        // Only the team lead (the first person) edits the team's Role.
        const author = urn === team.role ? team.people[0] : pick(team.people);
        let millis = workingTime(day);
        // On-call evenings: a few changes between 18:00 and 21:30.
        if (random() < 0.02) millis = dayStart(day) + between(18 * 60, 21 * 60 + 30) * 60_000;
        const edit = routineEdit(team, urn);
        // Now and then a refactor touches more keys than usual.
        if (random() < 0.03) {
          const extra = Array.from({ length: between(2, 5) }, (_, i) => `metadata.labels.refactor-${i}`);
          edit.keys.push(...extra);
          edit.patch.push(...replaceOps(extra, () => 'yes'));
        }
        normal.push({ urn, namespace: team.namespace, millis, author, ...edit });
      }
      // Release trains: the CI bot rolls out several images within a few minutes.
      if (random() < 0.5) {
        const start = workingTime(day);
        const train = between(1, 4);
        for (let r = 0; r < train; r++) {
          const urn = pick(team.deployments);
          const keys = [`${container(urn)}.image`];
          normal.push({ urn, namespace: team.namespace, millis: start + r * between(20, 90) * 1000, author: team.bot, keys, patch: replaceOps(keys, () => `registry.local/${appOf(urn)}:1.${day}.${r}`) });
        }
      }
    }
  }

  const anomalies: (Draft & { type: InjectedAnomaly })[] = [];
  const weekday = (): number => {
    let day = between(7, days - 1);
    while (isWeekend(day)) day = between(7, days - 1);
    return day;
  };
  const injected = Math.round(normal.length * anomalyRate);
  for (let a = 0; a < injected; a++) {
    const team = pick(teams);
    const urn = pick(team.deployments);
    const author = pick(team.people.slice(1));
    const type = (['off-hours', 'foreign-author', 'sensitive', 'large-change'] as const)[a % 4];
    if (type === 'off-hours') {
      const day = between(7, days - 1);
      const edit = routineEdit(team, urn);
      anomalies.push({ type, urn, namespace: team.namespace, millis: dayStart(day) + between(0, 4 * 60 + 59) * 60_000, author, ...edit });
    } else if (type === 'foreign-author') {
      const other = pick(teams.filter((t) => t !== team));
      const outsider = random() < 0.3 ? `contractor-${between(1, 20)}` : pick(other.people);
      anomalies.push({ type, urn, namespace: team.namespace, millis: workingTime(weekday()), author: outsider, ...routineEdit(team, urn) });
    } else if (type === 'sensitive') {
      const variant = between(0, 4);
      const keys = [
        [`${container(urn)}.securityContext.privileged`],
        ['spec.template.spec.hostNetwork'],
        [`${container(urn)}.env[DB_PASSWORD].value`],
        ['spec.template.spec.serviceAccountName'],
        ['spec.replicas'],
      ][variant];
      anomalies.push({ type, urn, namespace: team.namespace, millis: workingTime(weekday()), author, keys, patch: replaceOps(keys, () => (variant === 4 ? 0 : variant < 2 ? true : 'changed')) });
    } else {
      const keys = Array.from({ length: between(25, 60) }, (_, i) => `${container(urn)}.env[GENERATED_${i}].value`);
      anomalies.push({ type, urn, namespace: team.namespace, millis: workingTime(weekday()), author, keys, patch: replaceOps(keys, () => 'v') });
    }
  }
  // Bursts: one person changes a dozen or more of their team's objects within minutes.
  const bursts = Math.max(1, Math.round(injected / 30));
  for (let b = 0; b < bursts; b++) {
    const team = teams[b % teams.length];
    const author = team.people[1 + (b % 3)];
    const start = workingTime(weekday());
    const size = between(12, 18);
    for (let c = 0; c < size; c++) {
      const urn = pick(team.deployments);
      anomalies.push({ type: 'burst', urn, namespace: team.namespace, millis: start + c * between(15, 35) * 1000, author, ...routineEdit(team, urn) });
    }
  }

  const all: LabelledChange[] = [
    ...normal.map((draft) => toChange(draft, false)),
    ...anomalies.map((draft) => toChange(draft, true, draft.type)),
  ];
  all.sort((x, y) => Date.parse(x.time) - Date.parse(y.time) || x.urn.localeCompare(y.urn) || x.author.localeCompare(y.author));
  all.forEach((change, i) => { change.id = `change-${String(i).padStart(5, '0')}`; });
  return all;
}

function toChange(draft: Draft, anomalous: boolean, anomalyType?: InjectedAnomaly): LabelledChange {
  return {
    id: '', urn: draft.urn, namespace: draft.namespace, time: new Date(draft.millis).toISOString(), author: draft.author,
    keysTouched: [...new Set(draft.keys)].sort(), patch: draft.patch, anomalous, ...(anomalyType ? { anomalyType } : {}),
  };
}

/** Precision, recall and F1 of flagging scores at or above a threshold, against the labels. */
export interface DetectionQuality {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Measures how well scores (by change id) separate the labelled anomalies at `threshold`. */
export function measureDetection(labelled: readonly LabelledChange[], scores: ReadonlyMap<string, number>, threshold: number): DetectionQuality {
  let truePositives = 0, falsePositives = 0, falseNegatives = 0;
  for (const change of labelled) {
    const flagged = (scores.get(change.id) ?? 0) >= threshold;
    if (flagged && change.anomalous) truePositives++;
    else if (flagged) falsePositives++;
    else if (change.anomalous) falseNegatives++;
  }
  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives, falsePositives, falseNegatives };
}
