import { parseUrn, scanPlainUrn, urnSchemeSpec, type ParsedUrn } from './urn.js';

/**
 * The group a node is collapsed into when a graph is too big to show whole: a Kubernetes
 * namespace, a database, a bucket, a Kafka cluster, a git repository, a workload namespace.
 */
export function groupKeyOf(urn: string): string {
  return groupKeyOfParsed(parseUrn(urn));
}

/** {@link groupKeyOf} of a URN already parsed. */
export function groupKeyOfParsed(p: ParsedUrn): string {
  return groupKeyFromParts(p.scheme, p.source, p.segments[0]);
}

/**
 * The group key of a URN, validating it on the way (throws parseUrn's INVALID_URN error): the
 * store's path, one scan for the common URN without escapes, the full parser otherwise.
 */
export function validGroupKeyOf(urn: string): string {
  const plain = scanPlainUrn(urn);
  return plain ? groupKeyFromParts(plain.scheme, plain.source, plain.first) : groupKeyOfParsed(parseUrn(urn));
}

// Each scheme says how it groups (urn.ts UrnSchemeSpec.groupBy), so a new source's scheme needs no case here.
function groupKeyFromParts(scheme: string, source: string, first: string | undefined): string {
  return urnSchemeSpec(scheme)?.groupBy === 'source' || first === undefined || first === '' ? `${scheme}://${source}` : `${scheme}://${source}/${encodeURIComponent(first)}`;
}

/** A label for a group key: "shop-db / shop", "prod-cn / payments". */
export function groupLabel(key: string): string {
  const m = /^([a-z0-9]+):\/\/([^/]+)(?:\/(.+))?$/.exec(key);
  if (!m) return key;
  if (!m[3]) return m[2];
  const part = decodeURIComponent(m[3]);
  // '_' is the URN placeholder for cluster-scoped Kubernetes objects (no namespace).
  return `${m[2]} / ${m[1] === 'k8s' && part === '_' ? 'cluster-scoped' : part}`;
}
