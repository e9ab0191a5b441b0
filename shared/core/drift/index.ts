/** Configuration drift: canonical forms, desired-vs-live and snapshot diffs, RBAC resolution, unusual changes. */
export { sha256Hex, sha256Bytes } from './sha256.js';
export { canonicalJson, contentHash } from './canonical-json.js';
export { escapePointerToken, unescapePointerToken, formatPointer, parsePointer } from './json-pointer.js';
export { canonicalizeManifest, type CanonicalizeOptions, type SecretValueHasher, type HashedSecretValue } from './canonicalize.js';
export { parseQuantityNanos, quantitiesEqual } from './quantity.js';
export { findServerDefault, SERVER_DEFAULT_RULES, type ServerDefault } from './server-defaults.js';
export {
  ignoreRuleSchema, parseIgnoreRules, compileIgnoreRule, ignoreRuleMatches, findIgnoreRule,
  type IgnoreRule, type CompiledIgnoreRule, type PathStep, type ObjectIdentity,
} from './ignore-rules.js';
export { diffDesiredLive, isDriftDifference, DRIFT_UNKNOWN_REASONS, type DriftItem, type DriftKind, type DriftUnknownReason, type DiffDesiredLiveOptions } from './diff-desired-live.js';
export { isSopsCiphertext, isSopsMetadata } from './sops.js';
export { driftItemsToFindings, type DriftFinding } from './drift-findings.js';
export { createPatch, applyPatch, type PatchOp } from './json-patch.js';
export { diffSnapshots, buildTimeline, keysTouchedByPatch, type Change, type SnapshotObject, type ObjectVersion, type TimelineEntry } from './snapshot-diff.js';
export {
  resolveEffectivePermissions, canSubject, whoCan, compareClusterRbac, permissionAllows, labelSelectorMatches, subjectKey,
  type EffectivePermission, type RbacSubject, type RbacObjects, type ResolveOptions, type WhoCanEntry, type RbacRight, type RbacComparison,
} from './rbac.js';
export { scoreChanges, notableReasons, ANOMALY_THRESHOLD, type ChangeEvent, type ScoredChange, type AnomalyReason, type AnomalyFeature, type AnomalyOptions } from './anomaly.js';
export { explainReasons, reasonText, type AnomalyLang, type ReasonCode, type ReasonParams } from './anomaly-text.js';
