import { AppError } from '../api/errors.js';
import { formatMessage, type Lang, type MessageParams } from './format.js';
import { commonMessages } from './messages/common.js';
import { accessMessages } from './messages/access.js';
import { predictMessages } from './messages/predict.js';
import { explainMessages } from './messages/explain.js';
import { studioMessages } from './messages/studio.js';
import { sourcesMessages } from './messages/sources.js';
import { lineageMessages } from './messages/lineage.js';
import { findingsMessages } from './messages/findings.js';
import { driftMessages } from './messages/drift.js';
import { snapshotsMessages } from './messages/snapshots.js';
import { graphMessages } from './messages/graph.js';
import { reportMessages } from './messages/report.js';
import { securityMessages } from './messages/security.js';
import { sourceFormMessages } from './messages/source-form.js';
import { evidenceMessages } from './messages/evidence.js';
import { driftUnknownMessages } from './messages/drift-unknown.js';
import { accessDenyMessages } from './messages/access-deny.js';
import { sourceKindMessages } from './messages/source-kinds.js';
import { captureGapMessages } from './messages/capture-gaps.js';

/** Every domain of the catalogue. Adding one is a file under messages/ and one line here. */
const DOMAINS = [
  commonMessages,
  accessMessages,
  predictMessages,
  explainMessages,
  studioMessages,
  sourcesMessages,
  lineageMessages,
  findingsMessages,
  driftMessages,
  snapshotsMessages,
  graphMessages,
  reportMessages,
  securityMessages,
  sourceFormMessages,
  evidenceMessages,
  driftUnknownMessages,
  accessDenyMessages,
  sourceKindMessages,
  captureGapMessages,
] as const;

type KeysOf<T> = T extends { en: infer E } ? keyof E & string : never;
/** Every key of the catalogue. */
export type MessageKey = KeysOf<(typeof DOMAINS)[number]>;

const TABLES: Record<Lang, Map<string, string>> = { en: new Map(), 'zh-CN': new Map() };
for (const domain of DOMAINS) {
  for (const lang of Object.keys(TABLES) as Lang[]) {
    for (const [key, text] of Object.entries(domain[lang] as Record<string, string>)) {
      // Keys are unique across domains (each domain prefixes its own): a clash would silently hide a text.
      if (TABLES[lang].has(key)) throw new AppError('INTERNAL', `i18n: the key "${key}" is defined twice`);
      TABLES[lang].set(key, text);
    }
  }
}

/** The message for `key` in `lang`, with its placeholders filled. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = TABLES[lang].get(key) ?? TABLES.en.get(key) ?? key;
  return formatMessage(template, params, lang);
}

/** Whether a key exists (for keys built at run time, such as `entity.<CODE>`). */
export function hasMessage(key: string): key is MessageKey {
  return TABLES.en.has(key);
}

export function messageKeys(lang: Lang = 'en'): string[] {
  return [...TABLES[lang].keys()];
}
