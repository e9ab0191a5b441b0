import type { z } from 'zod';
import { AppError } from './errors.js';
import { calls, CALL_NAMES, type CallName, type CallParsedInput } from './contract.js';

export function isCallName(name: string): name is CallName {
  return (CALL_NAMES as string[]).includes(name);
}

/** Describes a zod error as "field.path: message; …" so the caller knows which field to fix. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}

/** Parses a call's input with its schema; unknown calls and bad payloads are AppErrors. */
export function parseCallInput<K extends CallName>(name: string, input: unknown): { name: K; input: CallParsedInput<K> } {
  if (!isCallName(name)) throw new AppError('INVALID_INPUT', `unknown call "${name}"; known calls: ${CALL_NAMES.join(', ')}`);
  const parsed = calls[name].input.safeParse(input ?? {});
  if (!parsed.success) throw new AppError('INVALID_INPUT', `${name}: ${describeZodError(parsed.error)}`);
  return { name: name as K, input: parsed.data as CallParsedInput<K> };
}
