import { phrase, spoken, spokenEvidence } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import { EVERYONE, type GrantEntry, type GrantEvidence } from '../../../core/access/grant.js';
import { chainPhrase, indexAccess, piiFields, whoCanRead, type AccessEntry } from '../../../core/access/resolve.js';
import type { Finding, Severity } from '../../../core/model/finding.js';
import type { GraphEdge, GraphNode } from '../../../core/model/graph.js';
import { datasetUrn, parseUrn } from '../../../core/model/urn.js';
import type { ConfigVersion, Store } from '../../store/index.js';
import { defineAnalyzer } from './analyzer.js';

/** Edges this analyzer writes (credential hops); a re-run replaces them. */
export const ACCESS_RULE_PREFIX = 'access.';

/** Secret keys that name an identity (the value is the user name / access key id whose hash we match). */
const IDENTITY_KEY = /(^|[^a-z])(user(name)?|login|principal|access[_.-]?key[_.-]?id|client[_.-]?id|sasl[_.-]?user(name)?)([^a-z]|$)/i;
/** Keys that hold the secret half of a credential: without one, knowing a user name opens nothing. */
const SECRET_KEY = /pass(word)?|passwd|pwd|secret|token|private[_.-]?key|jaas/i;

interface Principal { node: GraphNode; hashes: string[]; kind: string }

/** Principals with something a Secret can hold: MySQL/Kafka user names and S3 access key ids, as keyed hashes. */
function principalsWithHashes(nodes: GraphNode[]): Map<string, Principal[]> {
  const byHash = new Map<string, Principal[]>();
  for (const n of nodes) {
    if (n.kind !== 'subject') continue;
    const props = n.props as { userHash?: unknown; accessKeyHashes?: unknown; system?: string };
    const hashes = [...(typeof props.userHash === 'string' ? [props.userHash] : []), ...(Array.isArray(props.accessKeyHashes) ? props.accessKeyHashes.filter((h): h is string => typeof h === 'string') : [])];
    for (const h of hashes) byHash.set(h, [...(byHash.get(h) ?? []), { node: n, hashes, kind: props.system ?? 'unknown' }]);
  }
  return byHash;
}

const hashOf = (v: unknown): string | undefined => (v && typeof v === 'object' && typeof (v as { $hash?: unknown }).$hash === 'string' ? (v as { $hash: string }).$hash : undefined);

/**
 * Credential hops: a Secret whose identity key (username, AWS_ACCESS_KEY_ID…) holds the keyed hash
 * of a principal's user name or access key id — and that also holds a secret half (a password,
 * a secret key) — is that principal's credential. Values are compared as hashes only: the Secret
 * was stored hashed, the principal's name was hashed by its source with the same workspace key.
 */
export function credentialEdges(live: ConfigVersion[], nodes: GraphNode[]): GraphEdge[] {
  const byHash = principalsWithHashes(nodes);
  if (byHash.size === 0) return [];
  const out: GraphEdge[] = [];
  for (const v of live) {
    const content = v.content as { kind?: string; data?: Record<string, unknown>; stringData?: Record<string, unknown> } | null;
    if (content?.kind !== 'Secret') continue;
    const entries = Object.entries({ ...(content.data ?? {}), ...(content.stringData ?? {}) });
    if (!entries.some(([k]) => SECRET_KEY.test(k))) continue;
    const seen = new Set<string>();
    for (const [key, value] of entries) {
      const h = hashOf(value);
      if (!h || !IDENTITY_KEY.test(key)) continue;
      for (const p of byHash.get(h) ?? []) {
        if (seen.has(p.node.urn)) continue;
        seen.add(p.node.urn);
        const origin = spoken(p.kind === 's3' ? 'ev.access.credentialKeyId' : 'ev.access.credentialUser', { key, secret: v.urn, principal: p.node.name, system: p.kind });
        const grant: GrantEntry = { privilege: 'ACT-AS', effect: 'allow', scope: 'credential', pattern: `key ${key}`, origin: origin.text, originPhrase: origin.phrase };
        out.push({ from: v.urn, to: p.node.urn, kind: 'grants', confidence: 0.9, evidence: { rule: 'access.credential', detail: grant.origin, phrase: origin.phrase, grants: [grant] } satisfies GrantEvidence });
      }
    }
  }
  return out;
}

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** The k8s namespace an actor lives in (a ServiceAccount or a workload), when it has one. */
function namespaceOf(urn: string): string | undefined {
  const p = safeParse(urn);
  return p?.scheme === 'k8s' && p.segments[0] !== '_' ? p.segments[0] : undefined;
}

const BROAD_SCOPES = new Set(['global', 'topic-any', 'open']);

