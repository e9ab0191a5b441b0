import type { FormFieldDescription } from '../../../../../shared/core/sources/form';
import { ENV_VAR_NAME } from '../../../../../shared/core/sources/env-reference';

/** What the form holds for each field, keyed by its dotted path (`binlog.serverId`). */
export type FieldValues = Record<string, string | boolean>;

/** A field the form could not turn into a value; the message key says why (never quoting the value). */
export interface FieldProblem {
  path: string;
  field: FormFieldDescription;
  problem: 'secret-env' | 'number';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form's starting values from an existing sources.yaml entry (lists joined by ", "). */
export function initialValues(fields: FormFieldDescription[], config: Record<string, unknown>, prefix = ''): FieldValues {
  const out: FieldValues = {};
  for (const field of fields) {
    const value = config[field.key];
    const path = prefix + field.key;
    if (field.input === 'group') Object.assign(out, initialValues(field.fields ?? [], isRecord(value) ? value : {}, `${path}.`));
    else if (field.input === 'boolean') out[path] = typeof value === 'boolean' ? value : field.defaultValue === true;
    else out[path] = Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
  }
  return out;
}

/**
 * Writes the form's values over `base` (the entry as it was, so keys the form does not show — a
 * binlog's maxEvents, replicas — are kept as they were). An empty input removes its key; a group
 * with nothing left is removed. Problems are returned, not thrown, so the form names every one.
 */
export function applyValues(fields: FormFieldDescription[], values: FieldValues, base: Record<string, unknown>, prefix = ''): { entry: Record<string, unknown>; problems: FieldProblem[] } {
  const entry: Record<string, unknown> = { ...base };
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const path = prefix + field.key;
    if (field.input === 'group') {
      const inner = applyValues(field.fields ?? [], values, isRecord(base[field.key]) ? (base[field.key] as Record<string, unknown>) : {}, `${path}.`);
      problems.push(...inner.problems);
      if (Object.keys(inner.entry).length) entry[field.key] = inner.entry;
      else delete entry[field.key];
      continue;
    }
    const raw = values[path];
    if (field.input === 'boolean') {
      // Left at its default and not written before: stay unwritten, so sources.yaml keeps only choices.
      if (raw === (field.defaultValue === true) && !(field.key in base)) delete entry[field.key];
      else entry[field.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') { delete entry[field.key]; continue; }
    if (field.input === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) { problems.push({ path, field, problem: 'number' }); continue; }
      entry[field.key] = n;
    } else if (field.input === 'list') {
      entry[field.key] = text.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (field.input === 'secret-env') {
      // A value that is not a variable name may be the secret itself: refuse it here, before it is sent.
      if (!ENV_VAR_NAME.test(text)) { problems.push({ path, field, problem: 'secret-env' }); delete entry[field.key]; continue; }
      entry[field.key] = text;
    } else {
      entry[field.key] = text;
    }
  }
  return { entry, problems };
}
