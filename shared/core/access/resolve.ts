import type { GraphEdge, GraphNode } from '../model/graph.js';
import { datasetUrn, parseUrn, type ParsedUrn } from '../model/urn.js';
import { EVERYONE, grantEntries, grantPhrase, type GrantEntry } from './grant.js';
import type { Phrase } from '../model/phrase.js';
import { phrase, say } from '../i18n/phrase.js';
import { keyPatternCovers } from './s3-patterns.js';

/**
 * "Who can read field X" as a graph query (DESIGN.md "Access"): the grants on the field and on
 * everything that contains it, evaluated with each system's own rules, then followed backwards
 * through roles and credentials to whoever acts with them. Pure: the CLI, the analyzer, the
 * studio and the report all ask this one function.
 *
 * Rules per system — accuracy over breadth (a principal is listed only when a grant proves it):
 * - MySQL/MariaDB: SELECT or ALL on `*.*`, the database, the table, or this column. There are no
 *   deny rules; a column grant reaches that column only (the grant edge names the column).
 * - Kafka: READ or ALL on the topic (literal, prefixed or `*`); a DENY for the principal or for
 *   `User:*` wins over any ALLOW from the same hosts (Kafka's AclAuthorizer: deny first).
 * - S3: an Allow whose action reads objects and whose resource covers the prefix; an explicit
 *   Deny covering it wins (IAM policy evaluation logic).
 */

export interface AccessHop {
  from: string;
  to: string;
  /** grant (principal → data), role (member → role), credential (Secret → principal), reads-secret (subject → Secret), uses-secret (workload → Secret). */
  relation: 'grant' | 'role' | 'credential' | 'reads-secret' | 'uses-secret';
  /** The hop in English; `phrase` says it in the reader's language. */
  text: string;
  phrase?: Phrase;
}

/** A hop whose English text is its phrase said in English. */
const hop = (from: string, to: string, relation: AccessHop['relation'], p: Phrase): AccessHop => ({ from, to, relation, text: say(p, 'en'), phrase: p });

/** A restriction on a read: its English text, and its phrase. */
interface Restriction { text: string; phrase: Phrase }
const restriction = (p: Phrase): Restriction => ({ text: say(p, 'en'), phrase: p });

export interface AccessEntry {
  /** Who acts: a database account, a Kafka principal, a ServiceAccount, a workload. */
  principal: string;
  principalUrn: string;
  /** The grants on the data that let the chain end in a read. */
  grants: GrantEntry[];
  /** What narrows it: hosts, conditions, SET ROLE. Empty: unconditional. */
  conditions: string[];
  /** `conditions` as phrases, in the same order (absent from answers made before phrases existed). */
  conditionPhrases?: Phrase[];
  /** From the actor to the data, hop by hop. */
  chain: AccessHop[];
  via: 'direct' | 'role' | 'credential';
  /** True for `*`/`User:*`/public: anyone (authenticated) can read. */
  everyone: boolean;
}

export interface AccessAnswer {
  urn: string;
  entities: string[];
  readers: AccessEntry[];
  /**
   * Principals an ALLOW names (their own, or one for everyone such as Kafka `User:*`) that a DENY
   * stops, with the deny.
   */
  denied: { principal: string; principalUrn: string; deny: GrantEntry[] }[];
  /** Why the list may be incomplete, with what to do (`phrase`: the same in the reader's language). */
  unknown: { reason: string; phrase?: Phrase }[];
}

/** Everything the resolver needs, indexed once per graph. */
export interface AccessIndex {
  byUrn: Map<string, GraphNode>;
  /** Inbound `grants` edges by target. */
  grantsTo: Map<string, GraphEdge[]>;
  /** Workloads that reference/mount a Secret, by Secret URN. */
  usersOf: Map<string, GraphEdge[]>;
}

/** Bound on role/credential hops followed backwards (roles granted to roles, Secret → account). */
const MAX_CHAIN = 6;