/** What kind of exposure a reader is: the rule, how severe, and why in a sentence. */
function classify(entry: AccessEntry, byUrn: Map<string, GraphNode>): { rule: string; severity: Severity; why: Phrase } | undefined {
  const props = byUrn.get(entry.principalUrn)?.props as { auditor?: boolean; localOnly?: boolean } | undefined;
  if (props?.auditor && entry.via === 'direct') return undefined;
  if (entry.everyone) return { rule: 'exposure.everyone', severity: 'critical', why: entry.principal === EVERYONE ? phrase('ev.why.everyonePublic') : phrase('ev.why.everyoneMatching', { principal: entry.principal }) };
  const secretHop = entry.chain.find((h) => h.relation === 'credential');
  if (secretHop) {
    const actorNs = namespaceOf(entry.principalUrn);
    const secretNs = namespaceOf(secretHop.from);
    if (actorNs && secretNs && actorNs !== secretNs) return { rule: 'exposure.cross-namespace', severity: 'high', why: phrase('ev.why.crossNamespace', { actor: actorNs, secret: secretNs }) };
    return { rule: 'exposure.credential-chain', severity: 'medium', why: phrase('ev.why.credentialChain') };
  }
  const broad = entry.grants.some((g) => BROAD_SCOPES.has(g.scope) || (g.scope === 'database' && /[%_]/.test(g.pattern)) || g.keyPattern === '*');
  if (broad && !props?.localOnly) return { rule: 'exposure.broad-grant', severity: 'medium', why: phrase('ev.why.broadGrant', { patterns: entry.grants.filter((g) => BROAD_SCOPES.has(g.scope) || g.keyPattern === '*' || /[%_]/.test(g.pattern)).map((g) => g.pattern).join(', ') }) };
  return { rule: 'exposure.access', severity: entry.conditions.length ? 'info' : 'low', why: phrase('ev.why.granted') };
}

/**
 * The access answer for every PII field (shared/core/access), as `exposure` findings per reader
 * and dataset: everyone (critical), a subject of another namespace acting through a credential
 * (high), other credential chains and wildcard grants (medium), plain grants (low, info when
 * restricted by host or condition); fields whose readers cannot be fully known get
 * `exposure.access-unknown` naming why. Also writes the credential hops (Secret → principal).
 */
export const accessAnalyzer = defineAnalyzer({
  name: 'access',
  order: 45,
  run(store) {
    // Subjects, datasets and PII fields (every node a grant, a credential or a reader names): AnalysisReads.
    const nodes = [...store.analysis.relevantNodes()];
    const live = store.configs.latestAll('live');
    const credentials = credentialEdges(live, nodes);
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(ACCESS_RULE_PREFIX);
      for (const e of credentials) store.graph.upsertEdge(e);
    });
    const index = indexAccess(nodes, [...store.analysis.flowEdges(['grants', 'references', 'mounts'])]);
    const grouped = new Map<string, { finding: Extract<Finding, { type: 'exposure' }>; fields: Set<string> }>();
    for (const field of piiFields(nodes)) {
      const answer = whoCanRead(index, field.urn);
      const dataset = datasetUrn(field.urn);
      for (const entry of answer.readers) {
        const c = classify(entry, index.byUrn);
        if (!c) continue;
        const key = `${c.rule}\n${entry.principalUrn}\n${dataset}`;
        const existing = grouped.get(key);
        if (existing) {
          existing.fields.add(field.urn);
          continue;
        }
        const verbs = [...new Set(entry.grants.map((g) => g.privilege))];
        grouped.set(key, {
          fields: new Set([field.urn]),
          finding: {
            type: 'exposure', rule: c.rule, urn: dataset, severity: c.severity, confidence: entry.via === 'credential' ? 0.9 : 1,
            subject: entry.principal, verbs, resource: dataset,
            ...spokenEvidence(entry.conditions.length
              ? phrase('ev.exposure.accessFindingLimited', { principal: entry.principal, why: c.why, chain: chainPhrase(entry.chain), conditions: entry.conditions.map((text, i) => entry.conditionPhrases?.[i] ?? text) })
              : phrase('ev.exposure.accessFinding', { principal: entry.principal, why: c.why, chain: chainPhrase(entry.chain) })),
          },
        });
      }
      for (const u of answer.unknown) {
        const key = `unknown\n${u.reason}\n${dataset}`;
        const existing = grouped.get(key);
        if (existing) {
          existing.fields.add(field.urn);
          continue;
        }
        grouped.set(key, { fields: new Set([field.urn]), finding: { type: 'exposure', rule: 'exposure.access-unknown', urn: dataset, severity: 'info', confidence: 1, subject: '?', verbs: [], resource: dataset, evidence: u.reason, ...(u.phrase && { evidencePhrase: u.phrase }) } });
      }
    }
    const findings: Finding[] = [...grouped.values()].map(({ finding, fields }) => ({
      ...finding,
      ...spokenEvidence(phrase('ev.exposure.fields', { evidence: finding.evidencePhrase ?? finding.evidence, fields: [...fields].sort().map((f) => f.slice(f.indexOf('#') + 1)).join(', ') })),
    }));
    store.findings.replaceFor('access', findings);
    return { findings: findings.length, edges: credentials.length };
  },
});

