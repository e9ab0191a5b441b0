import { AppError } from '../api/errors.js';

/**
 * URNs name every node of the graph (DESIGN.md "Workspace and graph"):
 *   k8s://<source>/<namespace|_>/<Kind>/<name>
 *   git://<source>/<path>
 *   mysql://<source>/<db>/<table>[#<column>]
 *   kafka://<source>/<topic>[#<json.path>]
 *   s3://<source>/<bucket>/<prefix>[#<path>]
 *   app://<source>/<namespace>/<workload>
 *   connect://<source>/[<namespace>/]<connector>   (a Kafka Connect connector: a process node)
 *   net://<host[:port]>[/<path>]        an endpoint outside every captured source (egress destinations)
 * Segments are percent-encoded where they hold '/', '#', '%' or spaces, so any name round-trips.
 */
/** A built-in scheme (below), or one a source kind registered ({@link registerUrnScheme}). */
export type UrnScheme = string;

/**
 * What the graph needs to know of a URN scheme: how many path segments follow the source (min, max;
 * max -1 = unbounded) and which part names the group a node collapses into (groups.ts).
 */
export interface UrnSchemeSpec {
  /** Lower-case letters and digits, as the URN grammar allows. */
  scheme: string;
  segments: readonly [min: number, max: number];
  /** `source`: one group per source (a Kafka cluster, a git repository); `first-segment`: per database, bucket, namespace… */
  groupBy: 'source' | 'first-segment';
  /** What a group of this scheme is called (a built-in scheme's name is in the text catalogue instead). */
  label?: { en: string; 'zh-CN': string };
}

const BUILTIN_SCHEMES: readonly UrnSchemeSpec[] = [
  { scheme: 'k8s', segments: [3, 3], groupBy: 'first-segment' },
  { scheme: 'git', segments: [1, -1], groupBy: 'source' },
  { scheme: 'mysql', segments: [1, 2], groupBy: 'first-segment' },
  { scheme: 'kafka', segments: [1, 1], groupBy: 'source' },
  { scheme: 's3', segments: [1, -1], groupBy: 'first-segment' },
  { scheme: 'app', segments: [2, 2], groupBy: 'first-segment' },
  { scheme: 'connect', segments: [1, 2], groupBy: 'first-segment' },
  { scheme: 'net', segments: [0, -1], groupBy: 'first-segment' },
];

const SCHEME_SPECS = new Map<string, UrnSchemeSpec>(BUILTIN_SCHEMES.map((s) => [s.scheme, s]));

/**
 * Makes a scheme known to the parser and the grouping. A source kind that mints URNs of its own
 * declares them in its definition (`urnSchemes`), and the source registry and the studio (which
 * gets them with `sources:kinds`) call this: a new source is one file, not an edit here.
 * Re-registering a scheme with the same spec is harmless; a built-in scheme cannot be redefined.
 */
export function registerUrnScheme(spec: UrnSchemeSpec): void {
  if (!/^[a-z][a-z0-9]*$/.test(spec.scheme)) throw new AppError('INTERNAL', `URN scheme "${spec.scheme}": use lower-case letters and digits, starting with a letter`);
  const [min, max] = spec.segments;
  if (!(Number.isInteger(min) && min >= 0 && Number.isInteger(max) && (max === -1 || max >= min))) {
    throw new AppError('INTERNAL', `URN scheme "${spec.scheme}": segments must be [min, max] with 0 ≤ min ≤ max (or max -1 for unbounded)`);
  }
  if (BUILTIN_SCHEMES.some((s) => s.scheme === spec.scheme) && !sameSpec(SCHEME_SPECS.get(spec.scheme)!, spec)) {
    throw new AppError('INTERNAL', `URN scheme "${spec.scheme}" is built in; name the new source's scheme differently`);
  }
  SCHEME_SPECS.set(spec.scheme, { scheme: spec.scheme, segments: [min, max], groupBy: spec.groupBy, ...(spec.label && { label: spec.label }) });
}

const sameSpec = (a: UrnSchemeSpec, b: UrnSchemeSpec) => a.segments[0] === b.segments[0] && a.segments[1] === b.segments[1] && a.groupBy === b.groupBy;

/** The spec of a known scheme, or undefined. */
export function urnSchemeSpec(scheme: string): UrnSchemeSpec | undefined {
  return SCHEME_SPECS.get(scheme);
}

/** Every known scheme: the built-in ones, then those sources registered. */
export function urnSchemes(): string[] {
  return [...SCHEME_SPECS.keys()];
}

export interface ParsedUrn {
  scheme: UrnScheme;
  source: string;
  /** The path segments after the source, decoded. */
  segments: string[];
  /** The field/column part after '#', decoded, or undefined. */
  field?: string;
}

