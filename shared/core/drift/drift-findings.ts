import type { Finding, Severity } from '../model/finding.js';
import type { DriftItem } from './diff-desired-live.js';
import { contentHash } from './canonical-json.js';

/** A drift finding as `driftline findings --json` prints it. */
export type DriftFinding = Extract<Finding, { type: 'drift' }>;

const RULES = { modified: 'drift.modified', 'missing-live': 'drift.missing-live', 'unmanaged-live': 'drift.unmanaged-live' } as const;
// A missing object or field means what was approved is not running; a changed or extra one may be a hand edit.
type DifferenceKind = Exclude<DriftItem['kind'], 'unknown'>;
const SEVERITY: Record<DifferenceKind, Severity> = { 'missing-live': 'high', modified: 'medium', 'unmanaged-live': 'medium' };

const short = (value: unknown): string => {
  const text = value === undefined ? 'absent' : isRecord(value) && typeof value.$object === 'string' ? value.$object : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** What a finding says of a whole object: which one, and the hash of its stored version — never its content. */
export interface ObjectReference {
  $object: string;
  /** SHA-256 of the canonical JSON: the `content_hash` of the config version it stands for. */
  $sha256: string;
}

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A whole object as a finding carries it: a reference (kind namespace/name) and its content hash. */
export function objectReference(object: unknown): ObjectReference | undefined {
  if (object === undefined || object === null) return undefined;
  const meta = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  const kind = isRecord(object) && typeof object.kind === 'string' ? object.kind : 'object';
  const name = typeof meta.name === 'string' ? meta.name : '?';
  return { $object: `${kind} ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${name}`, $sha256: contentHash(object) };
}

/**
 * Turns the differences of one object into findings; ignored differences stay, marked `ignored` with
 * severity info. `unknown` items are not differences and give no finding (see drift-unknowns.ts).
 */
export function driftItemsToFindings(urn: string, items: readonly DriftItem[], since?: string): DriftFinding[] {
  return items.filter((item): item is DriftItem & { kind: DifferenceKind } => item.kind !== 'unknown').map((item) => {
    // Findings are printed, exported and sealed: a whole object goes in as a reference, not as its content.
    const desired = item.path === '' ? objectReference(item.desired) : item.desired;
    const live = item.path === '' ? objectReference(item.live) : item.live;
    return {
      type: 'drift',
      rule: RULES[item.kind],
      urn,
      severity: item.ignored ? 'info' : SEVERITY[item.kind],
      confidence: 1,
      evidence: `${item.path || '(whole object)'}: desired ${short(desired)}, live ${short(live)}${item.ignored ? ` — ignored by rule ${item.ignored.rule}` : ''}`,
      path: item.path,
      desired,
      live,
      ...(since !== undefined ? { since } : {}),
      ...(item.ignored ? { ignored: true } : {}),
    };
  });
}
