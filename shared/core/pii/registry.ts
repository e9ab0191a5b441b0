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

let active: Recognizer[] = RECOGNIZERS;

/**
 * Adds the recognizers of the user's YAML rule packs to every classification that does not pass its
 * own list. The Node side loads the packs (files) and calls this once per scan.
 */
export function setRulePackRecognizers(list: Recognizer[]): void {
  // One stable array per set of packs, so compiled recognizer sets are cached by identity.
  active = list.length ? [...RECOGNIZERS, ...list] : RECOGNIZERS;
}

/** The built-in recognizers plus those of the loaded rule packs. */
export function activeRecognizers(): Recognizer[] {
  return active;
}

/** The built-in entity names, in registry order (DESIGN.md's list; rule packs may add their own). */
export const PII_ENTITIES: readonly string[] = [...new Set(RECOGNIZERS.map((r) => r.entity))];

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
