/**
 * Errors travel as values (`Result`) because Electron keeps only an error's message across IPC.
 * Every failure has a stable code a program can switch on and a message a person can act on.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'INVALID_URN',
  'NOT_A_WORKSPACE',
  'WORKSPACE_TOO_NEW',
  'WORKSPACE_CORRUPT',
  'WORKSPACE_READ_ONLY',
  'WORKSPACE_BUSY',
  'CONFIG_INVALID',
  'SOURCE_UNREACHABLE',
  'SOURCE_AUTH',
  'SOURCE_PERMISSION',
  'SOURCE_BAD_DATA',
  'CANCELLED',
  'BUNDLE_INVALID',
  'BUNDLE_UNTRUSTED',
  'UNAUTHORIZED',
  'UNSUPPORTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** The one error type of Driftline: a code, a message naming the thing and what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown, fallbackCode: ErrorCode = 'INTERNAL'): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof Error) return new AppError(fallbackCode, err.message, { cause: err });
  return new AppError(fallbackCode, String(err));
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
