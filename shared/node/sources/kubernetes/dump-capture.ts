import { ChangeAuthors } from './change-authors.js';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Composer, LineCounter, Parser, type Document } from 'yaml';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { AppError } from '../../../core/api/errors.js';
import { ObjectRecordBuilder } from './object-records.js';
import { streamJsonObjects } from './json-stream.js';
import { yamlFilePieces, yamlNestingDepth, yamlTextPieces, type YamlPiece } from './yaml-stream.js';
import { MAX_NESTING, valueDepth } from '../../../core/model/nesting.js';

/** Aliases allowed per YAML document: enough for real manifests, far too few for a "billion laughs" bomb. */
export const YAML_MAX_ALIAS_COUNT = 100;
const PROGRESS_EVERY = 1000;

/** A parsed document: one object (or List) and where it came from, or the error that stopped it. */
export interface ManifestDocument {
  value?: unknown;
  error?: AppError;
  /** "file:line" of the document's start, for messages. */
  where: string;
  /** For an item cut out of a List: the List's kind and apiVersion, which an item without its own takes. */
  listKind?: string;
  listApiVersion?: string;
}

/**
 * Reads multi-document YAML one document at a time (cut by yaml-stream.ts, then yaml's Parser +
 * Composer per piece), turning each into JS with an alias limit (yaml's maxAliasCount refuses alias
 * bombs before they expand) and a nesting limit (checked on the text before the recursive parser
 * runs). A document with a syntax error is reported with its file and line; the documents after it
 * are still read.
 */
export function* yamlDocuments(text: string, file: string): Generator<ManifestDocument> {
  const counter = { n: 0 };
  for (const piece of yamlTextPieces(text)) yield* pieceDocuments(piece, file, counter);
}

/**
 * The documents of one piece of a YAML file (a document, or one item of a List). `counter` numbers
 * the documents of the file across pieces, for messages ("document 3").
 */
