import type { Evidence, GraphEdge } from '../model/graph.js';
import { appUrn } from '../model/urn.js';
import type { Phrase } from '../model/phrase.js';
import { phrase, say } from '../i18n/phrase.js';

/**
 * Grants: who may do what to which data, as `grants` edges principal → resource (DESIGN.md
 * "Access"). One edge per (principal, resource); its evidence lists every grant entry between them,
 * so an allow and a deny on the same topic, or SELECT on two columns' table, are kept side by side.
 *
 * The resource is the narrowest captured node the grant names: a column for a column grant, a
 * table, a database (also for `*.*`, one edge per captured database), a topic, a bucket (with the
 * key pattern in the entry: the resolver matches it against each prefix).
 */
export type GrantScope =
  /** MySQL `*.*`. */
  | 'global'
  /** MySQL `db.*` (the pattern may hold `%`/`_` wildcards). */
  | 'database'
  | 'table'
  | 'column'
  /** A Kafka ACL on one literal topic name. */
  | 'topic'
  /** A Kafka PREFIXED ACL. */
  | 'topic-prefix'
  /** A Kafka literal `*` ACL: every topic. */
  | 'topic-any'
  /** An S3 policy statement: `keyPattern` says which objects. */
  | 'objects'
  /** Role membership: the principal may act as the role (MySQL roles). */
  | 'role'
  /** A credential: whoever holds the Secret acts as this principal. */
  | 'credential'
  /** No access control at all (no Kafka authorizer): anyone who can connect. */
  | 'open';

export interface GrantEntry {
  /** Upper-case privilege as the system names it: SELECT, ALL PRIVILEGES, READ, ALL, s3:GetObject, MEMBER, ACT-AS. */
  privilege: string;
  /** `unknown`: the source could not see the grants (not readable): who can read is not known. */
  effect: 'allow' | 'deny' | 'unknown';
  scope: GrantScope;
  /** The resource as written in the grant: `shop`.*, shop.users(email), orders- (prefixed), arn:aws:s3:::lake/pii/*. */
  pattern: string;
  /** For `objects`: the key part of the resource ARN (`pii/*`, `*`), matched against each prefix. */
  keyPattern?: string;
  /** Kafka ACL hosts, MySQL account hosts other than `%`: the grant holds only from there. */
  hosts?: string[];
  /** S3 condition keys (`aws:SourceIp`…): the grant holds only when they are met. */
  conditions?: string[];
  /** A MySQL role granted but not a default role: the user must SET ROLE first (still able to read). */
  defaultRole?: boolean;
  /** Where the grant was read: `SHOW GRANTS FOR 'report'@'%'`, `DescribeAcls`, `bucket policy (Sid ReadPii)`, a file. */
  origin: string;
  /** `origin` as a phrase, where it is a sentence (why the grants are unknown, how a credential was recognised). */
  originPhrase?: Phrase;
}

/** Evidence of a `grants` edge written by a source or the access analyzer. */
export interface GrantEvidence extends Evidence {
  /** `grants.mysql`, `grants.kafka`, `grants.s3`, `grants.credential`… */
  rule: string;
  detail: string;
  grants: GrantEntry[];
}

/** The URN of a principal of a data source: a database account, a Kafka principal, an AWS principal. */
export const principalUrn = (source: string, principal: string): string => appUrn(source, 'principals', principal);

/** Principal standing for "whoever can connect" (no authorizer, public bucket). */
export const EVERYONE = '*';
/** Principal standing for "not known": grants could not be read. */
export const UNKNOWN_PRINCIPALS = '?';

/** Reads the grant entries off an edge's evidence (empty for edges that are not grants with entries). */
export function grantEntries(edge: Pick<GraphEdge, 'kind' | 'evidence'>): GrantEntry[] {
  if (edge.kind !== 'grants') return [];
  const list = (edge.evidence as { grants?: unknown }).grants;
  return Array.isArray(list) ? (list as GrantEntry[]).filter((g) => g && typeof g === 'object' && typeof g.privilege === 'string') : [];
}

/** One entry as evidence, to be said in the reader's language: `SELECT on shop.users(email) (from host 10.%) [SHOW GRANTS FOR 'report'@'%']`. */
export function grantPhrase(g: GrantEntry): Phrase {
  const effect = g.effect === 'deny' ? 'DENY ' : g.effect === 'unknown' ? 'UNKNOWN ' : '';
  const limits: Phrase[] = [
    ...(g.hosts?.length ? [phrase('ev.grant.fromHost', { hosts: g.hosts.join('/') })] : []),
    ...(g.conditions?.length ? [phrase('ev.grant.if', { conditions: g.conditions.join(', ') })] : []),
    ...(g.defaultRole === false ? [phrase('ev.grant.afterSetRole')] : []),
  ];
  const origin = g.originPhrase ?? g.origin;
  return limits.length
    ? phrase('ev.grant.limited', { effect, privilege: g.privilege, pattern: g.pattern, limits, origin })
    : phrase('ev.grant', { effect, privilege: g.privilege, pattern: g.pattern, origin });
}

/** One entry in English (CLI text, stored evidence). */
export function describeGrant(g: GrantEntry): string {
  return say(grantPhrase(g), 'en');
}

/**
 * Collects grant entries into one edge per (principal, resource): sources call `add` as they read
 * and yield `edges()` at the end, so entries for the same pair never overwrite each other.
 */
export class GrantEdgeCollector {
  private readonly edges = new Map<string, { from: string; to: string; rule: string; grants: GrantEntry[] }>();

  constructor(private readonly rule: string) {}

  add(principal: string, resource: string, entry: GrantEntry): void {
    const key = `${principal}\n${resource}`;
    let e = this.edges.get(key);
    if (!e) this.edges.set(key, (e = { from: principal, to: resource, rule: this.rule, grants: [] }));
    const same = (g: GrantEntry) => g.privilege === entry.privilege && g.effect === entry.effect && g.pattern === entry.pattern && g.origin === entry.origin && (g.hosts ?? []).join() === (entry.hosts ?? []).join();
    if (!e.grants.some(same)) e.grants.push(entry);
  }

  get size(): number {
    return this.edges.size;
  }

  toEdges(): GraphEdge[] {
    return [...this.edges.values()].map((e) => ({
      from: e.from,
      to: e.to,
      kind: 'grants',
      confidence: e.grants.some((g) => g.effect === 'unknown') ? 0.5 : 1,
      evidence: { rule: e.rule, detail: e.grants.map(describeGrant).join('; '), grants: e.grants } satisfies GrantEvidence,
    }));
  }
}
