import { phrase, spoken } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { EVERYONE, GrantEdgeCollector, principalUrn, UNKNOWN_PRINCIPALS, type GrantEntry } from '../../../core/access/grant.js';
import { globMatches, splitS3Resource } from '../../../core/access/s3-patterns.js';
import { s3Urn } from '../../../core/model/urn.js';
import type { CaptureRecord } from '../source.js';
import { summarisePolicy, type PolicyStatementSummary, type PolicySummary } from './policy.js';

/**
 * Who can read a bucket's objects, as `grants` edges principal → bucket (shared/core/access): the
 * bucket policy's statements, identity policies given offline (`identityPolicies`: AWS IAM policy
 * JSON or MinIO `mc admin policy info` JSON, mapped to principals and their access key ids), and the
 * bucket's public access block. Each entry keeps the statement's key pattern and condition keys; the
 * resolver decides per prefix. What cannot be known is said: a policy that could not be read, or
 * identity policies that were not given, become an `unknown` entry with the fix.
 */

/** GetPublicAccessBlock, as the SDK and `aws s3api get-public-access-block` return it. */
export interface PublicAccessBlock {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}
export type PublicAccessBlockSummary = { status: 'present'; config: PublicAccessBlock } | { status: 'none' | 'unsupported' | 'denied' | 'error' | 'offline'; reason?: string };

/** One principal's identity policies, from the `identityPolicies` file. */
export interface IdentityPolicy {
  principal: string;
  /** Access key ids of this principal: hashed, so a Kubernetes Secret holding one is recognised. */
  accessKeyIds: string[];
  statements: PolicyStatementSummary[];
  origin: string;
}

/**
 * Reads `identityPolicies`: a JSON list of `{ "principal": "AWS:arn:aws:iam::1:role/etl",
 * "accessKeyIds": [...], "policy": <IAM policy document> | <mc admin policy info JSON> }`
 * (policies may be a list under "policies"). mc prints `{"PolicyName", "Policy": {…}}` or, with
 * --json, `{"policyInfo": {"policy": {…}}}`; both are accepted.
 */
export async function readIdentityPolicies(file: string, source: string, baseDir: string): Promise<IdentityPolicy[]> {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(code ? 'NOT_FOUND' : 'SOURCE_BAD_DATA', `s3://${source}: identityPolicies ${file} ${code ? `is not readable (${code})` : 'is not valid JSON'} — give a JSON list of {principal, accessKeyIds, policy}`, { cause: err });
  }
  if (!Array.isArray(doc)) throw new AppError('SOURCE_BAD_DATA', `s3://${source}: identityPolicies ${file} must be a JSON list of {principal, accessKeyIds, policy}`);
  return doc.slice(0, 10_000).flatMap((entry, i): IdentityPolicy[] => {
    const e = entry as { principal?: unknown; accessKeyIds?: unknown; policy?: unknown; policies?: unknown };
    if (typeof e?.principal !== 'string') throw new AppError('SOURCE_BAD_DATA', `s3://${source}: identityPolicies ${file} entry ${i + 1} has no "principal"`);
    const docs = [...(e.policy !== undefined ? [e.policy] : []), ...(Array.isArray(e.policies) ? e.policies : [])].map(unwrapMcPolicy);
    const statements = docs.flatMap((d) => {
      const s = summarisePolicy(JSON.stringify(d));
      if (s.status !== 'present') throw new AppError('SOURCE_BAD_DATA', `s3://${source}: identityPolicies ${file} entry ${i + 1} (${e.principal}): ${s.reason ?? 'not a policy document'}`);
      return s.statements;
    });
    return [{ principal: e.principal as string, accessKeyIds: Array.isArray(e.accessKeyIds) ? e.accessKeyIds.filter((k): k is string => typeof k === 'string') : [], statements, origin: `identityPolicies ${file}` }];
  });
}

function unwrapMcPolicy(p: unknown): unknown {
  const o = p as Record<string, any>;
  if (o?.policyInfo?.policy) return o.policyInfo.policy;
  if (o?.policyInfo?.Policy) return o.policyInfo.Policy;
  if (o?.Policy && typeof o.Policy === 'object') return o.Policy;
  return p;
}

