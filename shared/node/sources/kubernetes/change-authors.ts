/**
 * Who changed a live object, and when. A snapshot only shows that an object differs from the last
 * one; the object itself says more: `metadata.managedFields` names the field manager of every write
 * (`kubectl-edit`, `kubectl-client-side-apply`, `helm`, `argocd-controller`…), its operation (Update
 * or Apply) and its time (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management).
 * Managers are programs, not people: the user comes from audit-log files (audit.k8s.io/v1 Event, one
 * JSON object per line, as the API server's log backend writes them) and, where no audit log covers
 * the write, Kubernetes Events name the component that reported on the object.
 *
 * Kept apart from object-records.ts so that what the capture stores and who is credited for it can
 * change independently.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AppError } from '../../../core/api/errors.js';

/** The last write of an object, as far as the inputs tell. */
export interface LastWrite {
  /** The field manager, or the reporting component of an Event when no manager is known. */
  manager: string;
  /** 'Update' | 'Apply' (managedFields), or the audit verb ('update', 'patch', 'create'). */
  operation?: string;
  /** ISO-8601 time of the write. */
  time: string;
  /** The user who made it, from an audit log, when one covers it. */
  user?: string;
  /** Where the facts came from, for the change's message. */
  evidence: 'managedFields' | 'audit-log' | 'event';
  /** An Event's reason (`ScalingReplicaSet`, `Killing`…): a code, never the Event's free-text note. */
  reason?: string;
}

/** One write recorded by an audit log or reported by an Event. */
interface Sighting { time: number; user?: string; verb?: string; userAgent?: string; component?: string; reason?: string }

/** How far apart a managedFields time and an audit entry may be and still be the same write (the API server stamps both within the request; second resolution). */
const SAME_WRITE_MS = 2_000;
/** Audit logs grow fast: stop reading a file after this many lines (reported as a warning). */
export const MAX_AUDIT_LINES = 2_000_000;
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'apply']);

const keyOf = (namespace: string | undefined, kind: string, name: string): string => `${namespace ?? ''}\u0000${kind.toLowerCase()}\u0000${name}`;

/**
 * The latest write of `obj` in its managedFields, ignoring writes to the status subresource (a
 * controller reporting status is not a configuration change). Undefined without usable entries.
 */
export function lastManagedWrite(obj: any): LastWrite | undefined {
  const entries: unknown = obj?.metadata?.managedFields;
  if (!Array.isArray(entries)) return undefined;
  let best: { manager: string; operation?: string; time: string; at: number } | undefined;
  for (const e of entries) {
    if (!e || typeof e !== 'object' || typeof e.manager !== 'string' || e.manager === '') continue;
    if (typeof e.subresource === 'string' && e.subresource !== '') continue;
    const at = typeof e.time === 'string' ? Date.parse(e.time) : NaN;
    if (!Number.isFinite(at)) continue;
    if (!best || at > best.at) best = { manager: e.manager, operation: typeof e.operation === 'string' ? e.operation : undefined, time: new Date(at).toISOString(), at };
  }
  return best && { manager: best.manager, ...(best.operation ? { operation: best.operation } : {}), time: best.time, evidence: 'managedFields' };
}

/**
 * The audit-log entries and Events about objects, indexed by object, to name the user of a write.
 * Audit entries match by resource (the plural, lower case) or kind; both are indexed.
 */
export class ChangeAuthors {
  private readonly audit = new Map<string, Sighting[]>();
  private readonly events = new Map<string, Sighting[]>();

  /** Adds one parsed line: an audit.k8s.io Event or a Kubernetes Event; anything else is ignored (returns false). */
  add(entry: any): boolean {
    if (!entry || typeof entry !== 'object') return false;
    if (typeof entry.apiVersion === 'string' && entry.apiVersion.startsWith('audit.k8s.io/')) return this.addAudit(entry);
    if (entry.kind === 'Event' && (entry.involvedObject || entry.regarding)) return this.addEvent(entry);
    return false;
  }

  private addAudit(e: any): boolean {
    const ref = e.objectRef;
    if (!ref?.name || !ref.resource || !WRITE_VERBS.has(String(e.verb))) return false;
    if (ref.subresource) return false;
    if (e.stage && e.stage !== 'ResponseComplete') return false;
    if (typeof e.responseStatus?.code === 'number' && e.responseStatus.code >= 400) return false;
    const time = Date.parse(e.stageTimestamp ?? e.requestReceivedTimestamp ?? '');
    if (!Number.isFinite(time)) return false;
    const user = typeof e.impersonatedUser?.username === 'string' ? e.impersonatedUser.username : typeof e.user?.username === 'string' ? e.user.username : undefined;
    const sighting: Sighting = { time, user, verb: e.verb, userAgent: typeof e.userAgent === 'string' ? e.userAgent : undefined };
    push(this.audit, keyOf(ref.namespace, ref.resource, ref.name), sighting);
    return true;
  }

  private addEvent(e: any): boolean {
    // core/v1 Event (involvedObject, source, lastTimestamp) or events.k8s.io/v1 Event (regarding,
    // reportingController, series, deprecated* copies of the core fields).
    const about = e.regarding ?? e.involvedObject;
    if (!about?.kind || !about.name) return false;
    const stamp = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.deprecatedLastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.deprecatedFirstTimestamp ?? e.metadata?.creationTimestamp;
    const time = Date.parse(typeof stamp === 'string' ? stamp : '');
    if (!Number.isFinite(time)) return false;
    const component = e.reportingController || e.reportingComponent || e.source?.component || e.deprecatedSource?.component;
    if (typeof component !== 'string' || component === '') return false;
    const reason = typeof e.reason === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(e.reason) ? e.reason : undefined;
    push(this.events, keyOf(about.namespace, about.kind, about.name), { time, component, ...(reason ? { reason } : {}) });
    return true;
  }

