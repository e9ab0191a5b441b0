import { classifyValue, decodeSchemaEnvelope, FieldProfiler, maskValue, normalizeForFingerprint } from '../../../core/pii/index.js';
import type { GraphEdge, GraphNodeInput } from '../../../core/model/graph.js';
import { s3Urn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';

/** Values kept per field per prefix: enough for a prevalence, bounded memory. */
export const MAX_VALUES_PER_FIELD = 1000;
/** Distinct field paths kept per prefix; wide or key-as-data documents stop here (with a warning). */
export const MAX_FIELDS_PER_PREFIX = 500;
/** Nesting beyond this is not flattened (and cannot recurse without bound on hostile input); records that reach it are counted. */
export const MAX_RECORD_DEPTH = 32;

/**
 * Flattens a JSON value into (path, value) pairs: objects as `a.b`, arrays as `items[]`, a scalar
 * record as `$`. Scalars become strings (a phone number stored as a JSON number is still a phone).
 */
export function flattenRecord(value: unknown, visit: (path: string, value: string | null) => void, keyName: (key: string) => string = (k) => k, path = '', depth = 0): boolean {
  if (depth > MAX_RECORD_DEPTH) return false;
  let complete = true;
  if (Array.isArray(value)) {
    for (const v of value) complete = flattenRecord(v, visit, keyName, `${path || '$'}[]`, depth + 1) && complete;
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const name = keyName(k);
      complete = flattenRecord(v, visit, keyName, path ? `${path}.${name}` : name, depth + 1) && complete;
    }
  } else {
    visit(path || '$', value === null || value === undefined ? null : String(value));
  }
  return complete;
}

/** Key names remembered per prefix (so each distinct key is classified once). */
const MAX_KEY_NAMES = 10_000;

/**
 * Documents that use data as keys (`{"alice@example.com": {...}}`) would put a raw value into a
 * field path and so into a URN. Such keys become `<ENTITY>`, which also merges them into one field.
 */
export function safeKeyName(key: string): string {
  const hit = classifyValue(key)[0];
  return hit ? `<${hit.entity}>` : key;
}

/**
 * A prefix fit for a URN, a node name or evidence: a folder named after a person
 * (`customers/alice@example.com/`) becomes `customers/<EMAIL~3f9a0c12d4>` — the keyed fingerprint
 * keeps two people's folders apart and the same folder equal across scans, and never holds the value.
 */
export function urnSafePrefix(prefix: string, fingerprint: (value: string) => string): string {
  return prefix
    .split('/')
    .map((seg) => {
      const hit = seg ? classifyValue(seg)[0] : undefined;
      return hit ? `<${hit.entity}~${fingerprint(normalizeForFingerprint(hit.entity, seg)).slice(0, 10)}>` : seg;
    })
    .join('/');
}

/** Object keys in messages and sampleKeys: segments that are PII (`users/alice@example.com.json`) are masked. */
export function redactKey(key: string): string {
  return key
    .split('/')
    .map((seg) => {
      // The whole segment first: `alice@example.com` is a folder, and its ".com" is no extension.
      const whole = seg ? classifyValue(seg)[0] : undefined;
      if (whole) return maskValue(whole.entity, seg);
      const stem = seg.replace(/\.[A-Za-z0-9]{1,8}(\.gz)?$/, '');
      const hit = stem ? classifyValue(stem)[0] : undefined;
      return hit ? seg.replace(stem, maskValue(hit.entity, stem)) : seg;
    })
    .join('/');
}

/**
 * Kafka Connect's JsonConverter with schemas.enable wraps each record as {schema, payload}: the
 * payload is decoded with its schema (Debezium dates, Connect decimals, geometry) before classifying.
 */
const unwrapSchemaPayload = decodeSchemaEnvelope;

/**
 * The sampled objects of one prefix, as field path → values. Raw values live only here, in
 * memory, until `toRecords` turns them into verdicts, masked examples and keyed fingerprints.
 */
export class PrefixSample {
  objectsSampled = 0;
  /** Records nested deeper than MAX_RECORD_DEPTH: flattened only to that depth. */
  recordsTooDeep = 0;
  /** The shared profiler (shared/core/pii); each object is a stratum, so one big object cannot fill a field's sample. */
  private readonly fields = new FieldProfiler({ maxValuesPerField: MAX_VALUES_PER_FIELD, maxFields: MAX_FIELDS_PER_PREFIX, fieldNameOf: lastSegment });
  private readonly keyNames = new Map<string, string>();
  private readonly keyName = (key: string): string => {
    let name = this.keyNames.get(key);
    if (name === undefined) {
      name = safeKeyName(key);
      if (this.keyNames.size < MAX_KEY_NAMES) this.keyNames.set(key, name);
    }
    return name;
  };

  constructor(readonly bucket: string, readonly prefix: string) {}

  /** Adds the records of one object. */
  addObject(records: readonly unknown[]): void {
    const stratum = String(this.objectsSampled++);
    const visit = (path: string, value: string | null) => this.fields.add(path, value, stratum);
    for (const r of records) if (!flattenRecord(unwrapSchemaPayload(r), visit, this.keyName)) this.recordsTooDeep++;
  }

  get fieldCount(): number {
    return this.fields.fieldCount;
  }

  /** Distinct field paths past MAX_FIELDS_PER_PREFIX that were not kept. */
  get fieldsDropped(): number {
    return this.fields.fieldsDropped;
  }

  /**
   * Classifies every field; returns field nodes (parent `parentUrn`) and contains edges.
   * Clears the raw values afterwards so they do not outlive the prefix.
   */
  toRecords(ctx: Pick<CaptureContext, 'sourceName' | 'fingerprint'>, parentUrn: string, region: string): CaptureRecord[] {
    const nodes: CaptureRecord[] = [];
    const edges: CaptureRecord[] = [];
    for (const { path, verdicts, counts, fingerprints } of this.fields.profile(ctx.fingerprint, { region })) {
      const f = { objects: counts.strata, values: { length: counts.sampled } };
      const urn = s3Urn(ctx.sourceName, this.bucket, this.prefix || undefined, path);
      const node: GraphNodeInput = {
        urn,
        kind: 'field',
        name: path,
        source: ctx.sourceName,
        region,
        parent: parentUrn,
        props: { path, objectsSampled: f.objects, valuesSampled: f.values.length, fingerprints: [...fingerprints] },
        pii: verdicts.map((v) => ({ entity: v.entity, confidence: v.confidence, matches: v.matches, sampled: v.sampled, examples: v.examples, basis: v.basis })),
      };
      nodes.push({ type: 'node', node });
      const edge: GraphEdge = {
        from: parentUrn,
        to: urn,
        kind: 'contains',
        confidence: 1,
        evidence: { rule: 's3.sampled-field', detail: `field ${path} seen in ${f.objects} of ${this.objectsSampled} sampled objects under ${this.bucket}/${this.prefix}` },
      };
      edges.push({ type: 'edge', edge });
    }
    this.keyNames.clear();
    return [...nodes, ...edges];
  }
}

/** `user.mobile` → `mobile`; `items[].email` → `email`: the name hints apply to the leaf. */
function lastSegment(path: string): string {
  const seg = path.split('.').pop() ?? path;
  return seg.replace(/(\[\])+$/, '').replace(/^\$$/, '');
}
