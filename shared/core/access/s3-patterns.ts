/**
 * S3 resource patterns (`arn:aws:s3:::bucket/key-pattern`) with IAM's wildcards: `*` any run of
 * characters, `?` one character (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */

/** Splits `arn:aws:s3:::lake/pii/*` into bucket `lake` and key pattern `pii/*`; a bucket ARN has no key pattern. */
export function splitS3Resource(resource: string): { bucket: string; keyPattern?: string } | undefined {
  if (resource === '*') return { bucket: '*', keyPattern: '*' };
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/.exec(resource);
  if (!m) return undefined;
  // `*` in IAM also matches '/': `arn:aws:s3:::*` or `arn:aws:s3:::lake*` reaches every object too.
  if (m[2] === undefined && m[1].endsWith('*')) return { bucket: m[1], keyPattern: '*' };
  return { bucket: m[1], ...(m[2] !== undefined ? { keyPattern: m[2] } : {}) };
}

const globToRegExp = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** True when an IAM glob (bucket names may use wildcards too) matches the whole name. */
export const globMatches = (glob: string, name: string): boolean => globToRegExp(glob).test(name);

/**
 * How much of the objects under `prefix` (`pii/users/`, '' for the whole bucket) a key pattern
 * reaches: `all` of them, only `some` (a narrower prefix or a suffix such as `*.json`), or `none`.
 */
export function keyPatternCovers(keyPattern: string, prefix: string): 'all' | 'some' | 'none' {
  const wildcard = keyPattern.search(/[*?]/);
  const literal = wildcard === -1 ? keyPattern : keyPattern.slice(0, wildcard);
  const rest = wildcard === -1 ? '' : keyPattern.slice(wildcard);
  if (prefix.startsWith(literal)) {
    if (rest === '*') return 'all';
    // A pattern with no wildcard names one object; with others (pii/*.json) it may match some keys here.
    if (wildcard === -1) return keyPattern.startsWith(prefix) ? 'some' : 'none';
    return 'some';
  }
  // The pattern is narrower than the prefix (prefix pii/, pattern pii/users/*): some objects here.
  return literal.startsWith(prefix) ? 'some' : 'none';
}
