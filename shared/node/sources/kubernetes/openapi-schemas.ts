/**
 * Field descriptions for `driftline explain`, from the API server's Swagger document (GET /openapi/v2).
 * A kind's definition is the one whose `x-kubernetes-group-version-kind` names it; `$ref`s are
 * inlined so each schema stands alone, with a depth limit (PodSpec alone nests a dozen levels) and a
 * guard against recursive definitions (JSONSchemaProps refers to itself).
 */
import { valueDepth } from '../../../core/model/nesting.js';

const MAX_DEPTH = 8;
/** Nesting of plain (non-$ref) structure followed at most: a hostile document cannot overflow the stack. */
const MAX_STRUCTURE = 64;

type Json = Record<string, any>;

function inline(node: unknown, definitions: Json, depth: number, stack: string[], level = 0): unknown {
  if (level > MAX_STRUCTURE) return { 'x-driftline-truncated': `nested deeper than ${MAX_STRUCTURE} levels` };
  if (Array.isArray(node)) return node.map((n) => inline(n, definitions, depth, stack, level + 1));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  if (typeof obj.$ref === 'string') {
    const name = obj.$ref.replace(/^#\/definitions\//, '');
    const target = definitions[name];
    if (!target || stack.includes(name) || depth >= MAX_DEPTH) {
      return { ...(obj.description ? { description: obj.description } : {}), type: target?.type ?? 'object', 'x-driftline-ref': name };
    }
    const resolved = inline(target, definitions, depth + 1, [...stack, name], level + 1) as Json;
    return obj.description ? { ...resolved, description: obj.description } : resolved;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === 'properties' || k === 'items' || k === 'additionalProperties' || k === 'allOf' ? inline(v, definitions, depth, stack, level + 1) : (level > 0 && v !== null && typeof v === 'object' && valueDepth(v, MAX_STRUCTURE) > MAX_STRUCTURE ? undefined : v);
  if (out.properties && typeof out.properties === 'object') {
    for (const [k, v] of Object.entries(out.properties as Json)) (out.properties as Json)[k] = inline(v, definitions, depth + 1, stack, level + 1);
  }
  return out;
}

/** One schema per requested kind that the document defines. */
export function kindSchemasFromSwagger(doc: unknown, kinds: { group: string; version: string; kind: string }[]): { kind: string; schema: unknown }[] {
  const definitions = ((doc as Json)?.definitions ?? {}) as Json;
  const out: { kind: string; schema: unknown }[] = [];
  for (const want of kinds) {
    const entry = Object.entries(definitions).find(([, def]) =>
      Array.isArray(def?.['x-kubernetes-group-version-kind']) &&
      def['x-kubernetes-group-version-kind'].some((g: Json) => (g.group ?? '') === want.group && g.version === want.version && g.kind === want.kind));
    if (!entry) continue;
    out.push({ kind: want.kind, schema: inline(entry[1], definitions, 0, [entry[0]]) });
  }
  return out;
}
