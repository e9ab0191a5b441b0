import { canonicalizeManifest, type CanonicalizeOptions } from './canonicalize.js';
import { isHiddenValue } from './hidden-values.js';
import { isJsonObject, jsonEqual } from './deep-equal.js';
import { compileIgnoreRule, findIgnoreRule, type CompiledIgnoreRule, type IgnoreRule, type ObjectIdentity, type PathStep } from './ignore-rules.js';
import { formatPointer } from './json-pointer.js';
import { quantitiesEqual } from './quantity.js';
import { findServerDefault, type ServerDefault } from './server-defaults.js';
import { isSopsCiphertext } from './sops.js';
import { DRIFT_UNKNOWN_REASONS, type DriftUnknownReason } from './drift-unknowns.js';
import { agreesOutsideVariables, hasUnresolvedVariable } from './unresolved-substitution.js';

/**
 * How the live state departs from the desired one at one place. `unknown` is not a departure: the
 * repository does not hold the value the cluster runs, so whether they agree cannot be proved (see
 * {@link DriftUnknownReason}); it is shown to the reader and never counted as drift.
 */
export type DriftKind = 'modified' | 'missing-live' | 'unmanaged-live' | 'unknown';

/**
 * Why a desired value cannot be compared with the live one:
 * - `unresolved-substitution`: it holds a Flux postBuild variable only the cluster holds
 *   (`<unknown:${VAR}>`), and the parts the repository fixes around it agree;
 * - `flux-variable`: the same, in a value hidden by policy (its hash is of the placeholder);
 * - `sops-encrypted`: the repository holds it encrypted with SOPS (`spec.decryption`), decrypted only in the cluster.
 */
export { DRIFT_UNKNOWN_REASONS, type DriftUnknownReason };

/** One difference between the desired and the live object. */
export interface DriftItem {
  /**
   * RFC 6901 pointer into the canonical object ("" = the whole object). List items matched by key
   * are addressed by their index in the desired manifest, except `unmanaged-live` items, which only
   * exist live and are addressed by their live index.
   */
  path: string;
  desired: unknown;
  live: unknown;
  kind: DriftKind;
  /** Set exactly when `kind` is `unknown`: why the values cannot be compared. */
  unknown?: DriftUnknownReason;
  /** Set when an ignore rule covers the difference; the difference is still reported. */
  ignored?: { rule: string };
}

/** Options of {@link diffDesiredLive}. */
export interface DiffDesiredLiveOptions extends CanonicalizeOptions {
  /** Rules whose differences are marked ignored (parsed with parseIgnoreRules, or plain rules). */
  ignoreRules?: readonly (IgnoreRule | CompiledIgnoreRule)[];
  /**
   * Pointers of fields another controller owns when the manifest leaves them unset (`/spec/replicas`
   * of a workload an autoscaler scales, see autoscaling.ts): their live values are not drift.
   */
  ownedElsewhere?: readonly string[];
}

/**
 * Lists whose items Kubernetes merges by a key (the `patchMergeKey` of the API types), so that a
 * reordered or inserted item is not reported as every later item changing. volumeMounts are keyed
 * by mountPath, as in the API, because one volume may be mounted at several paths.
 */
const LIST_ITEM_KEYS: Record<string, (item: Record<string, unknown>) => unknown> = {
  containers: (item) => item.name,
  initContainers: (item) => item.name,
  ephemeralContainers: (item) => item.name,
  env: (item) => item.name,
  volumes: (item) => item.name,
  imagePullSecrets: (item) => item.name,
  volumeMounts: (item) => item.mountPath,
  volumeDevices: (item) => item.devicePath,
  hostAliases: (item) => item.ip,
  // The same port number may be open for TCP and UDP (DNS), so the protocol is part of the key.
  ports: (item) => {
    const port = item.containerPort ?? item.port;
    return port === undefined ? undefined : `${String(port)}/${String(item.protocol ?? 'TCP')}`;
  },
};

