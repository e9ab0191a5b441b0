/**
 * The one text catalogue of Driftline (DESIGN.md, "One text catalogue"): every sentence the studio,
 * the PDF report and the CLI show, in English and Simplified Chinese, under typed keys.
 *
 * - Text lives in `messages/<domain>.ts`, one file per domain, each made with `defineMessages`, so
 *   a key missing from zh-CN is a type error (`npm run lint` fails).
 * - Adding a domain is one file and one line in `catalogue.ts`.
 * - Values from the workspace (names, URNs, masked examples) are parameters, never translated.
 */
export type { Lang, MessageParams } from './format.js';
export { LANGS, formatMessage, isLang } from './format.js';
export { defineMessages, type MessageTables } from './define.js';
export { translate, hasMessage, messageKeys, type MessageKey } from './catalogue.js';
export { entityLabel, entityTitle, kindLabel, schemeLabel, edgeLabel, ruleLabel, jurisdictionLabel, lawLabel } from './terms.js';
export { describeFinding, evidenceAddsDetail, listText, valueText } from './finding-text.js';
export { phrase, say, canSay, textOf, textsOf, spoken, spokenEvidence, spokenDetail, type Phrase, type PhraseValue } from './phrase.js';
