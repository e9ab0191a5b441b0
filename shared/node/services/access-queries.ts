import { AppError } from '../../core/api/errors.js';
import { fieldsReadableBy, indexAccess, piiFields, whoCanRead, type AccessAnswer, type AccessEntry } from '../../core/access/resolve.js';
import { datasetUrn, parseUrn } from '../../core/model/urn.js';
import type { Store } from '../store/index.js';

/**
 * The access index of a workspace: the nodes a grant, credential or reader can name (subjects,
 * datasets, PII fields — AnalysisReads.relevantNodes), the grants and the Secret references.
 */
export function accessIndexOf(store: Store) {
  return indexAccess([...store.analysis.relevantNodes()], [...store.analysis.flowEdges(['grants', 'references', 'mounts'])]);
}

/**
 * Who can read `urn`: for a field, its answer; for a dataset (table, topic, prefix, bucket), one
 * answer per PII field in it. A URN not in the workspace is an error that says how to find one.
 */
export function accessForUrn(store: Store, urn: string): AccessAnswer[] {
  parseUrn(urn);
  const index = accessIndexOf(store);
  // A plain column (no PII, no edges) is not in the index; it is still a field one can ask about.
  const asked = index.byUrn.get(urn) ?? store.analysis.node(urn);
  if (asked) index.byUrn.set(urn, asked);
  if (!asked) throw new AppError('NOT_FOUND', `${urn} is not in this workspace — list PII fields with "driftline findings --type pii", or search in the studio`);
  if (urn.includes('#')) return [whoCanRead(index, urn)];
  const fields = piiFields([...index.byUrn.values()]).filter((f) => datasetUrn(f.urn) === urn || f.urn.startsWith(`${urn}/`));
  return fields.map((f) => whoCanRead(index, f.urn));
}

/** Every PII field a principal can read (by name as the answer shows it, or its URN), with the chain. */
export function accessForPrincipal(store: Store, principal: string): { field: string; entities: string[]; entry: AccessEntry }[] {
  return fieldsReadableBy(accessIndexOf(store), principal);
}

/** The access matrix: every PII field with its readers (for the studio's Access view and the report). */
export function accessMatrix(store: Store): AccessAnswer[] {
  const index = accessIndexOf(store);
  return piiFields([...index.byUrn.values()]).map((f) => whoCanRead(index, f.urn)).sort((a, b) => a.urn.localeCompare(b.urn));
}
