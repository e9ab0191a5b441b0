/**
 * A node's properties as the details panel lists them: empty values left out, keyed hashes
 * (value fingerprints) folded away and counted, nested objects flattened to `a.b: value` lines,
 * so the panel leads with what an auditor reads rather than with raw JSON.
 */
export interface PropertyLine {
  key: string;
  value: string;
}

export interface PanelProperties {
  lines: PropertyLine[];
  /** Keyed value fingerprints held by the node (never shown; counted). */
  fingerprints: number;
}

/** Properties that are the node's identity or internals, already shown elsewhere in the panel. */
const SKIP = new Set(['placeholder', 'fingerprints', 'kind', 'apiVersion', 'namespace']);
const HASH = /^(?:sha256:|hmac:)?[0-9a-f]{32,}$/i;
const MAX_LINES = 40;

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

export function panelProperties(props: Record<string, unknown>): PanelProperties {
  const lines: PropertyLine[] = [];
  let fingerprints = Array.isArray(props.fingerprints) ? props.fingerprints.length : 0;
  const walk = (prefix: string, value: unknown, depth: number) => {
    if (lines.length >= MAX_LINES || isEmpty(value)) return;
    if (Array.isArray(value)) {
      const hashes = value.filter((x) => typeof x === 'string' && HASH.test(x)).length;
      if (hashes > 0) {
        fingerprints += hashes;
        return;
      }
      const scalars = value.every((x) => typeof x !== 'object' || x === null);
      lines.push({ key: prefix, value: scalars ? value.join(', ') : JSON.stringify(value) });
      return;
    }
    if (typeof value === 'object' && value !== null) {
      if (depth >= 2) {
        lines.push({ key: prefix, value: JSON.stringify(value) });
        return;
      }
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v, depth + 1);
      return;
    }
    // A lone hash is a fingerprint only under such a name: a git blob or commit id is evidence to show.
    if (typeof value === 'string' && HASH.test(value) && /fingerprint|hmac/i.test(prefix)) {
      fingerprints++;
      return;
    }
    lines.push({ key: prefix, value: String(value) });
  };
  for (const [k, v] of Object.entries(props)) if (!SKIP.has(k)) walk(k, v, 0);
  return { lines, fingerprints };
}
