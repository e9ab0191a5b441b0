/**
 * Flux post-build variable substitution (kustomize-controller `spec.postBuild`), as the controller
 * documents it (docs/spec/v1/kustomizations.md, "Post build variable substitution"):
 * - only `${var}` is replaced; `$var` stays as written and `$${var}` prints a literal `${var}`;
 * - `${var:=default}` / `${var:-default}` give the default when var is unset or empty,
 *   `${var=default}` / `${var-default}` only when it is unset; a default may itself hold `${other}`;
 * - an undefined `${var}` without a default becomes the empty string (the controller's default mode);
 * - a resource labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone.
 * Bash string functions (`${var:1:3}`, `${var/a/b}`) are not evaluated here: such a reference is
 * reported as unknown, never guessed.
 */

/** A variable's value as Driftline may know it. */
export type SubstitutionValue =
  /** A plain value (inline `substitute` or a ConfigMap's data). */
  | { kind: 'value'; value: string }
  /** A Secret's value: only its keyed hash is known here; the marker stands in for it. */
  | { kind: 'hashed'; marker: string }
  /** A value the repository cannot tell (a Secret or ConfigMap that only the cluster holds, an encrypted Secret). */
  | { kind: 'unknown'; reason: string };

/** What one substitution did: the new text, and the variables that could not be known. */
export interface SubstitutionResult {
  text: string;
  unknown: { name: string; reason: string }[];
  /** Variables used with no value and no default: Flux puts an empty string there. */
  empty: string[];
}

/** The label/annotation that switches substitution off for one resource. */
export const SUBSTITUTE_DISABLED_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

/** Flux validates variable names with this expression. */
export const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Marks a value the repository cannot tell, so no reader takes it for the real one. */
// No ": " and no " #" inside: the marker is substituted into YAML text and must stay one plain scalar.
export const unknownMarker = (name: string): string => `<unknown:\${${name}}>`;

const MAX_DEPTH = 8;

/** True when the resource asks Flux not to substitute it. */
export function substitutionDisabled(obj: { metadata?: { labels?: unknown; annotations?: unknown } }): boolean {
  const is = (m: unknown) => !!m && typeof m === 'object' && (m as Record<string, unknown>)[SUBSTITUTE_DISABLED_KEY] === 'disabled';
  return is(obj.metadata?.labels) || is(obj.metadata?.annotations);
}

/**
 * Replaces every `${…}` in `text` with its value from `vars`. Unknown values become
 * {@link unknownMarker} (and are listed), hashed Secret values their marker; a raw Secret value never
 * reaches the output because the caller only ever holds its hash. `unsetIsUnknown` (the reason) is
 * given when some variables' source cannot be read: a variable with no value is then unknown.
 */
export function substituteVariables(text: string, vars: ReadonlyMap<string, SubstitutionValue>, unsetIsUnknown?: string): SubstitutionResult {
  const unknown = new Map<string, string>();
  const empty = new Set<string>();
  // A substituteFrom object the repository does not hold may define any name: an unset variable is then unknown, not empty.
  const lookup: ReadonlyMap<string, SubstitutionValue> = unsetIsUnknown === undefined ? vars : {
    get: (name: string) => vars.get(name) ?? { kind: 'unknown', reason: unsetIsUnknown },
  } as ReadonlyMap<string, SubstitutionValue>;
  const out = expand(text, lookup, unknown, empty, 0);
  return { text: out, unknown: [...unknown].map(([name, reason]) => ({ name, reason })), empty: [...empty] };
}

function expand(text: string, vars: ReadonlyMap<string, SubstitutionValue>, unknown: Map<string, string>, empty: Set<string>, depth: number): string {
  let out = '';
  let i = 0;
  // Bounded by the text: every turn consumes at least one character.
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, at);
    if (text.startsWith('$${', at)) {
      // An escaped reference: printed as `${…}` without being expanded.
      const end = closingBrace(text, at + 2);
      out += end < 0 ? text.slice(at + 1) : text.slice(at + 1, end + 1);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (!text.startsWith('${', at)) {
      out += '$';
      i = at + 1;
      continue;
    }
    const end = closingBrace(text, at + 1);
    if (end < 0) {
      out += text.slice(at);
      break;
    }
    out += reference(text.slice(at + 2, end), vars, unknown, empty, depth);
    i = end + 1;
  }
  return out;
}

/** The index of the `}` closing the `{` at `open`, counting nested `${…}`; -1 if there is none. */
function closingBrace(text: string, open: number): number {
  let level = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') level++;
    else if (text[j] === '}' && --level === 0) return j;
  }
  return -1;
}

const DEFAULTING = /^([_a-zA-Z][_a-zA-Z0-9]*)(:?[=-])([\s\S]*)$/;

function reference(body: string, vars: ReadonlyMap<string, SubstitutionValue>, unknown: Map<string, string>, empty: Set<string>, depth: number): string {
  const fallback = DEFAULTING.exec(body);
  const name = fallback ? fallback[1] : body;
  if (!VARIABLE_NAME.test(name)) {
    const base = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(body)?.[0] ?? body;
    unknown.set(base, `"\${${body}}" uses a string function Driftline does not evaluate`);
    return unknownMarker(base);
  }
  const value = vars.get(name);
  const isUnset = value === undefined;
  const isEmpty = value?.kind === 'value' && value.value === '';
  if (fallback && (isUnset || (fallback[2].startsWith(':') && isEmpty))) {
    return depth < MAX_DEPTH ? expand(fallback[3], vars, unknown, empty, depth + 1) : unknownMarker(name);
  }
  if (!value) {
    empty.add(name);
    return '';
  }
  if (value.kind === 'value') return value.value;
  if (value.kind === 'hashed') return value.marker;
  unknown.set(name, value.reason);
  return unknownMarker(name);
}
