import { AppError } from '../../../core/api/errors.js';
import { describeJsonError } from '../parse-errors.js';

/** One Kubernetes object found in a JSON stream, with where it started. */
export interface StreamedJsonItem {
  /** The parsed object, or undefined when its text was not valid JSON (see `error`). */
  value?: unknown;
  error?: AppError;
  line: number;
  /** kind/apiVersion of the enclosing List, when they came before its items (as the API server writes them). */
  listKind?: string;
  listApiVersion?: string;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a, NL = 0x0a;
const isSpace = (c: number) => c === 0x20 || c === NL || c === 0x0d || c === 0x09;

/**
 * Splits JSON dumps into objects without holding the whole document: a 50 MB `kubectl get -o json`
 * List is one JSON value, and JSON.parse of it would need several times its size in memory. This
 * scanner tracks only nesting and strings; each element of a top-level List's `items` (or of a
 * top-level array) is cut out and parsed alone, so memory is bounded by the largest object.
 * Top-level values that are not Lists are yielded whole; concatenated top-level values are allowed.
 * A malformed item is reported (value undefined, error set) and the stream goes on; broken structure
 * (unbalanced brackets, garbage between values) throws AppError('SOURCE_BAD_DATA') with the line.
 */
export async function* streamJsonObjects(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<StreamedJsonItem> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  // The top-level value being read
  let topIsObject = false;
  let restParts: Buffer[] = []; // the top-level object minus its items' elements
  let restStart = -1; // where rest capture resumes in the current chunk (-1: not capturing)
  let expectKey = false; // at depth 1 of a top-level object: the next string is a key
  let currentKey = '';
  let keyParts: Buffer[] | undefined; // bytes of a depth-1 string we want (a key, or kind/apiVersion's value)
  let keyStart = -1;
  let sawItems = false;
  let header: { kind?: string; apiVersion?: string } = {};
  // The items array
  let itemsDepth = -1; // depth inside the items array, -1: not in one
  let elementParts: Buffer[] = [];
  let elementStart = -1;
  let elementLine = 0;

  const parseElement = (text: string, startLine: number): StreamedJsonItem => {
    try {
      return { value: JSON.parse(text), line: startLine, listKind: header.kind, listApiVersion: header.apiVersion };
    } catch (err) {
      return { error: new AppError('SOURCE_BAD_DATA', `${file}:${startLine}: invalid JSON in the object starting on this line (${describeJsonError(err)})`, { cause: err }), line: startLine };
    }
  };
  const structural = (msg: string) => new AppError('SOURCE_BAD_DATA', `${file}:${line}: ${msg} — is this \`kubectl get -o json\` output?`);

  for await (const chunk of chunks) {
    const out: StreamedJsonItem[] = [];
    if (restStart !== -1) restStart = 0;
    if (elementStart !== -1) elementStart = 0;
    if (keyStart !== -1) keyStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === NL) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyStart !== -1) {
            keyParts!.push(chunk.subarray(keyStart, i));
            const text = JSON.parse('"' + Buffer.concat(keyParts!).toString('utf8') + '"') as string;
            if (expectKey) currentKey = text;
            else if (currentKey === 'kind' || currentKey === 'apiVersion') header[currentKey] = text;
            keyParts = undefined;
            keyStart = -1;
          }
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (depth === 0) {
        if (c === LBRACE) {
          topIsObject = true;
          restParts = [];
          restStart = i;
          expectKey = true;
          sawItems = false;
          header = {};
        } else if (c === LBRACKET) {
          topIsObject = false;
          itemsDepth = 1;
          header = {};
        } else throw structural(`unexpected "${String.fromCharCode(c)}" where a JSON object or array should start`);
        depth = 1;
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && topIsObject && (expectKey || currentKey === 'kind' || currentKey === 'apiVersion')) {
          keyParts = [];
          keyStart = i + 1;
        }
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        if (depth === itemsDepth && elementStart === -1) {
          if (c !== LBRACE) throw structural('an item of the list is not an object');
          elementStart = i;
          elementParts = [];
          elementLine = line;
        } else if (depth === 1 && topIsObject && !expectKey && currentKey === 'items' && c === LBRACKET) {
          // Keep "items":[ in the rest, skip the elements, resume at the closing bracket.
          restParts.push(chunk.subarray(restStart, i + 1));
          restStart = -1;
          itemsDepth = 2;
          sawItems = true;
        }
        depth++;
        continue;
      }
      if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth < 0) throw structural(`unbalanced "${String.fromCharCode(c)}"`);
        if (elementStart !== -1 && depth === itemsDepth) {
          elementParts.push(chunk.subarray(elementStart, i + 1));
          out.push(parseElement(Buffer.concat(elementParts).toString('utf8'), elementLine));
          elementParts = [];
          elementStart = -1;
        } else if (itemsDepth !== -1 && depth === itemsDepth - 1 && c === RBRACKET) {
          itemsDepth = -1;
          if (topIsObject) restStart = i;
        }
        if (depth === 0) {
          if (topIsObject) {
            restParts.push(chunk.subarray(restStart, i + 1));
            restStart = -1;
            const whole = parseElement(Buffer.concat(restParts).toString('utf8'), line);
            restParts = [];
            // A List's items were yielded one by one; anything else is itself the object.
            if (!sawItems || whole.error) out.push(whole);
          }
          topIsObject = false;
        }
        continue;
      }
      if (depth === 1 && topIsObject) {
        if (c === COMMA) expectKey = true;
        else if (c === COLON) expectKey = false;
      }
    }
    if (keyStart !== -1) keyParts!.push(chunk.subarray(keyStart));
    if (elementStart !== -1) elementParts.push(chunk.subarray(elementStart));
    if (restStart !== -1) restParts.push(chunk.subarray(restStart));
    yield* out;
  }
  if (depth !== 0 || inString) throw structural('the JSON ends in the middle of a value (truncated file?)');
}
