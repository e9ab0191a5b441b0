import { AppError } from '../../../core/api/errors.js';

interface KafkaJsErrorLike {
  name?: string;
  message?: string;
  type?: string;
  broker?: string;
  originalError?: unknown;
  cause?: unknown;
}

/** The innermost kafkajs error (retries wrap the real one in `originalError`). */
export function rootKafkaError(err: unknown): KafkaJsErrorLike {
  let e = err as KafkaJsErrorLike;
  for (let i = 0; i < 5 && e && (e.originalError || e.cause) && e.name !== 'KafkaJSProtocolError'; i++) e = (e.originalError ?? e.cause) as KafkaJSErrorLikeAlias;
  return e ?? {};
}
type KafkaJSErrorLikeAlias = KafkaJsErrorLike;

/** Kafka protocol error types that mean "you may not" rather than "it broke". */
export function isAuthorizationOrDisabled(err: unknown): boolean {
  const type = rootKafkaError(err).type ?? '';
  return type === 'SECURITY_DISABLED' || type.endsWith('_AUTHORIZATION_FAILED');
}

/**
 * Turns a kafkajs failure into an AppError that names the source, the broker and what to check.
 * `what` says what we were doing ("connect", "list topics").
 */
export function toKafkaAppError(err: unknown, sourceName: string, brokers: string[], what: string): AppError {
  if (err instanceof AppError) return err;
  const root = rootKafkaError(err);
  const msg = root.message ?? String(err);
  const where = `kafka://${sourceName}`;
  const broker = root.broker ?? /(\d{1,3}(?:\.\d{1,3}){3}:\d+|[\w.-]+:\d+)/.exec(msg)?.[1] ?? brokers.join(', ');
  if (/ECONNREFUSED/.test(msg)) return new AppError('SOURCE_UNREACHABLE', `${where}: broker ${broker} refused the connection — check brokers in sources.yaml`, { cause: err });
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return new AppError('SOURCE_UNREACHABLE', `${where}: broker host ${broker} does not resolve — check brokers in sources.yaml`, { cause: err });
  if (/timeout|timed out|ETIMEDOUT/i.test(msg)) return new AppError('SOURCE_UNREACHABLE', `${where}: broker ${broker} did not answer in time (${what}) — check brokers, network and ssl in sources.yaml`, { cause: err });
  if (root.name === 'KafkaJSSASLAuthenticationError' || /SASL|authentication/i.test(msg)) {
    return new AppError('SOURCE_AUTH', `${where}: SASL authentication refused by ${broker} — check sasl.username and the password variable`, { cause: err });
  }
  if (isAuthorizationOrDisabled(err)) return new AppError('SOURCE_PERMISSION', `${where}: not authorized to ${what} (${root.type}) — grant the auditor principal Describe/Read`, { cause: err });
  return new AppError('SOURCE_UNREACHABLE', `${where}: could not ${what}: ${msg}`, { cause: err });
}