/** Entries of one statement that concern this bucket's objects. */
function statementEntries(st: PolicyStatementSummary, bucket: string, origin: string, originPhrase?: Phrase): GrantEntry[] {
  const out: GrantEntry[] = [];
  const labelled = st.sid ? spoken('ev.origin.statement', { origin: originPhrase ?? origin, sid: st.sid }) : originPhrase ? { text: origin, phrase: originPhrase } : undefined;
  const label = labelled?.text ?? origin;
  const labelPhrase = labelled?.phrase;
  for (const resource of st.resources) {
    const r = splitS3Resource(resource);
    // A bucket ARN without a key (arn:aws:s3:::b) governs bucket actions (ListBucket), not objects.
    if (!r || r.keyPattern === undefined || !globMatches(r.bucket, bucket)) continue;
    if (st.inverted) {
      // NotPrincipal/NotAction reach everything except what they list: not decided by a guess.
      const why = spoken('ev.unknown.s3Inverted', { origin: labelPhrase ?? label });
      out.push({ privilege: 's3:GetObject', effect: 'unknown', scope: 'objects', pattern: resource, keyPattern: r.keyPattern, origin: why.text, originPhrase: why.phrase });
      continue;
    }
    for (const action of st.actions) {
      out.push({ privilege: action, effect: st.effect === 'Deny' ? 'deny' : 'allow', scope: 'objects', pattern: resource, keyPattern: r.keyPattern, ...(st.conditionKeys.length && { conditions: st.conditionKeys }), origin: label, ...(labelPhrase && { originPhrase: labelPhrase }) });
    }
  }
  return out;
}

export interface BucketAccessInput {
  source: string;
  region: string;
  bucket: string;
  policy: PolicySummary;
  publicAccessBlock: PublicAccessBlockSummary;
  /** Undefined: identity policies were not given. */
  identity?: IdentityPolicy[];
  fingerprint(value: string): string;
  /** True for a copied folder: the live store's policies were not read. */
  offline: boolean;
}

const PUBLIC = new Set(['*', 'AWS:*']);

/** Principal nodes and grants edges for one bucket. */
export function* bucketAccessRecords(i: BucketAccessInput): Generator<CaptureRecord> {
  const collector = new GrantEdgeCollector('grants.s3');
  const bucketUrn = s3Urn(i.source, i.bucket);
  const principals = new Map<string, Record<string, unknown>>();
  const add = (principal: string, entry: GrantEntry, props: Record<string, unknown> = {}) => {
    const name = PUBLIC.has(principal) ? EVERYONE : principal;
    principals.set(name, { ...(principals.get(name) ?? {}), ...props, ...(name === EVERYONE && { everyone: true }) });
    collector.add(principalUrn(i.source, name), bucketUrn, entry);
  };
  const restrictPublic = i.publicAccessBlock.status === 'present' && i.publicAccessBlock.config.RestrictPublicBuckets === true;
  if (i.policy.status === 'present') {
    for (const st of i.policy.statements) {
      const entries = statementEntries(st, i.bucket, 'bucket policy', phrase('ev.origin.bucketPolicy'));
      for (const principal of st.principals) {
        // RestrictPublicBuckets: a public policy grants nothing to anyone outside the owner's account
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
        if (PUBLIC.has(principal) && restrictPublic && st.effect === 'Allow') continue;
        for (const e of entries) add(principal, e);
      }
    }
  } else if (i.policy.status !== 'none') {
    const { text: reason, phrase: why } = i.offline
      ? spoken('ev.unknown.s3NoPolicyFile', { bucket: `s3://${i.source}/${i.bucket}`, file: `${i.bucket}.policy.json` })
      : spoken('ev.unknown.s3PolicyUnreadable', { bucket: `s3://${i.source}/${i.bucket}`, status: `${i.policy.status}${i.policy.reason ? `: ${i.policy.reason}` : ''}` });
    add(UNKNOWN_PRINCIPALS, { privilege: 's3:GetObject', effect: 'unknown', scope: 'objects', pattern: `arn:aws:s3:::${i.bucket}/*`, keyPattern: '*', origin: reason, originPhrase: why }, { unknown: true, reason });
  }
  if (i.identity) {
    for (const id of i.identity) {
      const hashes = id.accessKeyIds.map((k) => i.fingerprint(k));
      const entries = id.statements.flatMap((st) => statementEntries(st, i.bucket, id.origin));
      // The principal node is kept even without entries here: its access keys are still its credentials.
      if (entries.length === 0) continue;
      for (const e of entries) add(id.principal, e, { accessKeyHashes: hashes });
    }
  } else {
    const { text: reason, phrase: why } = spoken('ev.unknown.s3NoIdentityPolicies', { bucket: `s3://${i.source}/${i.bucket}` });
    add(UNKNOWN_PRINCIPALS, { privilege: 's3:GetObject', effect: 'unknown', scope: 'objects', pattern: `arn:aws:s3:::${i.bucket}/*`, keyPattern: '*', origin: reason, originPhrase: why }, { unknown: true, reason });
  }
  for (const [name, props] of principals) {
    yield { type: 'node', node: { urn: principalUrn(i.source, name), kind: 'subject', name, source: i.source, region: i.region, props: { system: 's3', ...props } } };
  }
  for (const edge of collector.toEdges()) yield { type: 'edge', edge };
}
