import type { Lang } from './format.js';

/** A domain's messages: the English table, and a zh-CN table with exactly the same keys. */
export type MessageTables<E extends Record<string, string>> = { en: E } & { [L in Exclude<Lang, 'en'>]: { [K in keyof E]: string } };

/**
 * Declares a domain's messages. The type makes a key that English has and Chinese lacks (or the
 * reverse) a compile error, which is how a missing translation fails the lint.
 */
export function defineMessages<const E extends Record<string, string>>(tables: MessageTables<E>): MessageTables<E> {
  return tables;
}
