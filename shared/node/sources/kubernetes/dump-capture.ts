import type { ChangeAuthors } from './change-authors.js';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Composer, LineCounter, Parser, type Document } from 'yaml';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { AppError } from '../../../core/api/errors.js';
import { ObjectRecordBuilder } from './object-records.js';
import { streamJsonObjects } from './json-stream.js';

/** Aliases allowed per YAML document: enough for real manifests, far too few for a "billion laughs" bomb. */
export const YAML_MAX_ALIAS_COUNT = 100;
const PROGRESS_EVERY = 1000;

/** A parsed document: one object (or List) and where it came from, or the error that stopped it. */
export interface ManifestDocument {
  value?: unknown;
  error?: AppError;
  /** "file:line" of the document's start, for messages. */
  where: string;
}

/**
 * Reads multi-document YAML one document at a time (yaml's Parser + Composer), turning each into JS
 * with an alias limit (yaml's maxAliasCount refuses alias bombs before they expand). A document with
 * a syntax error is reported with its file and line; the documents after it are still read.
 */
export function* yamlDocuments(text: string, file: string): Generator<ManifestDocument> {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  let n = 0;
  for (const doc of composer.compose(parser.parse(text), true, text.length) as Iterable<Document.Parsed>) {
    n++;
    const where = at(doc.range?.[0] ?? 0);
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      yield { where, error: new AppError('SOURCE_BAD_DATA', `${at(e.pos[0])}: invalid YAML in document ${n}: ${e.message.split('\n')[0]} — fix the file or remove the document`) };
      continue;
    }
    try {
      yield { where, value: doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) };
    } catch (err) {
      yield { where, error: new AppError('SOURCE_BAD_DATA', `${where}: document ${n} refused: ${(err as Error).message} (more than ${YAML_MAX_ALIAS_COUNT} alias expansions)`, { cause: err }) };
    }
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
  const builder = new ObjectRecordBuilder({ source: config.name, region: config.region, fingerprint: ctx.fingerprint, authors });
  let done = 0;
  const handle = function* (value: unknown, where: string, listKind?: string, listApiVersion?: string): Generator<CaptureRecord> {
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing ---)
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

  const first = await firstByte(file);
  if (first === 0x7b || first === 0x5b) {
    const stream = createReadStream(file, { highWaterMark: 1 << 20, signal: ctx.signal });
    for await (const item of streamJsonObjects(stream, file)) {
      if (item.error) ctx.fail(`${file}:${item.line}`, item.error);
      else yield* handle(item.value, `${file}:${item.line}`, item.listKind, item.listApiVersion);
    }
  } else {
    const text = await readFile(file, 'utf8');
    if (text.includes('\u0000')) throw new AppError('SOURCE_BAD_DATA', `${label}: ${file} is a binary file, not a JSON or YAML dump`);
    for (const doc of yamlDocuments(text, file)) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', `${label}: capture cancelled`);
      if (doc.error) ctx.fail(doc.where, doc.error);
      else yield* handle(doc.value, doc.where);
    }
  }
  ctx.progress({ done, total: done, item: `${label}: ${file}` });
  yield* builder.finish();
}
