import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument, LineCounter, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../core/api/errors.js';
import { describeZodError } from '../../core/api/validate.js';
import { getSourceDefinition, sourceKinds } from './registry.js';
import { EMPTY_REGION_MAP, regionMapSchema, type RegionMap } from '../../core/egress/region-map.js';

/** A validated sources.yaml entry: its kind's config plus where it came from. */
export interface SourceEntry {
  name: string;
  kind: string;
  region: string;
  config: Record<string, unknown> & { name: string; kind: string; region: string };
  line?: number;
}

export interface SourcesFile {
  path: string;
  baseDir: string;
  sources: SourceEntry[];
  /** The `regions:` map (hosts, principals, buckets → region): where things outside the sources are. */
  regions: RegionMap;
}

/** The optional top-level `regions:` section (shared/core/egress/region-map.ts). */
export function parseRegionsYaml(text: string, path = 'sources.yaml'): RegionMap {
  const doc = parseDocument(text, { uniqueKeys: true });
  const raw = doc.get('regions', false);
  if (raw === undefined || raw === null) return EMPTY_REGION_MAP;
  const parsed = regionMapSchema.safeParse((doc.toJS({ maxAliasCount: 100 }) as { regions?: unknown }).regions);
  if (!parsed.success) throw new AppError('CONFIG_INVALID', `${path}: regions: ${describeZodError(parsed.error)} — e.g. regions: { hosts: { "*.es.example.eu": eu-west-1 }, principals: { "User:partner": us-east-1 } }`);
  return parsed.data;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/** Checks the fields every source has, so the message names them before kind-specific checks. */
const commonSchema = z.object({
  name: z.string().regex(NAME_PATTERN, 'use letters, digits, ".", "_" or "-" (it appears in URNs)'),
  kind: z.string(),
  region: z.string().min(1, 'every source needs a region (the jurisdiction used for cross-border flow findings)'),
});

/**
 * Validates one entry with the schema of its kind. Errors name the entry, the field and what to do.
 */
export function validateSourceEntry(raw: unknown, where: string): SourceEntry {
  const common = commonSchema.safeParse(raw);
  if (!common.success) throw new AppError('CONFIG_INVALID', `${where}: ${describeZodError(common.error)}`);
  if (!sourceKinds().includes(common.data.kind)) {
    throw new AppError('CONFIG_INVALID', `${where}: unknown kind "${common.data.kind}"; use one of: ${sourceKinds().join(', ')}`);
  }
  const def = getSourceDefinition(common.data.kind);
  const parsed = def.configSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('CONFIG_INVALID', `${where} (${common.data.kind} "${common.data.name}"): ${describeZodError(parsed.error as z.ZodError)}`);
  const config = parsed.data as SourceEntry['config'];
  return { name: config.name, kind: config.kind, region: config.region, config };
}

/** Parses sources.yaml text. Errors carry the file name and line so the user can go straight there. */
export function parseSourcesYaml(text: string, path = 'sources.yaml'): SourceEntry[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new AppError('CONFIG_INVALID', `${path}${pos ? `:${pos.line}:${pos.col}` : ''}: YAML error: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root) || !isSeq(root.get('sources', true))) {
    throw new AppError('CONFIG_INVALID', `${path}: expected a top-level "sources:" list (see the README for an example)`);
  }
  const seq = root.get('sources', true) as unknown as { items: YamlNode[] };
  const lineOf = (n: YamlNode) => (n.range ? lineCounter.linePos(n.range[0]).line : undefined);
  const entries: SourceEntry[] = [];
  const seen = new Map<string, number | undefined>();
  seq.items.forEach((item, i) => {
    const line = lineOf(item);
    const where = `${path}:${line ?? '?'} (sources[${i}])`;
    // maxAliasCount refuses "billion laughs" alias bombs before they expand.
    const entry = { ...validateSourceEntry(item.toJS(doc, { maxAliasCount: 100 }), where), line };
    if (seen.has(entry.name)) throw new AppError('CONFIG_INVALID', `${where}: source name "${entry.name}" is used twice (also at line ${seen.get(entry.name)}); names must be unique`);
    seen.set(entry.name, line);
    entries.push(entry);
  });
  return entries;
}

export function readSourcesFile(path: string): SourcesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; check the path`, { cause: err });
  }
  const abs = resolve(path);
  return { path: abs, baseDir: dirname(abs), sources: parseSourcesYaml(text, path), regions: parseRegionsYaml(text, path) };
}
