import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MAX_NESTING } from '../../../core/model/nesting.js';

/**
 * YAML dumps are read a piece at a time, so memory is bounded by the largest object rather than
 * the file: documents are cut at their `---` / `...` markers (a marker at column 0 always ends a
 * document, YAML 1.2 §9.1), and the one huge document `kubectl get -o yaml` prints — a List — is
 * cut into its items, each parsed alone.
 *
 * Whether a document is a List is known only from its top-level `kind:`, which kubectl prints
 * *after* the items (keys are sorted). So the text is read twice: a cheap first pass notes each
 * document's top-level kind and apiVersion (column-0 lines, no parsing), the second cuts the items
 * of the documents that are Lists. A document that merely has a top-level `items:` key (a custom
 * resource may) is never cut: it is parsed whole, as it is.
 */
export interface YamlPiece {
  text: string;
  /** Line (1-based) in the file where the piece's text starts. */
  line: number;
  /** Set for an item cut out of a List: its text is the item (indented as it was, its dash blanked). */
  listItem?: boolean;
  /** kind and apiVersion of the List an item came from: an item that lacks its own takes them. */
  listKind?: string;
  listApiVersion?: string;
}

/** A document's top-level `kind:` and `apiVersion:`, as written on its column-0 lines. */
export interface DocumentHead {
  kind?: string;
  apiVersion?: string;
}

/** Reads a file as lines (LF or CRLF), decoding UTF-8 across chunk boundaries; bounded by the longest line. */
export async function* fileLines(path: string, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    const text = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      yield text.slice(start, nl > start && text[nl - 1] === '\r' ? nl - 1 : nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry !== '') yield carry;
}

const DOC_START = /^---(?:[ \t]|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|$)/;
const ITEMS_KEY = /^items:[ \t]*(?:#.*)?$/;
const HEAD_KEY = /^(kind|apiVersion):[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#"'][^#]*?))[ \t]*(?:#.*)?$/;

/** A line that ends the document before it (both passes count documents by these alone, so they agree). */
const isDocumentMarker = (line: string): boolean => DOC_START.test(line) || DOC_END.test(line);

/** Pass one: the top-level kind and apiVersion of every document, by its ordinal (one per marker). */
export class DocumentHeadScanner {
  readonly heads: DocumentHead[] = [{}];

  push(line: string): void {
    if (isDocumentMarker(line)) {
      this.heads.push({});
      return;
    }
    const m = HEAD_KEY.exec(line);
    if (m) this.heads[this.heads.length - 1][m[1] as 'kind' | 'apiVersion'] ??= m[2] ?? m[3] ?? m[4];
  }
}

const isList = (head: DocumentHead | undefined): boolean => !!head?.kind && head.kind.endsWith('List');

/**
 * Pass two: cuts lines into pieces — whole documents, or, in a List, each item of its top-level
 * `items:` sequence plus the rest of that document (its kind/apiVersion/metadata, with `items: []`).
 * Fed line by line, so the same cutter serves a file being streamed and a text already in memory.
 */
export class YamlPieceCutter {
  private doc: string[] = [];
  private docLine = 1;
  private ordinal = 0;
  private lineNo = 0;
  private inItems = false;
  private itemIndent = -1;
  private item: string[] = [];
  private itemLine = 0;

  constructor(private readonly heads: readonly DocumentHead[]) {}

  /** Takes one line; returns the pieces it completed. */
  push(line: string): YamlPiece[] {
    const out: YamlPiece[] = [];
    this.lineNo++;
    if (isDocumentMarker(line)) {
      this.flushDoc(out);
      this.ordinal++;
      // `--- {a: 1}` or `--- |`: the rest of the marker line belongs to the next document.
      const rest = DOC_START.test(line) ? line.slice(3) : '';
      this.docLine = this.lineNo + (rest.trim() === '' ? 1 : 0);
      if (rest.trim() !== '') this.doc.push(rest);
      return out;
    }
    if (this.inItems) {
      const indent = line.length - line.trimStart().length;
      const blank = line.trim() === '';
      const dash = !blank && /^-(?:[ \t]|$)/.test(line.slice(indent));
      if (this.itemIndent < 0 && dash) this.itemIndent = indent;
      if (!blank && line.trimStart().startsWith('#') && indent <= Math.max(this.itemIndent, 0)) return out; // a comment between items
      if (dash && indent === this.itemIndent) {
        this.flushItem(out);
        this.itemLine = this.lineNo;
        // The dash becomes a space: the item stays exactly where it was (lines and columns), an indented root node.
        this.item.push(`${line.slice(0, indent)} ${line.slice(indent + 1)}`);
        return out;
      }
      if (this.itemIndent >= 0 && (blank || indent > this.itemIndent)) {
        if (this.item.length > 0) this.item.push(line);
        return out;
      }
      if (blank) return out;
      // A line at the items' own level that is not an item: the sequence is over, the document goes on.
      this.flushItem(out);
      this.inItems = false;
    }
    if (ITEMS_KEY.test(line) && isList(this.heads[this.ordinal])) {
      this.inItems = true;
      this.itemIndent = -1;
      // The items are cut out; the rest of the document keeps an empty list in their place.
      this.doc.push('items: []');
      return out;
    }
    this.doc.push(line);
    return out;
  }

  /** The pieces left at the end of the input. */
  finish(): YamlPiece[] {
    const out: YamlPiece[] = [];
    this.flushDoc(out);
    return out;
  }

  private flushItem(out: YamlPiece[]): void {
    if (this.item.length > 0) {
      const head = this.heads[this.ordinal];
      out.push({ text: this.item.join('\n') + '\n', line: this.itemLine, listItem: true, listKind: head?.kind, listApiVersion: head?.apiVersion });
    }
    this.item = [];
  }

  private flushDoc(out: YamlPiece[]): void {
    this.flushItem(out);
    this.inItems = false;
    this.itemIndent = -1;
    if (this.doc.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !l.startsWith('%'))) out.push({ text: this.doc.join('\n') + '\n', line: this.docLine });
    this.doc = [];
  }
}

/** The pieces of a YAML file, streamed (the file is read twice, never held whole). */
export async function* yamlFilePieces(path: string, signal?: AbortSignal): AsyncGenerator<YamlPiece> {
  const scanner = new DocumentHeadScanner();
  for await (const line of fileLines(path, signal)) scanner.push(line);
  const cutter = new YamlPieceCutter(scanner.heads);
  for await (const line of fileLines(path, signal)) yield* cutter.push(line);
  yield* cutter.finish();
}

/** The pieces of a YAML text in memory. */
export function* yamlTextPieces(text: string): Generator<YamlPiece> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const scanner = new DocumentHeadScanner();
  for (const line of lines) scanner.push(line);
  const cutter = new YamlPieceCutter(scanner.heads);
  for (const line of lines) yield* cutter.push(line);
  yield* cutter.finish();
}

