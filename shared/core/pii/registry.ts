import { AppError } from '../api/errors.js';
import type { Severity } from '../model/finding.js';
import type { EntityLabels, Recognizer } from './types.js';
import { emailRecognizer } from './recognizers/email.js';
import { phoneRecognizer } from './recognizers/phone.js';
import { cnMobileRecognizer } from './recognizers/cn-mobile.js';
import { cnResidentIdRecognizer } from './recognizers/cn-resident-id.js';
import { bankCardRecognizer } from './recognizers/bank-card.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { cnPassportRecognizer } from './recognizers/cn-passport.js';
import { usSsnRecognizer } from './recognizers/us-ssn.js';
import { ipAddressRecognizer } from './recognizers/ip-address.js';
import { personNameRecognizer } from './recognizers/person-name.js';
import { dateOfBirthRecognizer } from './recognizers/date-of-birth.js';
import { addressRecognizer } from './recognizers/address.js';
import { geoCoordinateRecognizer } from './recognizers/geo-coordinate.js';

/** The built-in recognizers. Adding one is a file under recognizers/ plus one import and one line here. */
export const RECOGNIZERS: Recognizer[] = [
  emailRecognizer,
  phoneRecognizer,
  cnMobileRecognizer,
  cnResidentIdRecognizer,
  bankCardRecognizer,
  ibanRecognizer,
  cnPassportRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  personNameRecognizer,
  dateOfBirthRecognizer,
  addressRecognizer,
  geoCoordinateRecognizer,
];

/** Recognizers added through {@link registerRecognizer} (one file each, outside this list). */
let registered: Recognizer[] = [];
/** Recognizers of the user's YAML rule packs. */
let packs: Recognizer[] = [];
let active: Recognizer[] = RECOGNIZERS;

// One stable array per set, so compiled recognizer sets (classify.ts) are cached by identity.
const rebuild = () => {
  active = registered.length || packs.length ? [...RECOGNIZERS, ...registered, ...packs] : RECOGNIZERS;
};

/** The built-in entity names, in registry order (DESIGN.md's list), then those registered since; rule packs may add their own. */
export const PII_ENTITIES: readonly string[] = [...new Set(RECOGNIZERS.map((r) => r.entity))];

/**
 * Adds a recognizer from its own file, with everything Driftline needs of its entity inside it
 * (labels in every language, severity, masker, normalizer): classification, findings, masking,
 * the studio and the report then know it, with no other file to edit. A rule-pack-like extension
 * point for code; the built-in list above is the same thing written once.
 */
export function registerRecognizer(recognizer: Recognizer): void {
  if (!/^[A-Z][A-Z0-9_]*$/.test(recognizer.entity)) throw new AppError('INTERNAL', `recognizer "${recognizer.entity}": name its entity in capitals, digits and _ (like LOYALTY_CARD)`);
  if (!recognizer.labels?.en || !recognizer.labels['zh-CN']) throw new AppError('INTERNAL', `recognizer ${recognizer.entity}: give it labels in English and Chinese (labels: { en, 'zh-CN' }), the studio and the report name the entity with them`);
  if ([...RECOGNIZERS, ...registered].some((r) => r.entity === recognizer.entity && r !== recognizer)) throw new AppError('INTERNAL', `recognizer ${recognizer.entity}: that entity has a recognizer already; give the new one its own entity name`);
  if (registered.includes(recognizer)) return;
  registered = [...registered, recognizer];
  (PII_ENTITIES as string[]).push(recognizer.entity);
  rebuild();
}

/**
 * Adds the recognizers of the user's YAML rule packs to every classification that does not pass its
 * own list. The Node side loads the packs (files) and calls this once per scan.
 */
export function setRulePackRecognizers(list: Recognizer[]): void {
  packs = [...list];
  rebuild();
}

/** The built-in recognizers, those registered, and those of the loaded rule packs. */
export function activeRecognizers(): Recognizer[] {
  return active;
}

const definitions = new WeakMap<readonly Recognizer[], Map<string, Recognizer>>();

/**
 * The recognizer that speaks for an entity (its labels, masker, normalizer, severity): the first
 * built-in one, else the first rule-pack one. Undefined for an entity nobody defines.
 */
export function entityDefinition(entity: string): Recognizer | undefined {
  let byEntity = definitions.get(active);
  if (!byEntity) {
    byEntity = new Map();
    for (const r of active) if (!byEntity.has(r.entity)) byEntity.set(r.entity, r);
    definitions.set(active, byEntity);
  }
  return byEntity.get(entity);
}

/** An entity's name in `lang` (`PERSON_NAME` → `person name` / `姓名`); an unknown entity is shown as its code. */
export function entityLabel(entity: string, lang: keyof EntityLabels = 'en'): string {
  return entityDefinition(entity)?.labels?.[lang] ?? entity;
}

/** Severity of a finding of `entity`: what its recognizer says, `low` when it says nothing. */
export function entitySeverity(entity: string): Severity {
  return entityDefinition(entity)?.severity ?? 'low';
}

/**
 * Every entity's name in `lang`, as a read-only record (`labels.CN_MOBILE`): read at lookup time, so
 * rule-pack entities loaded later are named too; an unknown entity reads as its code.
 */
export function entityLabels(lang: keyof EntityLabels): Readonly<Record<string, string>> {
  return new Proxy({} as Record<string, string>, {
    get: (_, key) => (typeof key === 'string' ? entityLabel(key, lang) : undefined),
  });
}
