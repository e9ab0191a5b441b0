import { isPhrase, type Phrase, type PhraseValue } from '../model/phrase.js';
import { hasMessage, translate, type MessageKey } from './catalogue.js';
import type { Lang } from './format.js';

export type { Phrase, PhraseValue };

/** Nested phrases deeper than this are shown by key (a bound: stored data is not trusted to be small). */
const MAX_DEPTH = 8;
/** How the items of a list parameter are joined: clauses, each a sentence of its own. */
const CLAUSE_SEPARATOR: Record<Lang, string> = { en: '; ', 'zh-CN': '；' };

/** A phrase for `key` (checked against the catalogue at compile time) with its parameters. */
export function phrase(key: MessageKey, params?: Phrase['params']): Phrase {
  return params ? { key, params } : { key };
}

function valueText(value: PhraseValue, lang: Lang, depth: number): string | number {
  if (Array.isArray(value)) return value.map((v) => valueText(v, lang, depth + 1)).join(CLAUSE_SEPARATOR[lang]);
  if (isPhrase(value)) return sayAt(value, lang, depth + 1);
  return value;
}

function sayAt(p: Phrase, lang: Lang, depth: number): string {
  if (depth > MAX_DEPTH || !hasMessage(p.key)) return p.key;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(p.params ?? {})) params[name] = valueText(value, lang, depth);
  return translate(lang, p.key, params);
}

/** The phrase as a sentence in `lang`. */
export function say(p: Phrase, lang: Lang): string {
  return sayAt(p, lang, 0);
}

/** Whether this build can say the phrase (its key and the keys of every nested phrase are known). */
export function canSay(p: unknown, depth = 0): p is Phrase {
  if (!isPhrase(p) || depth > MAX_DEPTH || !hasMessage(p.key)) return false;
  const ok = (v: PhraseValue): boolean => (Array.isArray(v) ? v.every(ok) : isPhrase(v) ? canSay(v, depth + 1) : true);
  return Object.values(p.params ?? {}).every(ok);
}

/**
 * What to show for a stored sentence: its phrase in the reader's language when there is one this
 * build can say, else the text as it was stored (older workspaces kept English sentences only).
 */
export function textOf(stored: string, structured: unknown, lang: Lang): string {
  return canSay(structured) ? say(structured, lang) : stored;
}

/** A sentence to store: the phrase, and its English text for readers that only know strings (CLI JSON, older builds). */
export function spoken(key: MessageKey, params?: Phrase['params']): { text: string; phrase: Phrase } {
  const p = phrase(key, params);
  return { text: say(p, 'en'), phrase: p };
}

/** A finding's evidence to store: the English text, and the phrase it was said from. */
export function spokenEvidence(p: Phrase): { evidence: string; evidencePhrase: Phrase } {
  return { evidence: say(p, 'en'), evidencePhrase: p };
}

/** Edge evidence to store: the English `detail`, and the phrase it was said from. */
export function spokenDetail(p: Phrase): { detail: string; phrase: Phrase } {
  return { detail: say(p, 'en'), phrase: p };
}

/** {@link textOf} for a list stored with a parallel list of phrases (an access entry's conditions). */
export function textsOf(stored: readonly string[], structured: readonly unknown[] | undefined, lang: Lang): string[] {
  return stored.map((text, i) => textOf(text, structured?.[i], lang));
}