  /** How many audit entries and Events are indexed. */
  get size(): { audit: number; events: number } {
    const count = (m: Map<string, Sighting[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
    return { audit: count(this.audit), events: count(this.events) };
  }

  /**
   * The last write of `obj` (`resource` is its plural, e.g. "configmaps", when known): managedFields
   * give manager and time; an audit entry of the same moment adds the user; without managedFields
   * the latest audit entry, else the latest Event, stands in.
   */
  lastWrite(obj: any, resource?: string): LastWrite | undefined {
    const kind = String(obj?.kind ?? '');
    const name = obj?.metadata?.name;
    if (!kind || typeof name !== 'string') return lastManagedWrite(obj);
    const namespace = obj.metadata?.namespace || undefined;
    const audits = [
      ...(this.audit.get(keyOf(namespace, kind, name)) ?? []),
      ...(resource ? this.audit.get(keyOf(namespace, resource, name)) ?? [] : []),
      ...(this.audit.get(keyOf(namespace, `${kind}s`, name)) ?? []),
    ];
    const managed = lastManagedWrite(obj);
    if (managed) {
      const at = Date.parse(managed.time);
      const same = closest(audits.filter((a) => a.user && Math.abs(a.time - at) <= SAME_WRITE_MS), at);
      return same ? { ...managed, user: same.user } : managed;
    }
    const lastAudit = latest(audits.filter((a) => a.user));
    if (lastAudit) return { manager: agentName(lastAudit.userAgent) ?? lastAudit.verb!, operation: lastAudit.verb, time: new Date(lastAudit.time).toISOString(), user: lastAudit.user, evidence: 'audit-log' };
    const lastEvent = latest(this.events.get(keyOf(namespace, kind, name)) ?? []);
    if (lastEvent) return { manager: lastEvent.component!, time: new Date(lastEvent.time).toISOString(), evidence: 'event', ...(lastEvent.reason ? { reason: lastEvent.reason } : {}) };
    return undefined;
  }
}

/**
 * Reads audit-log or Event files (JSON lines; a file that is one JSON array or `{items: […]}` — the
 * output of `kubectl get events -o json` — works too). A bad line is a warning naming file and line;
 * the rest is read.
 */
export async function readChangeAuthors(files: readonly string[], warn: (message: string) => void, signal?: AbortSignal): Promise<ChangeAuthors> {
  const authors = new ChangeAuthors();
  for (const file of files) {
    let lines = 0;
    let bad = 0;
    try {
      const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8', signal }), crlfDelay: Infinity });
      let whole: string[] | undefined;
      for await (const line of rl) {
        if (++lines > MAX_AUDIT_LINES) { warn(`${file}: read the first ${MAX_AUDIT_LINES.toLocaleString('en')} lines only — split the audit log or keep the period of the audit`); break; }
        const text = line.trim();
        if (whole) { whole.push(line); continue; }
        if (text === '') continue;
        if (lines === 1 && (text === '[' || (text.startsWith('{') && !text.endsWith('}')))) { whole = [line]; continue; }
        let parsed: unknown;
        try { parsed = JSON.parse(text); } catch { if (++bad <= 3) warn(`${file}:${lines}: not a JSON object — each line of an audit log is one audit.k8s.io Event`); continue; }
        addAll(authors, parsed);
      }
      if (whole) {
        try { addAll(authors, JSON.parse(whole.join('\n'))); } catch (err) { warn(`${file}: not JSON lines and not one JSON document (${(err as Error).message})`); }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ABORT_ERR') throw new AppError('CANCELLED', `${file}: reading the audit log was cancelled`);
      throw new AppError('CONFIG_INVALID', `cannot read audit log ${file}: ${(err as Error).message} — check \`auditLogs\` in sources.yaml`, { cause: err });
    }
    if (bad > 3) warn(`${file}: ${bad} lines in all were not JSON`);
  }
  return authors;
}

/** The author string stored with a change: "user via manager" when the user is known. */
export function authorOf(write: LastWrite): string {
  return write.user ? `${write.user} via ${write.manager}` : write.manager;
}

/** The message stored with a change: where its author and time come from. */
export function messageOf(write: LastWrite): string {
  const what = write.evidence === 'managedFields' ? 'managedFields' : write.evidence === 'audit-log' ? 'audit log' : `Kubernetes Event${write.reason ? ` ${write.reason}` : ''}`;
  return `last write: ${write.manager}${write.operation ? ` ${write.operation}` : ''} at ${write.time}${write.user ? ` by ${write.user}` : ''} (${what})`;
}

function addAll(authors: ChangeAuthors, parsed: any): void {
  const list = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.items) ? parsed.items : [parsed];
  for (const entry of list.slice(0, MAX_AUDIT_LINES)) authors.add(entry);
}

function push(map: Map<string, Sighting[]>, key: string, s: Sighting): void {
  const list = map.get(key);
  if (list) list.push(s); else map.set(key, [s]);
}

const latest = (list: Sighting[]): Sighting | undefined => list.reduce<Sighting | undefined>((best, s) => (!best || s.time > best.time ? s : best), undefined);
const closest = (list: Sighting[], at: number): Sighting | undefined =>
  list.reduce<Sighting | undefined>((best, s) => (!best || Math.abs(s.time - at) < Math.abs(best.time - at) ? s : best), undefined);

/** "kubectl/v1.31.0 (linux/amd64) kubernetes/abc" → "kubectl". */
const agentName = (userAgent: string | undefined): string | undefined => userAgent?.split(/[/ ]/)[0] || undefined;
