/**
 * Explains a field of a captured kind from its stored JSON schema (OpenAPI v2 definition or a
 * CRD's openAPIV3Schema), the way `kubectl explain` does, but offline.
 */
export interface FieldExplanation {
  kind: string;
  path: string;
  type?: string;
  description?: string;
  fields: { name: string; type?: string; description?: string }[];
}

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  $ref?: string;
  'x-kubernetes-int-or-string'?: boolean;
};

function typeOf(s: Schema): string | undefined {
  if (s['x-kubernetes-int-or-string']) return 'int-or-string';
  const t = Array.isArray(s.type) ? s.type.join('|') : s.type;
  if (t === 'array' && s.items) return `[]${typeOf(s.items) ?? 'object'}`;
  if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map[string]${typeOf(s.additionalProperties) ?? 'object'}`;
  return t ?? (s.properties ? 'object' : undefined);
}

function merged(s: Schema): Schema {
  if (!s.allOf) return s;
  return s.allOf.reduce<Schema>((acc, part) => ({ ...acc, ...merged(part), properties: { ...acc.properties, ...merged(part).properties } }), { ...s, allOf: undefined });
}

function descend(s: Schema): Schema {
  const m = merged(s);
  if (m.items) return merged(m.items);
  if (m.additionalProperties && typeof m.additionalProperties === 'object' && !m.properties) return merged(m.additionalProperties);
  return m;
}

/** Returns the explanation, or throws a message naming the first unknown segment. */
export function explainField(kind: string, schema: unknown, path = ''): FieldExplanation {
  let node = merged(schema as Schema);
  const segments = path.split('.').map((s) => s.trim()).filter(Boolean);
  const walked: string[] = [];
  for (const seg of segments) {
    const container = descend(node);
    const next = container.properties?.[seg];
    if (!next) {
      const known = Object.keys(container.properties ?? {}).sort();
      throw new Error(`${kind}: field "${[...walked, seg].join('.')}" does not exist${known.length ? `; fields here: ${known.join(', ')}` : ''}`);
    }
    walked.push(seg);
    node = merged(next);
  }
  const container = descend(node);
  const fields = Object.entries(container.properties ?? {})
    .map(([name, s]) => ({ name, type: typeOf(merged(s)), description: merged(s).description }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { kind, path: walked.join('.'), type: typeOf(node), description: node.description, fields };
}
