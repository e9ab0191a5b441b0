import { AppError } from '../../core/api/errors.js';
import { registerUrnScheme } from '../../core/model/urn.js';
import { describeSourceForm, type SourceKindForm } from '../../core/sources/form.js';
import type { SourceDefinition } from './source.js';
import { kafkaSource } from './kafka/index.js';
import { kubernetesSource } from './kubernetes/index.js';
import { gitSource } from './git/index.js';
import { s3Source } from './s3/index.js';
import { mysqlSource } from './mysql/index.js';
import { kafkaConnectSource } from './kafka-connect/index.js';

/**
 * Every source kind Driftline knows. Adding a source is one folder under sources/ and one line here.
 */
const definitions: SourceDefinition[] = [
  kubernetesSource,
  gitSource,
  mysqlSource,
  kafkaSource,
  s3Source,
  kafkaConnectSource,
];

const registered = new Map<string, SourceDefinition>();
const forms = new Map<string, SourceKindForm>();

/**
 * Registers a source kind (used by the list above and by tests that add a kind of their own), with
 * the URN schemes it mints. Its form is described once here, so metadata that does not fit its
 * schema fails at registration, naming the field, not when someone opens the form.
 */
export function registerSource(def: SourceDefinition): void {
  const form = describeSourceForm(def);
  for (const scheme of def.urnSchemes ?? []) registerUrnScheme(scheme);
  registered.set(def.kind, def);
  forms.set(def.kind, form);
}
definitions.forEach(registerSource);

export function sourceKinds(): string[] {
  return [...registered.keys()].sort();
}

/** The studio form of every registered kind, by kind name (`sources:kinds`). */
export function sourceKindForms(): SourceKindForm[] {
  return sourceKinds().map((kind) => forms.get(kind)!);
}

export function getSourceDefinition(kind: string): SourceDefinition {
  const def = registered.get(kind);
  if (!def) throw new AppError('CONFIG_INVALID', `unknown source kind "${kind}"; use one of: ${sourceKinds().join(', ') || '(none registered)'}`);
  return def;
}
