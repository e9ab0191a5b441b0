import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/core/api/errors.js';
import { formatUrn } from '../../shared/core/model/urn.js';
import { FieldProfiler } from '../../shared/core/pii/index.js';
import { envVarName } from '../../shared/core/sources/env-reference.js';
import { formField } from '../../shared/core/sources/field.js';
import { defineSource, type CaptureRecord } from '../../shared/node/sources/source.js';

/**
 * A throwaway source kind for the one-file extension test: "ledger", an accounting export read
 * from a JSON file (`{ books: { <book>: { <table>: { exportsTo?: <urn>, rows: [...] } } } }`). Its
 * config schema (with the studio form's metadata), its URN scheme and its capture are all in this
 * one file; the studio's form, the URN parser and the grouping learn them from the definition.
 */
export const ledgerConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('ledger'),
    region: z.string().min(1),
    file: formField(z.string().min(1), { input: 'path', label: { en: 'Ledger export file', 'zh-CN': '账簿导出文件' }, help: { en: 'JSON export of the books, relative to sources.yaml', 'zh-CN': '账簿的 JSON 导出文件，相对于 sources.yaml' }, example: './ledger.json' }),
    tokenEnv: formField(envVarName().optional(), { input: 'secret-env', label: { en: 'API token environment variable', 'zh-CN': 'API 令牌环境变量' }, example: 'LEDGER_TOKEN' }),
    maxRows: formField(z.number().int().positive().max(10_000).default(500), { input: 'number', label: { en: 'Rows sampled per table', 'zh-CN': '每张表抽样行数' } }),
    currency: formField(z.enum(['CNY', 'EUR', 'USD']).optional(), { input: 'enum', label: { en: 'Book currency', 'zh-CN': '记账币种' } }),
  })
  .strict();

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;

interface LedgerTable {
  exportsTo?: string;
  rows: Record<string, unknown>[];
}

const ledgerUrn = (source: string, book: string, table?: string, field?: string) => formatUrn({ scheme: 'ledger', source, segments: table ? [book, table] : [book], field });

export const ledgerSource = defineSource<LedgerConfig>({
  kind: 'ledger',
  configSchema: ledgerConfigSchema,
  urnSchemes: [{ scheme: 'ledger', segments: [1, 2], groupBy: 'first-segment', label: { en: 'Ledger', 'zh-CN': '账簿' } }],
  testConnection: async (config, ctx) => {
    const books = await readBooks(config, ctx.baseDir);
    return { ok: true, message: `${Object.keys(books).length} book(s) readable` };
  },
  async *capture(config, ctx): AsyncGenerator<CaptureRecord> {
    const books = await readBooks(config, ctx.baseDir);
    for (const [book, tables] of Object.entries(books).slice(0, 1000)) {
      const bookUrn = ledgerUrn(ctx.sourceName, book);
      yield { type: 'node', node: { urn: bookUrn, kind: 'database', name: book, source: ctx.sourceName, region: ctx.region } };
      for (const [table, content] of Object.entries(tables).slice(0, 1000)) {
        const tableUrn = ledgerUrn(ctx.sourceName, book, table);
        yield { type: 'node', node: { urn: tableUrn, kind: 'table', name: table, source: ctx.sourceName, region: ctx.region, parent: bookUrn, props: content.exportsTo ? { exportsTo: content.exportsTo } : {} } };
        yield { type: 'edge', edge: { from: bookUrn, to: tableUrn, kind: 'contains', confidence: 1, evidence: { rule: 'ledger.table', detail: `table ${table} of book ${book}` } } };
        const profiler = new FieldProfiler({ region: ctx.region, container: table });
        for (const row of content.rows.slice(0, config.maxRows)) {
          for (const [column, value] of Object.entries(row)) profiler.add(column, value === null || value === undefined ? null : String(value));
        }
        for (const { path, verdicts, counts, fingerprints } of profiler.profile(ctx.fingerprint, { region: ctx.region })) {
          const urn = ledgerUrn(ctx.sourceName, book, table, path);
          yield { type: 'node', node: { urn, kind: 'column', name: path, source: ctx.sourceName, region: ctx.region, parent: tableUrn, props: { sampled: counts.sampled, ...(fingerprints.length && { fingerprints }) }, pii: verdicts.map((v) => ({ entity: v.entity, confidence: v.confidence, matches: v.matches, sampled: v.sampled, examples: v.examples, basis: v.basis })) } };
          yield { type: 'edge', edge: { from: tableUrn, to: urn, kind: 'contains', confidence: 1, evidence: { rule: 'ledger.column', detail: `column ${path} of ${table}` } } };
        }
        ctx.progress({ done: 1, item: `${book}/${table}` });
      }
    }
  },
});

async function readBooks(config: LedgerConfig, baseDir: string): Promise<Record<string, Record<string, LedgerTable>>> {
  const path = isAbsolute(config.file) ? config.file : resolve(baseDir, config.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('SOURCE_UNREACHABLE', `ledger://${config.name}: cannot read ${path} — check the file setting`, { cause: err });
  }
  const parsed = JSON.parse(text) as { books?: Record<string, Record<string, LedgerTable>> };
  if (!parsed.books || typeof parsed.books !== 'object') throw new AppError('CONFIG_INVALID', `ledger://${config.name}: ${path} has no "books" object`);
  return parsed.books;
}
