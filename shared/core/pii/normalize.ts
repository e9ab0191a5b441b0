/**
 * Canonical forms for fingerprinting: the same person's value written two ways in two systems
 * (`+86 138-1234-5678` in Kafka, `13812345678` in MySQL) must produce the same keyed hash. Each
 * recognizer says its entity's canonical form (its `normalize`); the HMAC itself is computed by
 * Node code (shared/node), so this module stays pure.
 */
import { entityDefinition } from './registry.js';

/** Canonical form of a value of `entity`; entities without a normalizer are NFKC-normalised and trimmed. */
export function normalizeForFingerprint(entity: string, value: string): string {
  // NFKC folds full-width digits and letters (１３８…) that Chinese input methods produce.
  const v = value.normalize('NFKC').trim();
  const normalize = entityDefinition(entity)?.normalize;
  return normalize ? normalize(v) : v;
}