/**
 * An upper bound on how deep a YAML text nests: block indentation levels, `- ` and `key:` steps on
 * one line, and flow brackets outside quotes. Block scalars (`|`, `>`) are skipped: their content is
 * text. Stops counting past `limit`. Checked before the (recursive) YAML parser sees the text.
 */
export function yamlNestingDepth(text: string, limit = MAX_NESTING): number {
  const indents: number[] = [];
  let max = 0;
  let scalarIndent = -1; // inside a block scalar whose parent line had this indentation
  let flow = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (scalarIndent >= 0) {
      if (trimmed === '' || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    // "- - key: value" and "? ? key" nest once per indicator and once for the mapping.
    const steps = /^(?:[-?][ \t]+)*/.exec(trimmed)?.[0].match(/[-?]/g)?.length ?? 0;
    let quote = '';
    let previous = ''; // the last character that was not a space
    let deepestFlow = flow;
    for (let i = 0; i < trimmed.length; i++) {
      const c = trimmed[i];
      if (quote) {
        if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || trimmed[i - 1] === ' ')) break;
      // Outside a flow collection a bracket opens one only where a value starts ("key: [", "- {"); in a
      // plain scalar ("regex: ^a[0-9"), it is text.
      else if ((c === '[' || c === '{') && (flow > 0 || previous === '' || previous === ':' || previous === '-' || previous === '?' || previous === ',')) deepestFlow = Math.max(deepestFlow, ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (c !== ' ' && c !== '\t') previous = c;
    }
    const depth = indents.length + steps + deepestFlow;
    if (depth > max) max = depth;
    if (max > limit) return max;
    if (flow === 0 && /[:-][ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(trimmed)) scalarIndent = indent;
  }
  return max;
}
