import { parseUrn, type ParsedUrn } from './urn.js';

/**
 * The group a node is collapsed into when a graph is too big to show whole: a Kubernetes
 * namespace, a database, a bucket, a Kafka cluster, a git repository, a workload namespace.
 */
export function groupKeyOf(urn: string): string {
  return groupKeyOfParsed(parseUrn(urn));
}

/** {@link groupKeyOf} of a URN already parsed (the store parses every URN it writes once). */
export function groupKeyOfParsed(p: ParsedUrn): string {
  const first = p.segments[0];
  switch (p.scheme) {
    case 'kafka':
    case 'git':
      return `${p.scheme}://${p.source}`;
    default:
      return `${p.scheme}://${p.source}/${encodeURIComponent(first)}`;
  }
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