// Resource amounts the server rewrites in canonical form ("0.5" → "500m").
const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard', 'capacity', 'overhead']);

interface Walk {
  kind: string;
  ownedElsewhere: ReadonlySet<string>;
  identity: ObjectIdentity;
  rules: readonly CompiledIgnoreRule[];
  items: DriftItem[];
  /** Field names with list items as "*": the key into the server-default table. */
  fieldPath: string[];
  /** RFC 6901 tokens of the current place. */
  tokens: (string | number)[];
  /** Steps with list items, for ignore-rule selectors. */
  steps: PathStep[];
}

const isAbsent = (value: unknown): boolean => value === undefined || value === null;
const isEmptyContainer = (value: unknown): boolean =>
  (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);
// A hidden value (a Secret's { $hash }, a config value's { $hash, $preview, $why }) compares as one
// value, by its hash: the preview is what a reader sees, not what is compared.
const isHashedValue = (value: unknown): boolean => isHiddenValue(value);
const hashedEqual = (a: unknown, b: unknown): boolean | undefined =>
  isHiddenValue(a) && isHiddenValue(b) ? a.$hash === b.$hash : undefined;

function report(walk: Walk, kind: DriftKind, desired: unknown, live: unknown, pointerTokens = walk.tokens, steps = walk.steps, unknown?: DriftUnknownReason): void {
  const item: DriftItem = { path: formatPointer(pointerTokens), desired, live, kind, ...(unknown ? { unknown } : {}) };
  const rule = findIgnoreRule(walk.rules, walk.identity, steps);
  if (rule) item.ignored = { rule: rule.label };
  walk.items.push(item);
}

function isServerDefault(serverDefault: ServerDefault | undefined, value: unknown, parent: Record<string, unknown>): boolean {
  if (!serverDefault) return false;
  if ('assigned' in serverDefault) return true;
  if ('equals' in serverDefault) return jsonEqual(value, serverDefault.equals);
  return jsonEqual(value, serverDefault.derive(parent));
}

function within<T>(walk: Walk, field: string, token: string | number, step: PathStep, visit: () => T): T {
  walk.fieldPath.push(field);
  walk.tokens.push(token);
  walk.steps.push(step);
  try {
    return visit();
  } finally {
    walk.fieldPath.pop();
    walk.tokens.pop();
    walk.steps.pop();
  }
}

const hiddenBecause = (value: unknown, why: string): boolean => {
  const reasons = isHiddenValue(value) ? (value as { $why?: unknown }).$why : undefined;
  return Array.isArray(reasons) && reasons.includes(why);
};

/**
 * Whether a desired leaf holds a value the repository does not know: undefined when it can be
 * compared; `false` when it cannot be, but the parts the repository fixes around a variable
 * already differ (that is proven drift); otherwise the reason it is unknown.
 */
function unknownReason(desired: unknown, live: unknown): DriftUnknownReason | false | undefined {
  // A Flux variable only the cluster holds: only what the repository fixes around it can be compared.
  if (hasUnresolvedVariable(desired)) return agreesOutsideVariables(desired, live) ? 'unresolved-substitution' : false;
  // Hidden, the hash is of the placeholder (or the ciphertext): nothing around it can be compared.
  if (hiddenBecause(desired, 'flux-variable')) return 'flux-variable';
  if (hiddenBecause(desired, 'sops-encrypted') || isSopsCiphertext(desired)) return 'sops-encrypted';
  return undefined;
}

function leafEqual(walk: Walk, desired: unknown, live: unknown): boolean {
  const byHash = hashedEqual(desired, live);
  if (byHash !== undefined) return byHash;
  const parentField = walk.fieldPath[walk.fieldPath.length - 2];
  if (parentField !== undefined && QUANTITY_MAPS.has(parentField)) {
    const equalAsQuantities = quantitiesEqual(desired, live);
    if (equalAsQuantities !== undefined) return equalAsQuantities;
  }
  return jsonEqual(desired, live);
}

