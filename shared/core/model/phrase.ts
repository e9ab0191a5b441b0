import { z } from 'zod';

/**
 * A sentence kept as a catalogue key and its parameters rather than as English text, so that it is
 * said in the reader's language when shown (shared/core/i18n/phrase.ts renders it). Parameters are
 * values from the workspace (names, URNs, numbers, configuration keys: never translated), or
 * phrases themselves (a hop's evidence inside a chain's sentence), or lists of either.
 *
 * Stored next to the English text it replaces (`detail`, `evidence`, `reason`…): a workspace written
 * before phrases existed, or a phrase whose key this build does not know, still shows that text.
 */
export interface Phrase {
  key: string;
  params?: { [name: string]: PhraseValue };
}
export type PhraseValue = string | number | Phrase | PhraseValue[];

const phraseValueSchema: z.ZodType<PhraseValue> = z.lazy(() => z.union([z.string(), z.number(), phraseSchema, z.array(phraseValueSchema)]));
export const phraseSchema: z.ZodType<Phrase> = z.lazy(() => z.object({ key: z.string(), params: z.record(z.string(), phraseValueSchema).optional() }));

/** Whether a stored value is a phrase (evidence JSON is read without a schema). */
export function isPhrase(value: unknown): value is Phrase {
  return !!value && typeof value === 'object' && typeof (value as Phrase).key === 'string';
}
