import { posix } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { KUSTOMIZATION_FILES } from './kustomize.js';
import type { TreeEntry } from './history.js';
import { readCommonMetadata, type FluxCommonMetadata } from './flux-common-metadata.js';

/**
 * What Driftline applies of a Flux Kustomization (kustomize.toolkit.fluxcd.io), following the
 * kustomize-controller's documented build: the folder at `spec.path` is built with kustomize after
 * `targetNamespace`, `components`, `patches`, `images`, `namePrefix` and `nameSuffix` were added to its
 * kustomization (a kustomization listing the folder's manifests is generated when there is none), and
 * `postBuild` variables are substituted in every resource afterwards (see flux-substitute.ts), then
 * `commonMetadata` is set on every object (flux-common-metadata.ts).
 */
export interface FluxKustomization {
  /** The URN of the Kustomization object itself. */
  urn: string;
  /** Its namespace: substituteFrom objects are looked up there. */
  namespace: string;
  name: string;
  /** `spec.path` as written (relative to the source's root). */
  path: string;
  sourceKind: string;
  targetNamespace?: string;
  components: string[];
  patches: unknown[];
  images: unknown[];
  namePrefix?: string;
  nameSuffix?: string;
  substitute: Record<string, string>;
  substituteFrom: { kind: string; name: string; optional: boolean }[];
  /** `spec.commonMetadata`: labels and annotations set on every object built. */
  commonMetadata: FluxCommonMetadata;
  /** `spec.decryption` is set: SOPS-encrypted values are decrypted in the cluster only. */
  decryption: boolean;
}

const FLUX_KUSTOMIZE_API = /^kustomize\.toolkit\.fluxcd\.io\//;

/** True for a Flux Kustomization (not a kustomize.config.k8s.io kustomization file). */
export const isFluxKustomization = (obj: { kind?: unknown; apiVersion?: unknown }): boolean => obj.kind === 'Kustomization' && typeof obj.apiVersion === 'string' && FLUX_KUSTOMIZE_API.test(obj.apiVersion);

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The parts of a Flux Kustomization object that shape what it applies. */
export function readFluxKustomization(obj: Record<string, any>, urn: string, namespace: string): FluxKustomization {
  const spec = record(obj.spec);
  const postBuild = record(spec.postBuild);
  const substitute: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(postBuild.substitute))) substitute[k] = typeof v === 'string' ? v : String(v);
  return {
    urn, namespace, name: String(obj.metadata?.name ?? ''),
    path: typeof spec.path === 'string' ? spec.path : '',
    sourceKind: String(record(spec.sourceRef).kind ?? ''),
    targetNamespace: typeof spec.targetNamespace === 'string' && spec.targetNamespace ? spec.targetNamespace : undefined,
    components: strings(spec.components),
    patches: list(spec.patches),
    images: list(spec.images),
    namePrefix: typeof spec.namePrefix === 'string' ? spec.namePrefix : undefined,
    nameSuffix: typeof spec.nameSuffix === 'string' ? spec.nameSuffix : undefined,
    substitute,
    substituteFrom: list(postBuild.substituteFrom).map(record).map((r) => ({ kind: String(r.kind ?? ''), name: String(r.name ?? ''), optional: r.optional === true })),
    commonMetadata: readCommonMetadata(spec),
    decryption: spec.decryption !== undefined && spec.decryption !== null,
  };
}

/** The files of one commit, by path, and the directories they make. */
export class CommitTree {
  readonly blobs = new Map<string, string>();
  readonly dirs = new Set<string>(['.']);
  constructor(entries: readonly TreeEntry[]) {
    for (const e of entries) {
      if (e.type !== 'blob') continue;
      this.blobs.set(e.path, e.blob);
      for (let d = posix.dirname(e.path); d !== '.' && !this.dirs.has(d); d = posix.dirname(d)) this.dirs.add(d);
    }
  }
  kustomizationFile(dir: string): string | undefined {
    return KUSTOMIZATION_FILES.map((f) => (dir === '.' ? f : `${dir}/${f}`)).find((p) => this.blobs.has(p));
  }
  /** Files under dir, without the sub-trees that hold a kustomization of their own. */
  ownFiles(dir: string): string[] {
    const prefix = dir === '.' ? '' : dir + '/';
    return [...this.blobs.keys()].filter((p) => {
      if (!p.startsWith(prefix)) return false;
      for (let d = posix.dirname(p); d !== dir && d !== '.'; d = posix.dirname(d)) if (this.kustomizationFile(d)) return false;
      return true;
    });
  }
}

/**
 * `spec.path` in this repository: as written, or — when the repository is a sub-folder of what Flux
 * clones (this corpus is the `kubernetes/` folder of its repository) — with leading folders dropped.
 * `knownPrefix` is a prefix already found to be dropped, tried first.
 */