/** A leaf: equal, drift, or unknown with its reason. */
function compareLeaf(walk: Walk, desired: unknown, live: unknown): void {
  const unknown = unknownReason(desired, live);
  if (unknown === false) report(walk, 'modified', desired, live);
  else if (unknown) report(walk, 'unknown', desired, live, walk.tokens, walk.steps, unknown);
  else if (!leafEqual(walk, desired, live)) report(walk, 'modified', desired, live);
}

/**
 * A list of plain values (args, command) is one value. Where some of its items are unknown, the
 * others must still agree item by item: then the list is unknown, else it is drift.
 */
function comparePlainList(walk: Walk, desired: unknown[], live: unknown[]): void {
  const reasons = desired.map((item, i) => unknownReason(item, live[i]));
  const firstUnknown = reasons.find((r): r is DriftUnknownReason => typeof r === 'string');
  if (!firstUnknown) {
    if (!jsonEqual(desired, live)) report(walk, 'modified', desired, live);
    return;
  }
  const othersAgree = desired.length === live.length && reasons.every((r, i) => (r === undefined ? jsonEqual(desired[i], live[i]) : r !== false));
  if (othersAgree) report(walk, 'unknown', desired, live, walk.tokens, walk.steps, firstUnknown);
  else report(walk, 'modified', desired, live);
}

function compareValue(walk: Walk, desired: unknown, live: unknown, desiredParent: Record<string, unknown>): void {
  if (isAbsent(live)) {
    const serverDefault = findServerDefault(walk.kind, walk.fieldPath);
    // The API server drops empty optional maps and lists, and a desired default may be stored implicitly.
    if (isEmptyContainer(desired) || isServerDefault(serverDefault, desired, desiredParent)) return;
    report(walk, 'missing-live', desired, undefined);
    return;
  }
  if (isJsonObject(desired) && isJsonObject(live) && !isHashedValue(desired)) {
    compareObjects(walk, desired, live);
    return;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    compareLists(walk, desired, live);
    return;
  }
  compareLeaf(walk, desired, live);
}

function compareObjects(walk: Walk, desired: Record<string, unknown>, live: Record<string, unknown>): void {
  for (const [key, desiredValue] of Object.entries(desired)) {
    // kubectl treats a null in a manifest as "leave unset": it states nothing about the live value.
    if (isAbsent(desiredValue)) continue;
    within(walk, key, key, { key }, () => compareValue(walk, desiredValue, live[key], desired));
  }
  for (const [key, liveValue] of Object.entries(live)) {
    if (!isAbsent(desired[key]) || isAbsent(liveValue)) continue;
    within(walk, key, key, { key }, () => {
      // Fields the manifest does not set are server-owned, unless the server defaults them and the
      // live value is not that default: then someone set it by hand.
      const serverDefault = findServerDefault(walk.kind, walk.fieldPath);
      if (walk.ownedElsewhere.has(formatPointer(walk.tokens))) return;
      if (serverDefault && !isServerDefault(serverDefault, liveValue, live)) report(walk, 'unmanaged-live', undefined, liveValue);
    });
  }
}

/** Keys of a list's items, or undefined when the list is not keyed or a key is missing or repeated. */
function itemKeys(listField: string, items: unknown[]): string[] | undefined {
  const keyOf = LIST_ITEM_KEYS[listField];
  if (!keyOf) return undefined;
  const keys: string[] = [];
  for (const item of items) {
    if (!isJsonObject(item)) return undefined;
    const key = keyOf(item);
    if (key === undefined || key === null) return undefined;
    keys.push(String(key));
  }
  return new Set(keys).size === keys.length ? keys : undefined;
}

