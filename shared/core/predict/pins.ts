/**
 * Version pins of a configuration object: the image tags, chart versions and digests an update bot
 * moves. Each pin has an identity (what is pinned: an image repository, a chart, an OCI URL) and a
 * version, so a bump can be followed across objects — the same chart pinned in twenty HelmReleases,
 * or an image that moved from one object to another when the repository was restructured.
 */

/** identity → version, e.g. "ghcr.io/home-operations/sonarr" → "4.0.15". */
export type PinMap = Map<string, string>;

const VERSION_KEYS = new Set(['tag', 'version', 'digest', 'semver', 'appversion']);
/** Sibling keys that say what a version key pins. */
const SUBJECT_KEYS = ['repository', 'image', 'url', 'chart', 'name', 'registry'];
/** An image reference with a registry host: `ghcr.io/org/app:1.2.3` or `…@sha256:…`. */
const IMAGE_REF = /^([a-z0-9.-]+\.[a-z]{2,}(?::\d+)?\/[^\s:@]+)(?::([\w.-]+))?(?:@(sha256:[a-f0-9]{16,}))?$/i;
const MAX_WALK = 20_000;

/**
 * The pins an object holds. Identities are the pinned thing where the object names it (a sibling
 * `repository`/`url`/`chart` key, or the reference itself), else the field's path in the object.
 */
export function pinsOf(content: unknown): PinMap {
  const pins: PinMap = new Map();
  let seen = 0;
  const subjectIn = (holder: unknown): string | undefined => {
    if (!holder || typeof holder !== 'object' || Array.isArray(holder)) return undefined;
    return SUBJECT_KEYS.map((k) => (holder as Record<string, unknown>)[k]).find((s): s is string => typeof s === 'string' && s !== '' && !IMAGE_REF.exec(s)?.[2]);
  };
  const walk = (value: unknown, path: string, parent: unknown): void => {
    if (++seen > MAX_WALK) return;
    if (typeof value === 'string') {
      const ref = IMAGE_REF.exec(value);
      if (ref && (ref[2] || ref[3])) pins.set(ref[1].toLowerCase(), [ref[2], ref[3]].filter(Boolean).join('@'));
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, parent));
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (typeof child === 'string' && VERSION_KEYS.has(key.toLowerCase()) && child !== '') {
        // Flux writes `url` beside `ref: {tag}` (OCIRepository, GitRepository): the subject is one level up.
        const subject = subjectIn(value) ?? (path.endsWith('.ref') || path === 'ref' ? subjectIn(parent) : undefined);
        pins.set((subject ?? `${path}.${key}`).toLowerCase(), child);
        continue;
      }
      walk(child, path ? `${path}.${key}` : key, value);
    }
  };
  walk(content, '', undefined);
  return pins;
}

/** Identities whose version differs between two pin maps (added or removed pins are not bumps). */
export function bumpedPins(before: PinMap | undefined, after: PinMap | undefined): string[] {
  if (!before || !after) return [];
  const out: string[] = [];
  for (const [id, version] of after) {
    const old = before.get(id);
    if (old !== undefined && old !== version) out.push(id);
  }
  return out.sort();
}

/**
 * kustomize's configMapGenerator and secretGenerator name what they make `<name>-<hash>`, the hash
 * being ten characters of kustomize's alphabet (api/hasher: hex with 0,1,3,a,e swapped for
 * g,h,k,m,t). The hash follows the content, so every edit is a new name: for a history of the
 * object, the name without the hash is its identity.
 */
const GENERATED_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/** The identity of a ConfigMap or Secret whose name carries kustomize's content hash, else undefined. */
export function generatedIdentity(kind: string, urn: string): string | undefined {
  if (kind !== 'ConfigMap' && kind !== 'Secret') return undefined;
  return GENERATED_SUFFIX.test(urn) ? urn.replace(GENERATED_SUFFIX, '') : undefined;
}
