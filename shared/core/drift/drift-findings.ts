import type { Finding, Severity } from '../model/finding.js';
import type { DriftItem } from './diff-desired-live.js';

/** A drift finding as `driftline findings --json` prints it. */
export type DriftFinding = Extract<Finding, { type: 'drift' }>;

const RULES = { modified: 'drift.modified', 'missing-live': 'drift.missing-live', 'unmanaged-live': 'drift.unmanaged-live' } as const;
// A missing object or field means what was approved is not running; a changed or extra one may be a hand edit.
const SEVERITY: Record<DriftItem['kind'], Severity> = { 'missing-live': 'high', modified: 'medium', 'unmanaged-live': 'medium' };

const short = (value: unknown): string => {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** Turns the differences of one object into findings; ignored differences stay, marked `ignored` with severity info. */
export function driftItemsToFindings(urn: string, items: readonly DriftItem[], since?: string): DriftFinding[] {
  return items.map((item) => ({
    type: 'drift',
    rule: RULES[item.kind],
    urn,
    severity: item.ignored ? 'info' : SEVERITY[item.kind],
    confidence: 1,
    evidence: `${item.path || '(whole object)'}: desired ${short(item.desired)}, live ${short(item.live)}${item.ignored ? ` — ignored by rule ${item.ignored.rule}` : ''}`,
    path: item.path,
    desired: item.desired,
    live: item.live,
    ...(since !== undefined ? { since } : {}),
    ...(item.ignored ? { ignored: true } : {}),
  }));
}
