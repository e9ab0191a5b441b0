import { sha256Hex } from './sha256.js';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, JSON.stringify's escaping of
 * strings and numbers. Two values that are equal as JSON give the same text whatever their key
 * order, so the text (and its hash) identifies a configuration version.
 * Like JSON.stringify, `undefined` members are left out and `undefined` array items become null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Non-finite numbers are not JSON; JSON.stringify writes null for them, and so do we.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return '[' + value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',') + ']';
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === 'function') continue;
    parts.push(JSON.stringify(key) + ':' + canonicalJson(member));
  }
  return '{' + parts.join(',') + '}';
}

/** The content hash of a value: hex SHA-256 of its canonical JSON. */
export function contentHash(value: unknown, hashText: (text: string) => string = sha256Hex): string {
  return hashText(canonicalJson(value));
}
