import { z } from 'zod';
import { AppError } from '../api/errors.js';
import type { UrnSchemeSpec } from '../model/urn.js';
import { translate } from '../i18n/catalogue.js';
import { LANGS, type Lang } from '../i18n/format.js';
import { sourceFormFields, type FieldInput, type FieldText } from './field.js';

/** A text in every language of the studio. */
export const localTextSchema = z.object({ en: z.string(), 'zh-CN': z.string() });
export type LocalText = z.infer<typeof localTextSchema>;

const fieldInputSchema = z.enum(['text', 'number', 'boolean', 'enum', 'list', 'path', 'secret-env', 'group']);

/** One field of a generated source form (JSON: it crosses IPC and HTTP). */
export interface FormFieldDescription {
  key: string;
  input: FieldInput;
  label: LocalText;
  help?: LocalText;
  example?: string;
  /** True when sources.yaml must set it (not optional, no default). */
  required: boolean;
  /** The schema's default, shown as the placeholder when there is no example. */
  defaultValue?: string | number | boolean;
  /** For `enum`: the values to choose from. */
  options?: string[];
  /** For `group`: the nested object's fields. */
  fields?: FormFieldDescription[];
}

export const formFieldDescriptionSchema: z.ZodType<FormFieldDescription> = z.lazy(() =>
  z.object({
    key: z.string(),
    input: fieldInputSchema,
    label: localTextSchema,
    help: localTextSchema.optional(),
    example: z.string().optional(),
    required: z.boolean(),
    defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(z.string()).optional(),
    fields: z.array(formFieldDescriptionSchema).optional(),
  }),
);

/** A source kind as the studio's form sees it: its fields, and the URN schemes its nodes use. */
export const sourceKindFormSchema = z.object({
  kind: z.string(),
  fields: z.array(formFieldDescriptionSchema),
  urnSchemes: z.array(z.object({ scheme: z.string(), segments: z.tuple([z.number().int(), z.number().int()]), groupBy: z.enum(['source', 'first-segment']), label: localTextSchema.optional() })),
});
export type SourceKindForm = z.infer<typeof sourceKindFormSchema>;

/** Fields every source has; the form shows them itself, above the kind's own fields. */
const COMMON_KEYS = new Set(['name', 'kind', 'region']);

/** Wrappers zod puts around a field (optional, default…), peeled to reach the type the form asks for. */
interface Peeled {
  base: z.ZodType;
  required: boolean;
  defaultValue?: unknown;
}

function peel(schema: z.ZodType): Peeled {
  let current = schema;
  let required = true;
  let defaultValue: unknown;
  // Bounded: zod wrappers nest a few levels at most; a cycle would be a bug in a schema.
  for (let depth = 0; depth < 16; depth++) {
    const def = current.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown; in?: z.ZodType };
    if (def.type === 'optional' || def.type === 'nullable') { required = false; current = def.innerType!; continue; }
    if (def.type === 'default' || def.type === 'prefault') { required = false; defaultValue ??= def.defaultValue; current = def.innerType!; continue; }
    if (def.type === 'pipe') { current = def.in!; continue; }
    return { base: current, required, defaultValue };
  }
  throw new AppError('INTERNAL', 'source form: a field schema is wrapped more than 16 levels deep');
}

/** The zod object a config schema is, under its refinements. */
function objectShape(schema: z.ZodType, where: string): Record<string, z.ZodType> {
  const { base } = peel(schema);
  if (!(base instanceof z.ZodObject)) throw new AppError('INTERNAL', `source form: ${where} is not an object schema`);
  return base.shape as Record<string, z.ZodType>;
}

/** Which zod types each input kind may describe: a wrong pairing is a bug in the schema file, caught here. */
const typeOf = (schema: z.ZodType): string => schema.def.type;
const FITS: Record<FieldInput, (base: z.ZodType) => boolean> = {
  // z.url() and z.string().url() are both of type "string" (not always a ZodString instance).
  text: (b) => typeOf(b) === 'string',
  path: (b) => typeOf(b) === 'string',
  'secret-env': (b) => typeOf(b) === 'string',
  number: (b) => typeOf(b) === 'number',
  boolean: (b) => typeOf(b) === 'boolean',
  enum: (b) => b instanceof z.ZodEnum,
  list: (b) => b instanceof z.ZodArray && typeOf(peel((b as z.ZodArray<z.ZodType>).element).base) === 'string',
  group: (b) => b instanceof z.ZodObject,
};

function text(value: FieldText): LocalText {
  if (typeof value !== 'string') return value;
  return Object.fromEntries(LANGS.map((lang: Lang) => [lang, translate(lang, value)])) as LocalText;
}

function describeFields(shape: Record<string, z.ZodType>, where: string, depth: number): FormFieldDescription[] {
  const out: FormFieldDescription[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    if (depth === 0 && COMMON_KEYS.has(key)) continue;
    const meta = sourceFormFields.get(schema);
    if (!meta) continue;
    const { base, required, defaultValue } = peel(schema);
    if (!FITS[meta.input](base)) throw new AppError('INTERNAL', `source form: ${where}.${key} is marked "${meta.input}" but its schema is a ${typeOf(base)}`);
    const field: FormFieldDescription = { key, input: meta.input, label: text(meta.label), required };
    if (meta.help) field.help = text(meta.help);
    if (meta.example !== undefined) field.example = meta.example;
    if (typeof defaultValue === 'string' || typeof defaultValue === 'number' || typeof defaultValue === 'boolean') field.defaultValue = defaultValue;
    if (meta.input === 'enum') field.options = (base as z.ZodEnum).options.map(String);
    if (meta.input === 'group') {
      if (depth >= 2) throw new AppError('INTERNAL', `source form: ${where}.${key} nests groups deeper than the form shows`);
      field.fields = describeFields((base as z.ZodObject).shape as Record<string, z.ZodType>, `${where}.${key}`, depth + 1);
    }
    out.push(field);
  }
  return out;
}

/**
 * The studio form of a source kind, read from its config schema and the metadata its fields carry
 * (field.ts): nothing about a kind's fields is written anywhere else. Throws AppError('INTERNAL')
 * naming the field when metadata does not fit its schema, so a bad source file fails its first test.
 */
export function describeSourceForm(def: { kind: string; configSchema: z.ZodType; urnSchemes?: readonly UrnSchemeSpec[] }): SourceKindForm {
  const fields = describeFields(objectShape(def.configSchema, def.kind), def.kind, 0);
  return { kind: def.kind, fields, urnSchemes: (def.urnSchemes ?? []).map((s) => ({ scheme: s.scheme, segments: [s.segments[0], s.segments[1]], groupBy: s.groupBy, ...(s.label && { label: s.label }) })) };
}
