import { AppError, toAppError, type AppErrorShape } from './errors.js';

/** What every contract call returns, on every transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: unknown): Result<never> => ({ ok: false, error: toAppError(error).toJSON() });

/** Unwraps a Result, throwing the AppError it carries. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error.code, result.error.message);
}
