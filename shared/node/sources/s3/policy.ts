/**
 * Bucket policy and ACL summaries: who may do what, in a form the exposure rules and a reader can use
 * without the raw document (IAM policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
 */
export interface PolicyStatementSummary {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** `*` for anyone, else `AWS:<arn>`, `Service:<name>`, `Federated:<id>`, `CanonicalUser:<id>`. */
  principals: string[];
  actions: string[];
  /** True when the statement uses NotPrincipal/NotAction (inverted: reads more broadly than listed). */
  inverted: boolean;
  resources: string[];
  /** Condition keys only (values can hold IPs or account ids that are not needed here). */
  conditionKeys: string[];
}

export type PolicySummary =
  | { status: 'present'; statements: PolicyStatementSummary[]; publicRead: boolean }
  | { status: 'none' | 'unsupported' | 'denied' | 'error' | 'invalid' | 'offline'; reason?: string };

const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

function summarisePrincipals(p: unknown): string[] {
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  const out: string[] = [];
  for (const [type, ids] of Object.entries(p as Record<string, unknown>)) {
    for (const id of strings(ids)) out.push(id === '*' ? '*' : `${type}:${id}`);
  }
  return out;
}

/** `s3:GetObject`, `s3:Get*`, `s3:*` and `*` all let a principal read objects. */
const READS_OBJECTS = /^(\*|s3:\*|s3:Get\*|s3:GetObject\*?)$/i;

/** Parses a policy document (the JSON text GetBucketPolicy returns) into a summary. */
export function summarisePolicy(text: string): PolicySummary {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { status: 'invalid', reason: 'policy is not valid JSON' };
  }
  if (!doc || typeof doc !== 'object') return { status: 'invalid', reason: 'policy is not a JSON object' };
  const statements = asArray((doc as { Statement?: unknown }).Statement)
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
    .map((s): PolicyStatementSummary => ({
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      principals: summarisePrincipals(s.Principal ?? s.NotPrincipal),
      actions: strings(s.Action ?? s.NotAction),
      inverted: s.NotPrincipal !== undefined || s.NotAction !== undefined,
      resources: strings(s.Resource ?? s.NotResource),
      conditionKeys: s.Condition && typeof s.Condition === 'object' ? Object.values(s.Condition as Record<string, unknown>).flatMap((c) => (c && typeof c === 'object' ? Object.keys(c) : [])) : [],
    }));
  // Public: an unconditional Allow to anyone that includes reading objects. Conditions (source IP,
  // VPC endpoint) narrow it, so such statements are not counted as public.
  const publicRead = statements.some(
    (s) => s.effect === 'Allow' && !s.inverted && s.principals.includes('*') && s.conditionKeys.length === 0 && s.actions.some((a) => READS_OBJECTS.test(a)),
  );
  return { status: 'present', statements, publicRead };
}

export interface AclGrantSummary {
  /** `CanonicalUser:<display name or id>`, `Group:AllUsers`, `Group:AuthenticatedUsers`, `Email` (address withheld). */
  grantee: string;
  permission: string;
}

export type AclSummary =
  | { status: 'present'; owner?: string; grants: AclGrantSummary[]; publicRead: boolean }
  | { status: 'unsupported' | 'denied' | 'error' | 'offline'; reason?: string };

interface SdkGrant {
  Grantee?: { Type?: string; ID?: string; DisplayName?: string; URI?: string; EmailAddress?: string };
  Permission?: string;
}

/** Summarises GetBucketAcl grants. Email grantees are withheld: an address is personal data. */
export function summariseAcl(owner: { ID?: string; DisplayName?: string } | undefined, grants: SdkGrant[] | undefined): AclSummary {
  const out = (grants ?? []).map((g): AclGrantSummary => {
    const t = g.Grantee ?? {};
    let grantee: string;
    if (t.URI) grantee = `Group:${t.URI.slice(t.URI.lastIndexOf('/') + 1)}`;
    else if (t.Type === 'AmazonCustomerByEmail' || t.EmailAddress) grantee = 'Email';
    else grantee = `CanonicalUser:${t.DisplayName ?? t.ID ?? 'unknown'}`;
    return { grantee, permission: g.Permission ?? 'unknown' };
  });
  const publicRead = out.some((g) => (g.grantee === 'Group:AllUsers' || g.grantee === 'Group:AuthenticatedUsers') && (g.permission === 'READ' || g.permission === 'FULL_CONTROL'));
  return { status: 'present', ...(owner ? { owner: owner.DisplayName ?? owner.ID } : {}), grants: out, publicRead };
}