export function indexAccess(nodes: GraphNode[], edges: GraphEdge[]): AccessIndex {
  const byUrn = new Map(nodes.map((n) => [n.urn, n]));
  const grantsTo = new Map<string, GraphEdge[]>();
  const usersOf = new Map<string, GraphEdge[]>();
  const push = (m: Map<string, GraphEdge[]>, k: string, e: GraphEdge) => {
    const l = m.get(k);
    if (l) l.push(e);
    else m.set(k, [e]);
  };
  for (const e of edges) {
    if (e.kind === 'grants') push(grantsTo, e.to, e);
    else if ((e.kind === 'references' || e.kind === 'mounts') && /\/Secret\//.test(e.to)) push(usersOf, e.to, e);
  }
  return { byUrn, grantsTo, usersOf };
}

const safeParse = (urn: string): ParsedUrn | undefined => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** The field and everything containing it, nearest first (column → table → database; field → prefix → bucket). */
export function containers(index: AccessIndex, urn: string): string[] {
  const out: string[] = [];
  let cur: string | undefined = urn;
  for (let depth = 0; cur && depth < 24 && !out.includes(cur); depth++) {
    out.push(cur);
    const node = index.byUrn.get(cur);
    cur = node?.parent ?? (cur.includes('#') ? datasetUrn(cur) : parentByUrn(cur));
  }
  return out;
}

/** When a node was not captured with a parent: the URN one segment up (tables → database, prefixes → bucket). */
function parentByUrn(urn: string): string | undefined {
  const p = safeParse(urn);
  if (!p || (p.scheme !== 'mysql' && p.scheme !== 's3') || p.segments.length < 2) return undefined;
  return urn.slice(0, urn.lastIndexOf('/'));
}

/** The object key prefix an s3 URN stands for (`s3://src/lake/pii/users#email` → `pii/users/`), '' for the bucket. */
export function s3KeyPrefix(urn: string): string | undefined {
  const p = safeParse(datasetUrn(urn));
  if (p?.scheme !== 's3') return undefined;
  const rest = p.segments.slice(1);
  return rest.length ? `${rest.join('/')}/` : '';
}

const MYSQL_READS = new Set(['SELECT', 'ALL PRIVILEGES', 'ALL']);
const KAFKA_READS = new Set(['READ', 'ALL']);
const S3_READS = /^(\*|s3:\*|s3:Get\*|s3:GetObject\*?|s3:GetObject)$/i;

export const readsData = (system: string, privilege: string): boolean =>
  system === 'mysql' ? MYSQL_READS.has(privilege.toUpperCase()) : system === 'kafka' ? KAFKA_READS.has(privilege.toUpperCase()) : system === 's3' ? S3_READS.test(privilege) : false;

const isEveryone = (principal: string): boolean => principal === EVERYONE || principal === 'User:*' || principal === 'AWS:*' || principal === 'Group:AllUsers' || principal === 'Group:AuthenticatedUsers';
/** A principal's display name: `report@%`, `User:etl`; RBAC subjects as the exposure findings name them (`ServiceAccount:shop/reporting`). */
function principalName(index: AccessIndex, urn: string): string {
  const p = safeParse(urn);
  if (p?.scheme === 'k8s') {
    const [ns, kind, name] = p.segments;
    return kind === 'ServiceAccount' ? `${kind}:${ns}/${name}` : `${kind}:${name}`;
  }
  return index.byUrn.get(urn)?.name ?? decodeURIComponent(urn.slice(urn.lastIndexOf('/') + 1));
}

/** The entries of a grants edge that can apply to `fieldUrn` (S3 key patterns are matched here). */
function applicable(entries: GrantEntry[], system: string, fieldUrn: string): { allow: GrantEntry[]; deny: GrantEntry[]; unknown: GrantEntry[] } {
  const prefix = system === 's3' ? s3KeyPrefix(fieldUrn) : undefined;
  const covers = (g: GrantEntry) => system !== 's3' || g.keyPattern === undefined || (prefix !== undefined && keyPatternCovers(g.keyPattern, prefix) !== 'none');
  const relevant = entries.filter((g) => (g.effect === 'unknown' || readsData(system, g.privilege)) && covers(g));
  return { allow: relevant.filter((g) => g.effect === 'allow'), deny: relevant.filter((g) => g.effect === 'deny'), unknown: relevant.filter((g) => g.effect === 'unknown') };
}

/** Restrictions an allow carries; a deny limited to some hosts/conditions narrows the allow instead of stopping it. */
function conditionsOf(g: GrantEntry, system: string, fieldUrn: string): Restriction[] {
  const out: Restriction[] = [];
  if (g.hosts?.length && !g.hosts.includes('*') && !g.hosts.includes('%')) out.push(restriction(phrase('ev.cond.fromHost', { hosts: g.hosts.join(', ') })));
  if (g.conditions?.length) out.push(restriction(phrase('ev.cond.if', { conditions: g.conditions.join(', ') })));
  if (g.defaultRole === false) out.push(restriction(phrase('ev.cond.setRole')));
  if (system === 's3' && g.keyPattern !== undefined) {
    const prefix = s3KeyPrefix(fieldUrn);
    if (prefix !== undefined && keyPatternCovers(g.keyPattern, prefix) === 'some') out.push(restriction(phrase('ev.cond.objects', { pattern: g.keyPattern })));
  }
  return out;
}

/** Restrictions without repeats (by their English text), kept as both texts and phrases. */
function restrictionsOf(list: Restriction[]): Pick<AccessEntry, 'conditions' | 'conditionPhrases'> {
  const seen = new Map<string, Phrase>();
  for (const r of list) if (!seen.has(r.text)) seen.set(r.text, r.phrase);
  return { conditions: [...seen.keys()], conditionPhrases: [...seen.values()] };
}

/** An entry's restrictions as `Restriction`s again (to add to them along a chain). */
const restrictionsIn = (e: AccessEntry): Restriction[] => e.conditions.map((text, i) => ({ text, phrase: e.conditionPhrases?.[i] ?? { key: text } }));

const unconditionalDeny = (g: GrantEntry) => (!g.hosts?.length || g.hosts.includes('*')) && !g.conditions?.length;

/** Direct readers of a field: principals whose grants on it (or a container) read, minus denies. */
function directReaders(index: AccessIndex, fieldUrn: string, answer: AccessAnswer): AccessEntry[] {
  const system = safeParse(fieldUrn)?.scheme ?? '';
  const byPrincipal = new Map<string, { allow: { g: GrantEntry; target: string; detail: string }[]; deny: GrantEntry[] }>();
  const denyAll: GrantEntry[] = [];
  for (const target of containers(index, fieldUrn)) {
    for (const edge of index.grantsTo.get(target) ?? []) {
      const { allow, deny, unknown } = applicable(grantEntries(edge), system, fieldUrn);
      for (const u of unknown) if (!answer.unknown.some((x) => x.reason === u.origin)) answer.unknown.push({ reason: u.origin, ...(u.originPhrase && { phrase: u.originPhrase }) });
      if (!allow.length && !deny.length) continue;
      const slot = byPrincipal.get(edge.from) ?? { allow: [], deny: [] };
      byPrincipal.set(edge.from, slot);
      for (const g of allow) slot.allow.push({ g, target, detail: edge.evidence.detail });
      slot.deny.push(...deny);
      // Kafka `User:*` and S3 `*` denies stop everyone.
      if (isEveryone(principalName(index, edge.from))) denyAll.push(...deny);
    }
  }
  const out: AccessEntry[] = [];
  /** Principals with a DENY and no ALLOW of their own: an ALLOW for everyone still names them. */
  const denyOnly: { urn: string; deny: GrantEntry[] }[] = [];
  for (const [urn, slot] of byPrincipal) {
    if (slot.allow.length === 0) {
      if (slot.deny.length > 0) denyOnly.push({ urn, deny: slot.deny });
      continue;
    }
    const principal = principalName(index, urn);
    const denies = [...slot.deny, ...denyAll];
    if (denies.some(unconditionalDeny)) {
      answer.denied.push({ principal, principalUrn: urn, deny: denies.filter(unconditionalDeny) });
      continue;
    }
    const conditions = restrictionsOf([
      ...slot.allow.flatMap((a) => conditionsOf(a.g, system, fieldUrn)),
      ...denies.map((d) => restriction(d.hosts?.length
        ? phrase('ev.cond.exceptHost', { hosts: d.hosts.join(', '), origin: d.originPhrase ?? d.origin })
        : phrase('ev.cond.exceptWhen', { conditions: d.conditions?.join(', ') ?? '', origin: d.originPhrase ?? d.origin }))),
    ]);
    // The unconditional grant wins: one grant without restrictions makes the read unconditional.
    const unconditional = slot.allow.some((a) => conditionsOf(a.g, system, fieldUrn).length === 0) && denies.length === 0;
    out.push({
      principal, principalUrn: urn, grants: slot.allow.map((a) => a.g),
      ...(unconditional ? { conditions: [], conditionPhrases: [] } : conditions),
      chain: dedupeHops(slot.allow.map((a) => hop(urn, a.target, 'grant', phrase('ev.access.grantHop', { principal, grant: grantPhrase(a.g) })))),
      via: 'direct', everyone: isEveryone(principal),
    });
  }
  exceptDenied(index, out, denyOnly, answer);
  return out;
}

/**
 * A DENY for a principal that has no ALLOW of its own (`User:*` ALLOW, `User:bob` DENY): the
 * allow for everyone reaches bob, and bob's deny wins over it (Kafka's AclAuthorizer and IAM both
 * evaluate denies first). Bob is denied; the everyone entry says "except User:bob". A deny limited
 * to some hosts only narrows what the everyone entry allows.
 */
function exceptDenied(index: AccessIndex, entries: AccessEntry[], denyOnly: { urn: string; deny: GrantEntry[] }[], answer: AccessAnswer): void {
  const everyone = entries.filter((e) => e.everyone);
  if (everyone.length === 0) return;
  const exceptions: Restriction[] = [];
  for (const { urn, deny } of denyOnly) {
    const principal = principalName(index, urn);
    if (isEveryone(principal)) continue;
    const unconditional = deny.filter(unconditionalDeny);
    if (unconditional.length > 0) {
      answer.denied.push({ principal, principalUrn: urn, deny: unconditional });
      exceptions.push(restriction(phrase('accessDeny.exceptPrincipal', { principal, origin: unconditional[0].originPhrase ?? unconditional[0].origin })));
    } else {
      for (const d of deny) exceptions.push(restriction(phrase('accessDeny.exceptPrincipalFrom', { principal, hosts: (d.hosts ?? []).join(', '), origin: d.originPhrase ?? d.origin })));
    }
  }
  if (exceptions.length === 0) return;
  for (const entry of everyone) Object.assign(entry, restrictionsOf([...restrictionsIn(entry), ...exceptions]));
}

function dedupeHops(hops: AccessHop[]): AccessHop[] {
  const seen = new Set<string>();
  return hops.filter((h) => {
    const k = `${h.from}\n${h.to}\n${h.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Who acts as `entry.principalUrn`: role members, holders of a credential, readers and users of that Secret. */
function actorsOf(index: AccessIndex, entry: AccessEntry, depth: number): AccessEntry[] {
  if (depth >= MAX_CHAIN) return [];
  const out: AccessEntry[] = [];
  for (const edge of index.grantsTo.get(entry.principalUrn) ?? []) {
    for (const g of grantEntries(edge)) {
      if (g.scope === 'role' && g.effect === 'allow') {
        const member = principalName(index, edge.from);
        const role: AccessEntry = {
          ...entry, principal: member, principalUrn: edge.from, via: 'role',
          ...restrictionsOf([...restrictionsIn(entry), ...(g.defaultRole === false ? [restriction(phrase('ev.cond.setRole'))] : [])]),
          chain: [hop(edge.from, entry.principalUrn, 'role', phrase('ev.access.roleHop', { member, role: entry.principal, origin: g.originPhrase ?? g.origin })), ...entry.chain],
          everyone: false,
        };
        out.push(role, ...actorsOf(index, role, depth + 1));
      } else if (g.scope === 'credential' && g.effect === 'allow') {
        out.push(...credentialHolders(index, entry, edge, g, depth));
      }
    }
  }
  return out;
}

/** A Secret holding the principal's credential: whoever can read the Secret, and the workloads using it, act as the principal. */
function credentialHolders(index: AccessIndex, entry: AccessEntry, edge: GraphEdge, g: GrantEntry, depth: number): AccessEntry[] {
  const secret = edge.from;
  const secretName = principalLabel(secret);
  const credentialHop = hop(secret, entry.principalUrn, 'credential', phrase('ev.access.credentialHop', { secret: secretName, principal: entry.principal, origin: g.originPhrase ?? g.origin }));
  const out: AccessEntry[] = [];
  for (const read of index.grantsTo.get(secret) ?? []) {
    const who = principalName(index, read.from);
    const e: AccessEntry = {
      ...entry, principal: who, principalUrn: read.from, via: 'credential', everyone: /^Group:system:(authenticated|unauthenticated)$/.test(who),
      chain: [hop(read.from, secret, 'reads-secret', phrase('ev.access.readsSecretHop', { who, secret: secretName, detail: evidencePhrase(read) })), credentialHop, ...entry.chain],
    };
    out.push(e, ...actorsOf(index, e, depth + 1));
  }
  for (const use of index.usersOf.get(secret) ?? []) {
    const who = principalLabel(use.from);
    out.push({
      ...entry, principal: who, principalUrn: use.from, via: 'credential', everyone: false,
      chain: [hop(use.from, secret, 'uses-secret', phrase(use.kind === 'mounts' ? 'ev.access.mountsSecretHop' : 'ev.access.envSecretHop', { who, secret: secretName, detail: evidencePhrase(use) })), credentialHop, ...entry.chain],
    });
  }
  return out;
}

/** A chain of hops as one phrase, `a → b → c`, each hop in the reader's language (its text where it has no phrase). */
export function chainPhrase(hops: AccessHop[]): Phrase | string {
  const parts = hops.map((h) => h.phrase ?? h.text);
  if (parts.length === 0) return '';
  return parts.slice(1).reduce<Phrase | string>((acc, part) => phrase('ev.chain', { from: acc, to: part }), parts[0]);
}

/** An edge's evidence as a phrase parameter: its phrase when it has one, else its stored text. */
export function evidencePhrase(edge: GraphEdge): Phrase | string {
  const p = (edge.evidence as { phrase?: unknown }).phrase;
  return p && typeof p === 'object' && typeof (p as Phrase).key === 'string' ? (p as Phrase) : edge.evidence.detail;
}

/** `k8s://prod/shop/Secret/db-creds` → `Secret shop/db-creds`; other URNs as they are. */
export function principalLabel(urn: string): string {
  const p = safeParse(urn);
  if (p?.scheme === 'k8s') return `${p.segments[1]} ${p.segments[0] === '_' ? '' : `${p.segments[0]}/`}${p.segments[2]}`;
  if (p?.scheme === 'app' && p.segments[0] === 'principals') return p.segments[1];
  return urn;
}

/**
 * Every principal that can read `fieldUrn`, each with the chain of evidence from the actor to the
 * grant; the principals a deny stops; and why the answer may be incomplete.
 */
export function whoCanRead(index: AccessIndex, fieldUrn: string): AccessAnswer {
  const node = index.byUrn.get(fieldUrn);
  const answer: AccessAnswer = { urn: fieldUrn, entities: [...new Set((node?.pii ?? []).map((t) => t.entity))].sort(), readers: [], denied: [], unknown: [] };
  const direct = directReaders(index, fieldUrn, answer);
  const all = [...direct, ...direct.flatMap((d) => actorsOf(index, d, 0))];
  // One entry per actor and route: the same ServiceAccount reaching the data through two Secrets is two routes.
  const seen = new Set<string>();
  for (const e of all) {
    const key = `${e.principalUrn}\n${e.chain.map((h) => h.from).join('>')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    answer.readers.push(e);
  }
  answer.readers.sort((a, b) => Number(b.everyone) - Number(a.everyone) || a.chain.length - b.chain.length || a.principal.localeCompare(b.principal));
  return answer;
}

/** The PII fields (columns, topic fields, object fields) of a graph: what the access answer is about. */
export function piiFields(nodes: GraphNode[]): GraphNode[] {
  return nodes.filter((n) => n.urn.includes('#') && (n.pii ?? []).length > 0);
}

/** Every PII field a principal (or an actor whose chain passes through it) can read. */
export function fieldsReadableBy(index: AccessIndex, principal: string): { field: string; entities: string[]; entry: AccessEntry }[] {
  const out: { field: string; entities: string[]; entry: AccessEntry }[] = [];
  const matches = (e: AccessEntry) => e.principal === principal || e.principalUrn === principal || e.chain.some((h) => h.from === principal);
  for (const field of piiFields([...index.byUrn.values()])) {
    const answer = whoCanRead(index, field.urn);
    const entry = answer.readers.find(matches);
    if (entry) out.push({ field: field.urn, entities: answer.entities, entry });
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
}
