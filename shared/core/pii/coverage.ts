/**
 * The inventory's negative answers: for every entity with no finding, how much was looked at —
 * "not found in 12,400 sampled values of 38 columns" — so an empty row reads as evidence, never as
 * silence. Pure data for the report and the studio to render in their own layout and language.
 */
import { PII_ENTITIES } from './registry.js';

/** A classified column or field: how many values were sampled, and the entities found in it. */
export interface ClassifiedField {
  sampled: number;
  entities: readonly string[];
}

export type EntityCoverage =
  | { entity: string; found: true; fields: number }
  | { entity: string; found: false; sampledValues: number; fields: number };

/**
 * Per entity (the built-in ones, plus any entity found): found in how many fields, or not found in
 * how many sampled values of how many fields. Fields with no sampled value do not count as looked at.
 */
export function entityCoverage(fields: readonly ClassifiedField[], entities: readonly string[] = PII_ENTITIES): EntityCoverage[] {
  const looked = fields.filter((f) => f.sampled > 0);
  const sampledValues = looked.reduce((sum, f) => sum + f.sampled, 0);
  const all = [...new Set([...entities, ...looked.flatMap((f) => f.entities)])];
  return all.map((entity): EntityCoverage => {
    const hits = looked.filter((f) => f.entities.includes(entity)).length;
    return hits > 0 ? { entity, found: true, fields: hits } : { entity, found: false, sampledValues, fields: looked.length };
  });
}
