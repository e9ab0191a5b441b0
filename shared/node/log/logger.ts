/**
 * One logger per module, structured fields, never a secret or a raw PII value.
 * Fields whose names look like secrets are redacted before anything is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|credential|authorization|api[-_]?key|private/i;

/** Replaces values of secret-looking keys, recursively, with "[redacted]". */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactFields(v, depth + 1);
  return out;
}

type Sink = (line: string) => void;
let sink: Sink = (line) => process.stderr.write(line + '\n');
let minLevel: LogLevel = (process.env.DRIFTLINE_LOG as LogLevel) in LEVELS ? (process.env.DRIFTLINE_LOG as LogLevel) : 'warn';

/** Redirects log output (tests capture it to prove nothing secret is written). */
export function setLogSink(next: Sink, level: LogLevel = minLevel): void {
  sink = next;
  minLevel = level;
}

export function createLogger(name: string): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    sink(JSON.stringify({ t: new Date().toISOString(), level, logger: name, msg, ...(fields ? (redactFields(fields) as object) : {}) }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