export function* pieceDocuments(piece: YamlPiece, file: string, counter: { n: number }): Generator<ManifestDocument> {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line + piece.line - 1}:${col}`;
  };
  const list = piece.listItem ? { listKind: piece.listKind, listApiVersion: piece.listApiVersion } : {};
  const what = () => (piece.listItem ? `the list item on line ${piece.line}` : `document ${++counter.n}`);
  const depth = yamlNestingDepth(piece.text);
  if (depth > MAX_NESTING) {
    yield { where: `${file}:${piece.line}`, error: new AppError('SOURCE_BAD_DATA', `${file}:${piece.line}: ${what()} refused: nested deeper than ${MAX_NESTING} levels (no Kubernetes object is) — fix or remove it`) };
    return;
  }
  try {
    const parser = new Parser(lines.addNewLine);
    const composer = new Composer({ prettyErrors: false });
    for (const doc of composer.compose(parser.parse(piece.text), true, piece.text.length) as Iterable<Document.Parsed>) {
      const name = what();
      const where = at(doc.range?.[0] ?? 0);
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        yield { where, error: new AppError('SOURCE_BAD_DATA', `${at(e.pos[0])}: invalid YAML in ${name}: ${e.message.split('\n')[0]} — fix the file or remove the document`) };
        continue;
      }
      try {
        yield { where, value: doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }), ...list };
      } catch (err) {
        const why = /alias/i.test((err as Error).message) ? `${(err as Error).message} (more than ${YAML_MAX_ALIAS_COUNT} alias expansions)` : `it could not be turned into data (${(err as Error).name})`;
        yield { where, error: new AppError('SOURCE_BAD_DATA', `${where}: ${name} refused: ${why}`, { cause: err }) };
      }
    }
  } catch (err) {
    // Whatever the parser itself could not survive (a stack overflow) stays this piece's failure, never the file's.
    yield { where: `${file}:${piece.line}`, error: new AppError('SOURCE_BAD_DATA', `${file}:${piece.line}: ${what()} could not be parsed (${(err as Error).name}) — fix or remove it`, { cause: err }) };
  }
}

/** Expands `kind: List` (and *List kinds with items) into their objects; items inherit the list's apiVersion/kind when they lack them. */
export function* expandLists(value: any, listKind?: string, listApiVersion?: string): Generator<any> {
  if (value && typeof value === 'object' && Array.isArray(value.items) && typeof value.kind === 'string' && value.kind.endsWith('List')) {
    for (const item of value.items) yield* expandLists(item, value.kind, value.apiVersion);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && value.kind === undefined && listKind && listKind !== 'List' && listKind.endsWith('List')) {
    yield { apiVersion: listApiVersion, kind: listKind.slice(0, -'List'.length), ...value };
    return;
  }
  yield value;
}

/** A NUL byte in the first 8 KB: a binary file. */
async function looksBinary(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await fh.close();
  }
}

async function firstByte(file: string): Promise<number | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    for (let i = 0; i < bytesRead; i++) if (!/\s/.test(String.fromCharCode(buf[i]))) return buf[i];
    return undefined;
  } finally {
    await fh.close();
  }
}

/**
 * Captures an offline dump: `kubectl get -o json` (streamed, see json-stream.ts), `kubectl get -o yaml`
 * or multi-document YAML manifests. Each bad document is a per-item failure; the rest goes on.
 */
export async function* captureDump(file: string, config: { name: string; region: string }, ctx: CaptureContext, authors?: ChangeAuthors): AsyncGenerator<CaptureRecord> {
  const label = `k8s://${config.name}`;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `${label}: cannot read dump file ${file}: ${(err as Error).message} — check \`file\` in sources.yaml`, { cause: err });
  }
  const first = await firstByte(file);
  const isJson = first === 0x7b || first === 0x5b;
  if (!isJson && (await looksBinary(file))) throw new AppError('SOURCE_BAD_DATA', `${label}: ${file} is a binary file, not a JSON or YAML dump`);
  // Events in the dump name who acted on the objects beside them (`kubectl get all,events -o json`);
  // they may come after those objects, so they are gathered in a first pass — only when the file has any.
  if (await mentionsEvents(file, ctx.signal)) {
    authors ??= new ChangeAuthors();
    for await (const doc of dumpDocuments(file, isJson, ctx)) {
      if (!doc.value) continue;
      for (const obj of expandLists(doc.value, doc.listKind, doc.listApiVersion)) if (obj?.kind === 'Event') authors.add(obj);
    }
  }
  const builder = new ObjectRecordBuilder({ source: config.name, region: config.region, fingerprint: ctx.fingerprint, authors });
  let done = 0;
  const handle = function* (value: unknown, where: string, listKind?: string, listApiVersion?: string): Generator<CaptureRecord> {
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing ---)
    // Before anything recursive (expandLists, canonicalization, JSON.stringify) walks it; a List adds two levels.
    if (valueDepth(value, MAX_NESTING + 2) > MAX_NESTING + 2) {
      const name = (value as { metadata?: { name?: unknown } }).metadata?.name;
      ctx.fail(`${where}${typeof name === 'string' ? ` (${name})` : ''}`, new AppError('SOURCE_BAD_DATA', `${where}: ${typeof name === 'string' ? `${name}: ` : ''}nested deeper than ${MAX_NESTING} levels (no Kubernetes object is) — refused; fix or remove it`));
      return;
    }
    for (const obj of expandLists(value, listKind, listApiVersion)) {
      try {
        yield* builder.records(obj);
      } catch (err) {
        const name = (obj as any)?.metadata?.name;
        ctx.fail(`${where}${name ? ` (${name})` : ''}`, err instanceof AppError ? new AppError(err.code, `${where}: ${err.message}`, { cause: err }) : err);
      }
      if (++done % PROGRESS_EVERY === 0) ctx.progress({ done, item: `${label}: ${file}` });
    }
  };

  for await (const doc of dumpDocuments(file, isJson, ctx)) {
    if (doc.error) ctx.fail(doc.where, doc.error);
    else yield* handle(doc.value, doc.where, doc.listKind, doc.listApiVersion);
  }
  ctx.progress({ done, total: done, item: `${label}: ${file}` });
  yield* builder.finish();
}

/**
 * The documents of a dump, streamed: `kubectl get -o json` through json-stream.ts, YAML piece by piece
 * (yaml-stream.ts), so memory is bounded by the largest object, not the file.
 */
async function* dumpDocuments(file: string, isJson: boolean, ctx: CaptureContext): AsyncGenerator<ManifestDocument> {
  if (isJson) {
    const stream = createReadStream(file, { highWaterMark: 1 << 20, signal: ctx.signal });
    for await (const item of streamJsonObjects(stream, file)) {
      yield item.error ? { error: item.error, where: `${file}:${item.line}` } : { value: item.value, where: `${file}:${item.line}`, listKind: item.listKind, listApiVersion: item.listApiVersion };
    }
    return;
  }
  const counter = { n: 0 };
  for await (const piece of yamlFilePieces(file, ctx.signal)) {
    for (const doc of pieceDocuments(piece, file, counter)) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', `k8s://${ctx.sourceName}: capture cancelled`);
      yield doc;
    }
  }
}

/** `kind: Event` / `"kind": "Event"` anywhere in the file (a byte scan, far cheaper than parsing it twice). */
async function mentionsEvents(file: string, signal: AbortSignal): Promise<boolean> {
  const pattern = /["']?kind["']?\s*:\s*["']?Event\b/;
  let tail = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20, signal })) {
    const text = tail + chunk;
    if (pattern.test(text)) return true;
    tail = text.slice(-64);
  }
  return false;
}