const encodeSegment = (s: string): string => s.replace(/[%/#\s?]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));

function decodeSegment(s: string, urn: string): string {
  // Most segments hold no escape: skip the decoder (the store parses every URN it writes).
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw new AppError('INVALID_URN', `${urn}: bad percent-encoding in "${s}"`);
  }
}

/** Builds a URN from its parts, encoding each segment. */
export function formatUrn(parts: ParsedUrn): string {
  const path = [parts.source, ...parts.segments].map(encodeSegment).join('/');
  const field = parts.field !== undefined && parts.field !== '' ? '#' + parts.field.replace(/%/g, '%25').replace(/#/g, '%23') : '';
  return `${parts.scheme}://${path}${field}`;
}

/** Parses a URN, throwing AppError('INVALID_URN') with what is wrong and the expected shape. */
export function parseUrn(urn: string): ParsedUrn {
  const m = /^([a-z0-9]+):\/\/([^#]*)(?:#(.*))?$/.exec(urn);
  if (!m) throw new AppError('INVALID_URN', `"${urn}" is not a URN: expected <scheme>://<source>/…, e.g. mysql://shop-db/shop/users#email`);
  const scheme = m[1];
  const spec = SCHEME_SPECS.get(scheme);
  if (!spec) {
    throw new AppError('INVALID_URN', `"${urn}": unknown scheme "${m[1]}"; use one of ${urnSchemes().join(', ')}`);
  }
  const rawSegments = m[2].split('/');
  // A plain loop: every URN the store writes is parsed, and this is its hot path.
  const segments: string[] = [];
  for (const s of rawSegments) {
    if (s === '') throw new AppError('INVALID_URN', `"${urn}": empty path segment`);
    segments.push(decodeSegment(s, urn));
  }
  const source = segments.shift()!;
  const [min, max] = spec.segments;
  if (segments.length < min || (max !== -1 && segments.length > max)) {
    throw new AppError('INVALID_URN', `"${urn}": ${scheme} URNs have ${max === min ? min : `${min}${max === -1 ? '+' : `–${max}`}`} path segments after the source, found ${segments.length}`);
  }
  const field = m[3] !== undefined ? decodeSegment(m[3], urn) : undefined;
  if (field === '') throw new AppError('INVALID_URN', `"${urn}": empty field after '#'`);
  return { scheme, source, segments, field };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * The scheme, source and first path segment of a URN without escapes, read in one scan and no
 * allocation beyond the result; undefined when the URN holds a '%' or is not valid — then call
 * {@link parseUrn}, which decodes, or throws the error that names what is wrong. It accepts exactly
 * the escape-free URNs parseUrn accepts (urn.test.ts compares them), so a writer can validate every
 * URN at the cost of a raw insert (GraphStore.upsertNode).
 */
export function scanPlainUrn(urn: string): { scheme: UrnScheme; source: string; first: string } | undefined {
  if (urn.includes('%')) return undefined;
  const sep = urn.indexOf('://');
  if (sep <= 0) return undefined;
  const scheme = urn.slice(0, sep);
  const spec = SCHEME_SPECS.get(scheme);
  if (!spec) return undefined;
  const hash = urn.indexOf('#', sep + 3);
  const end = hash === -1 ? urn.length : hash;
  if (hash !== -1 && (hash === urn.length - 1 || LINE_BREAK.test(urn.slice(hash + 1)))) return undefined;
  let source = '';
  let first = '';
  let count = -1;
  for (let at = sep + 3; at <= end; ) {
    const slash = urn.indexOf('/', at);
    const stop = slash === -1 || slash > end ? end : slash;
    if (stop === at) return undefined; // an empty segment
    if (count === -1) source = urn.slice(at, stop);
    else if (count === 0) first = urn.slice(at, stop);
    count++;
    at = stop + 1;
  }
  const [min, max] = spec.segments;
  if (count < min || (max !== -1 && count > max)) return undefined;
  return { scheme, source, first };
}

/** The URN without its '#field' part: the dataset a column/field belongs to. */
export function datasetUrn(urn: string): string {
  const i = urn.indexOf('#');
  return i === -1 ? urn : urn.slice(0, i);
}

export const k8sUrn = (source: string, namespace: string | undefined, kind: string, name: string): string =>
  formatUrn({ scheme: 'k8s', source, segments: [namespace || '_', kind, name] });
export const mysqlUrn = (source: string, db: string, table?: string, column?: string): string =>
  formatUrn({ scheme: 'mysql', source, segments: table ? [db, table] : [db], field: column });
export const kafkaUrn = (source: string, topic: string, field?: string): string =>
  formatUrn({ scheme: 'kafka', source, segments: [topic], field });
export const s3Urn = (source: string, bucket: string, prefix?: string, field?: string): string =>
  formatUrn({ scheme: 's3', source, segments: prefix ? [bucket, ...prefix.split('/').filter(Boolean)] : [bucket], field });
export const appUrn = (source: string, namespace: string, workload: string): string =>
  formatUrn({ scheme: 'app', source, segments: [namespace, workload] });
/** A Kafka Connect connector: `connect://<source>/<connector>` (Connect REST), `connect://<k8s source>/<namespace>/<connector>` (Strimzi, ConfigMap). */
export const connectUrn = (source: string, connector: string, namespace?: string): string =>
  formatUrn({ scheme: 'connect', source, segments: namespace ? [namespace, connector] : [connector] });
/** An external endpoint: `net://es.example.eu:9200`, or a bucket/dataset at it (`net://s3.amazonaws.com/backup-us`). */
export const netUrn = (host: string, ...path: string[]): string =>
  formatUrn({ scheme: 'net', source: host.toLowerCase(), segments: path.filter(Boolean) });
export const gitUrn = (source: string, path: string): string =>
  formatUrn({ scheme: 'git', source, segments: path.split('/').filter(Boolean) });

/** A short human label for a URN: its last segment and field. */
export function urnLabel(urn: string): string {
  const base = datasetUrn(urn);
  const last = decodeURIComponent(base.slice(base.lastIndexOf('/') + 1));
  const i = urn.indexOf('#');
  return i === -1 ? last : `${last}.${decodeURIComponent(urn.slice(i + 1))}`;
}
