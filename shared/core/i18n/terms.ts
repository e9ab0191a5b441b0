import { hasMessage, translate } from './catalogue.js';
import type { Lang } from './format.js';
import { entityLabel as recognizerLabel } from '../pii/registry.js';
import { urnSchemeSpec } from '../model/urn.js';

/**
 * Names for the codes the graph and findings carry (entity codes, node and edge kinds, rule ids,
 * jurisdictions), in the reader's language. A code the catalogue does not know is shown as it is:
 * a new recognizer or rule is still readable before its name is translated.
 */

const named = (key: string, code: string, lang: Lang): string => (hasMessage(key) ? translate(lang, key) : code);

/**
 * The name of a PII entity (`CN_MOBILE` → "Chinese mobile number" / "手机号码"), as its recognizer
 * names it: studio, report and CLI all read entity names here, so they never disagree.
 */
export function entityLabel(code: string, lang: Lang): string {
  return recognizerLabel(code, lang);
}

/** An entity name starting with a capital where the language has them (table cells, badges). */
export function entityTitle(code: string, lang: Lang): string {
  const label = entityLabel(code, lang);
  return lang === 'en' ? label.charAt(0).toUpperCase() + label.slice(1) : label;
}

/** The name of a node kind (`prefix` → "Object prefix"). */
export const kindLabel = (kind: string, lang: Lang): string => named(`kind.${kind}`, kind, lang);

/** The name of a group's kind by its URN scheme (`kafka` → "Kafka cluster"). */
// A scheme a source kind registered names itself (its `label`); the built-in ones are in the catalogue.
export const schemeLabel = (scheme: string, lang: Lang): string => {
  const key = `scheme.${scheme}`;
  return hasMessage(key) ? translate(lang, key) : (urnSchemeSpec(scheme)?.label?.[lang] ?? scheme);
};

/** The name of an edge kind (`same-values` → "same values"). */
export const edgeLabel = (kind: string, lang: Lang): string => named(`edge.${kind}`, kind, lang);

/** The name of the rule behind an edge or a finding, or its id. */
export const ruleLabel = (rule: string, lang: Lang): string => named(`rule.${rule}`, rule, lang);

/** A jurisdiction's name (`CN` → "mainland China"); "unknown jurisdiction" when there is none. */
export const jurisdictionLabel = (code: string | undefined, lang: Lang): string =>
  code ? named(`jurisdiction.${code}`, code, lang) : translate(lang, 'jurisdiction.unknown');

/** The law that restricts transfers out of a jurisdiction, or undefined when none is known. */
export function lawLabel(fromJurisdiction: string | undefined, lang: Lang): string | undefined {
  const key = `law.${fromJurisdiction ?? ''}`;
  return fromJurisdiction && hasMessage(key) ? translate(lang, key) : undefined;
}