export function resolveFluxPath(path: string, tree: CommitTree, knownPrefix?: string): { dir: string; dropped: string } | undefined {
  const clean = posix.normalize(path.replace(/^\.?\/+/, '') || '.').replace(/\/+$/, '');
  if (clean.startsWith('..')) return undefined;
  if (knownPrefix && clean.startsWith(knownPrefix) && tree.dirs.has(clean.slice(knownPrefix.length) || '.')) return { dir: clean.slice(knownPrefix.length) || '.', dropped: knownPrefix };
  const parts = clean === '.' ? [] : clean.split('/');
  for (let drop = 0; drop <= parts.length; drop++) {
    const dir = parts.slice(drop).join('/') || '.';
    if (tree.dirs.has(dir) && (drop < parts.length || tree.kustomizationFile('.'))) return { dir, dropped: parts.slice(0, drop).map((p) => p + '/').join('') };
  }
  return undefined;
}

/** What building a Flux Kustomization reads, and the kustomization it writes at its path. */
export interface FluxBuildPlan {
  /** Every file written to the build folder. */
  files: Set<string>;
  /** Folders whose added or removed manifests change the build (those whose kustomization is generated). */
  scanned: string[];
  /** The kustomization file (path) and content placed at `dir`. */
  entry: { path: string; content: string };
}

const MAX_DIRECTORIES = 256;

/**
 * The build of `flux` at `dir`: the kustomization there (or one Flux would generate) with the
 * Kustomization's additions, and the files every directory it reaches needs. `read` gives the text of
 * a file of this commit. Problems are thrown as messages naming the folder.
 */
export async function planFluxBuild(flux: FluxKustomization, dir: string, tree: CommitTree, read: (paths: string[]) => Promise<Map<string, string>>): Promise<FluxBuildPlan> {
  const files = new Set<string>();
  const scanned: string[] = [];
  const kfile = tree.kustomizationFile(dir);
  let base: Record<string, unknown>;
  if (kfile) {
    base = record(parseYaml((await read([kfile])).get(kfile) ?? ''));
  } else {
    // What the controller generates for a plain folder: its manifests, and sub-folders with a kustomization as bases.
    scanned.push(dir);
    base = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: await generatedResources(dir, tree, read) };
  }
  const entryPath = kfile ?? (dir === '.' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`);
  const overlay: Record<string, unknown> = { ...base };
  if (flux.targetNamespace) overlay.namespace = flux.targetNamespace;
  if (flux.components.length) overlay.components = [...strings(base.components), ...flux.components];
  if (flux.patches.length) overlay.patches = [...list(base.patches), ...flux.patches];
  if (flux.images.length) overlay.images = [...list(base.images), ...flux.images];
  if (flux.namePrefix !== undefined) overlay.namePrefix = flux.namePrefix;
  if (flux.nameSuffix !== undefined) overlay.nameSuffix = flux.nameSuffix;

  // Every directory the build reaches brings its own files; referenced directories are followed.
  const queue: { dir: string; k: Record<string, unknown> }[] = [{ dir, k: overlay }];
  const seen = new Set<string>([dir]);
  for (const f of tree.ownFiles(dir)) files.add(f);
  while (queue.length) {
    const { dir: at, k } = queue.shift()!;
    for (const ref of [...strings(k.resources), ...strings(k.components), ...strings(k.bases)]) {
      const target = posix.normalize(posix.join(at, ref)).replace(/\/+$/, '');
      if (target.startsWith('..')) throw new Error(`"${ref}" in ${at} climbs out of the repository`);
      if (tree.blobs.has(target)) {
        files.add(target);
        continue;
      }
      if (!tree.dirs.has(target) || seen.has(target)) continue; // a missing path: kustomize names it
      if (seen.size >= MAX_DIRECTORIES) throw new Error(`reaches more than ${MAX_DIRECTORIES} directories`);
      seen.add(target);
      for (const f of tree.ownFiles(target)) files.add(f);
      const sub = tree.kustomizationFile(target);
      if (sub) queue.push({ dir: target, k: record(parseYaml((await read([sub])).get(sub) ?? '')) });
    }
  }
  files.delete(entryPath);
  return { files, scanned, entry: { path: entryPath, content: JSON.stringify(overlay, null, 2) } };
}

/** The resources of the kustomization Flux generates for a folder without one. */
async function generatedResources(dir: string, tree: CommitTree, read: (paths: string[]) => Promise<Map<string, string>>): Promise<string[]> {
  const prefix = dir === '.' ? '' : dir + '/';
  const resources = new Set<string>();
  const manifests: string[] = [];
  for (const p of [...tree.blobs.keys()].sort()) {
    if (!p.startsWith(prefix)) continue;
    // The outermost folder below dir with a kustomization stands for everything under it.
    let outer: string | undefined;
    for (let d = posix.dirname(p); d !== dir && d !== '.'; d = posix.dirname(d)) if (tree.kustomizationFile(d)) outer = d;
    if (outer) resources.add(posix.relative(dir, outer));
    else if (/\.ya?ml$/i.test(p) && !KUSTOMIZATION_FILES.includes(posix.basename(p))) manifests.push(p);
  }
  const texts = await read(manifests);
  for (const p of manifests) if (isManifestText(texts.get(p) ?? '')) resources.add(posix.relative(dir, p));
  return [...resources];
}

/** A file every document of which is a Kubernetes object (what kustomize accepts as a resource). */
function isManifestText(text: string): boolean {
  try {
    const docs = parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined);
    return docs.length > 0 && docs.every((d) => d && typeof d === 'object' && typeof d.kind === 'string' && typeof d.apiVersion === 'string');
  } catch {
    return false;
  }
}
