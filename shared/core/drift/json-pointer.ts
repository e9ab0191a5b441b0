import { AppError } from '../api/errors.js';

/** Escapes one reference token for an RFC 6901 JSON pointer ("~" → "~0", "/" → "~1"). */
export const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Reverses {@link escapePointerToken}; "~1" is decoded before "~0" as RFC 6901 §4 requires. */
export const unescapePointerToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** Joins tokens into an RFC 6901 pointer; no tokens gives "" (the whole document). */
export function formatPointer(tokens: readonly (string | number)[]): string {
  let pointer = '';
  for (const token of tokens) pointer += '/' + escapePointerToken(String(token));
  return pointer;
}

/** Splits an RFC 6901 pointer into unescaped tokens; throws AppError('INVALID_INPUT') if it does not start with "/". */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new AppError('INVALID_INPUT', `JSON pointer "${pointer}" must be "" or start with "/" (RFC 6901), e.g. /spec/replicas`);
  }
  return pointer.slice(1).split('/').map(unescapePointerToken);
}