function compareLists(walk: Walk, desired: unknown[], live: unknown[]): void {
  const listField = walk.fieldPath[walk.fieldPath.length - 1];
  const desiredKeys = itemKeys(listField, desired);
  const liveKeys = itemKeys(listField, live);
  if (desiredKeys && liveKeys) {
    const liveIndexByKey = new Map(liveKeys.map((key, index) => [key, index]));
    desired.forEach((desiredItem, index) => {
      const liveIndex = liveIndexByKey.get(desiredKeys[index]);
      within(walk, '*', index, { index, item: desiredItem }, () =>
        compareValue(walk, desiredItem, liveIndex === undefined ? undefined : live[liveIndex], {}));
    });
    const desiredKeySet = new Set(desiredKeys);
    live.forEach((liveItem, liveIndex) => {
      if (desiredKeySet.has(liveKeys[liveIndex])) return;
      within(walk, '*', liveIndex, { index: liveIndex, item: liveItem }, () => report(walk, 'unmanaged-live', undefined, liveItem));
    });
    return;
  }
  // Lists of plain values (args, command, capabilities) are one value: order and length matter.
  if (desired.every((item) => isHashedValue(item) || (!isJsonObject(item) && !Array.isArray(item)))) {
    comparePlainList(walk, desired, live);
    return;
  }
  desired.forEach((desiredItem, index) => {
    within(walk, '*', index, { index, item: desiredItem }, () => compareValue(walk, desiredItem, live[index], {}));
  });
  for (let index = desired.length; index < live.length; index++) {
    within(walk, '*', index, { index, item: live[index] }, () => report(walk, 'unmanaged-live', undefined, live[index]));
  }
}

function identityOf(desired: unknown, live: unknown): ObjectIdentity {
  const pick = (field: 'namespace' | 'name'): string | undefined => {
    for (const object of [desired, live]) {
      const metadata = isJsonObject(object) && isJsonObject(object.metadata) ? object.metadata : undefined;
      if (metadata && typeof metadata[field] === 'string') return metadata[field] as string;
    }
    return undefined;
  };
  const kind = [desired, live].map((object) => (isJsonObject(object) ? object.kind : undefined)).find((k) => typeof k === 'string') as string | undefined;
  return { kind, namespace: pick('namespace'), name: pick('name') };
}

/**
 * Compares a desired manifest (from git) with the live object, both canonicalized first.
 * Only fields the desired manifest sets are compared: extra live fields are server-owned, except
 * server-defaulted fields whose live value is not the default. Keyed lists (containers, env,
 * ports, volumes…) are matched by key, quantities by value, Secret values by hash.
 * Pass `undefined` for an object that exists on one side only: it gives one item at path "".
 */
export function diffDesiredLive(desired: unknown, live: unknown, options: DiffDesiredLiveOptions = {}): DriftItem[] {
  const rules = (options.ignoreRules ?? []).map((rule, i) => ('steps' in rule ? rule : compileIgnoreRule(rule, `ignore rule #${i + 1}`)));
  const canonicalDesired = canonicalizeManifest(desired, options);
  const canonicalLive = canonicalizeManifest(live, options);
  const identity = identityOf(canonicalDesired, canonicalLive);
  const walk: Walk = { kind: identity.kind ?? '', ownedElsewhere: new Set(options.ownedElsewhere ?? []), identity, rules, items: [], fieldPath: [], tokens: [], steps: [] };
  if (isAbsent(canonicalDesired) && isAbsent(canonicalLive)) return [];
  if (isAbsent(canonicalLive)) report(walk, 'missing-live', canonicalDesired, undefined);
  else if (isAbsent(canonicalDesired)) report(walk, 'unmanaged-live', undefined, canonicalLive);
  else compareValue(walk, canonicalDesired, canonicalLive, {});
  return walk.items;
}

/** Whether an item is a difference (drift): every kind but `unknown`, which cannot be proved either way. */
export const isDriftDifference = (item: DriftItem): boolean => item.kind !== 'unknown';
