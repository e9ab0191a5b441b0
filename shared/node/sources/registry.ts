import { AppError } from '../../core/api/errors.js';
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

/** Registers a source kind (used by the list above and by tests that add a kind of their own). */
export function registerSource(def: SourceDefinition): void {
  registered.set(def.kind, def);
}
definitions.forEach(registerSource);

export function sourceKinds(): string[] {
  return [...registered.keys()].sort();
}

export function getSourceDefinition(kind: string): SourceDefinition {
  const def = registered.get(kind);
  if (!def) throw new AppError('CONFIG_INVALID', `unknown source kind "${kind}"; use one of: ${sourceKinds().join(', ') || '(none registered)'}`);
  return def;
}
