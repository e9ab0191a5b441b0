/**
 * Values Driftline does not keep, as they are stored and shown: a Secret value (`{ $hash }`), a
 * configuration value hidden by the policy of config-values.ts (`{ $hash, $preview, $why }`), and a
 * whole object named in a finding (`{ $object, $sha256 }`). Small on purpose: the studio imports it.
 */
import { translate } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/format.js';

/** A value replaced by policy: never the value itself. */
export interface HiddenConfigValue {
  /** Keyed fingerprint (HMAC, per-workspace key) of the exact value: equal values compare equal. */
  $hash: string;
  /** The value with every sensitive part masked (`****`, `138****5678`, `mysql://app:****@db/shop`). */
  $preview: string;
  /** Why, most specific first; PII reasons carry the entity (`pii:EMAIL`). */
  $why: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a value the config policy (or the Secret policy, `{ $hash }`) replaced. */
export function isHiddenValue(value: unknown): value is HiddenConfigValue | { $hash: string } {
  if (!isRecord(value) || typeof value.$hash !== 'string') return false;
  return Object.keys(value).every((k) => k === '$hash' || k === '$preview' || k === '$why');
}

/**
 * The text a rule may read from a configuration value: the string itself, or the masked preview of a
 * hidden one (undefined for anything else). Lineage reads connection strings and topic names this way.
 */
export function configValueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isHiddenValue(value) && typeof (value as HiddenConfigValue).$preview === 'string') return (value as HiddenConfigValue).$preview;
  return undefined;
}

/**
 * How the studio and the report show a value that is not shown: "value hidden" for a hidden value,
 * the object's name for a whole-object reference in a finding; undefined for an ordinary value.
 */
export function hiddenValueLabel(value: unknown, lang: Lang): string | undefined {
  if (isHiddenValue(value)) return translate(lang, 'security.valueHidden');
  if (isRecord(value) && typeof value.$object === 'string' && typeof value.$sha256 === 'string') return translate(lang, 'security.objectRef', { object: value.$object });
  return undefined;
}

/** The sentence for a drift finding whose values are hidden ("/data/db: changed (value hidden)"), else undefined. */
export function hiddenChangeText(finding: { path: string; desired?: unknown; live?: unknown }, lang: Lang): string | undefined {
  if (!isHiddenValue(finding.desired) && !isHiddenValue(finding.live)) return undefined;
  return translate(lang, 'security.changedValueHidden', { path: finding.path || '/' });
}
