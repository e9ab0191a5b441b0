import { z } from 'zod';
import type { MessageKey } from '../i18n/catalogue.js';

/**
 * A text the studio shows in English and Chinese: a key of the text catalogue (built-in sources),
 * or both texts inline (a source kind added from one file, whose text is not in the catalogue).
 */
export type FieldText = MessageKey | { en: string; 'zh-CN': string };

/**
 * How the studio's source form asks for a field:
 * - `text`, `number`, `boolean`, `enum` (a choice of the schema's values), `list` (comma separated);
 * - `path`: a file or folder, relative to sources.yaml;
 * - `secret-env`: the NAME of an environment variable holding a secret, never the secret itself;
 * - `group`: a nested object (binlog, sasl…) whose own fields carry metadata too.
 */
export type FieldInput = 'text' | 'number' | 'boolean' | 'enum' | 'list' | 'path' | 'secret-env' | 'group';

/** What the generated form needs of one field of a source's config schema. */
export interface SourceFieldMeta {
  input: FieldInput;
  label: FieldText;
  help?: FieldText;
  /** An example value, shown as the input's placeholder (never a real secret). */
  example?: string;
}

/**
 * The fields of a config schema the studio form shows, keyed by the zod schema object itself (a zod
 * registry), so metadata sits in the same file and line as the field it describes. A field of the
 * schema without metadata is still valid in sources.yaml; the form leaves it as it is.
 */
export const sourceFormFields = z.registry<SourceFieldMeta>();

/**
 * Attaches form metadata to one field schema, as written in the config object:
 *   port: formField(z.number().int().default(3306), { input: 'number', label: 'sourceForm.mysql.port' })
 */
export function formField<T extends z.ZodType>(schema: T, meta: SourceFieldMeta): T {
  sourceFormFields.add(schema, meta);
  return schema;
}
