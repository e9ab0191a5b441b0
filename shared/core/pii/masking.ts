/**
 * Masked examples: enough of a value for an auditor to recognise its kind and format, never the value.
 * Each recognizer masks its own entity (its `mask`, following common Chinese and PCI DSS practice:
 * 138****5678, first 4/last 4 of a card); this module applies it and guards the result.
 */
import { maskGeneric } from './mask-helpers.js';
import { entityDefinition } from './registry.js';

/**
 * Masks a value recognised as `entity` (entities without a masker, e.g. from rule packs, get a generic mask).
 * Whatever the masker does, the result never contains the raw value or its separator-free form.
 */
export function maskValue(entity: string, value: string): string {
  const raw = value.trim();
  if (raw.length === 0) return '';
  const masker = entityDefinition(entity)?.mask ?? maskGeneric;
  const masked = masker(raw);
  return leaks(masked, raw) ? '*'.repeat(Math.min(raw.length, 8)) : masked;
}

function leaks(masked: string, raw: string): boolean {
  if (masked.includes(raw)) return true;
  const compact = raw.replace(/[\s-]/g, '');
  return compact.length >= 4 && masked.replace(/[\s-]/g, '').includes(compact);
}
