/**
 * JSON.parse's message quotes the input around the error (V8: `Unexpected token 'a', ..."{"email":
 * alice@exam"... is not valid JSON`). The input may be personal data or a secret, and the message
 * ends up in the scan report, so only the kind of error and its position are kept.
 */
export function describeJsonError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(message)?.[1];
  // Everything from the first quote on may be input: keep only the words before it.
  const kind = message.split(/['"]/)[0].replace(/\s*in JSON at position \d+.*$/, '').replace(/[\s,]+$/, '').trim();
  return `${kind || 'invalid JSON'}${position ? ` at position ${position}` : ''}`;
}
