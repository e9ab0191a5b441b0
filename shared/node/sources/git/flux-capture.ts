import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CaptureContext } from '../source.js';
import { AppError } from '../../../core/api/errors.js';
import { k8sUrn } from '../../../core/model/urn.js';
import type { GitCli } from './git-cli.js';
import { lsTreeArgs, parseTree, type GitCommit } from './history.js';
import { renderKustomization } from './kustomize.js';
import { CommitTree, isFluxKustomization, planFluxBuild, readFluxKustomization, resolveFluxPath, type FluxKustomization } from './flux.js';
import { substituteVariables, substitutionDisabled, type SubstitutionValue } from './flux-substitute.js';
import { finishFluxObjects } from './flux-common-metadata.js';

/** What the git capture hands the Flux renderer. */
export interface FluxRendererOptions {
  git: GitCli;
  kubectl: () => string | undefined;
  /** The kubernetes source the objects are minted under. */
  target: string;
  label: string;
  ctx: CaptureContext;
  /** The capture's object reader (naming, value protection, per-item failures). */
  objectsOf: (text: string, where: string) => Map<string, string>;
}

/** One Flux Kustomization's last build. */
interface Unit {
  /** Spec and variables the build used (in memory only). */
  inputs: string;
  dir?: string;
  files: Set<string>;
  entryPath?: string;
  scanned: string[];
  unknownNote?: string;
  /** The last build's failure, reported once the commit's builds have settled. */
  failure?: AppError;
}

/** State key of a Flux build in the capture's file map (never a repository path: no file name starts so). */
const unitKey = (urn: string): string => `flux:${urn}`;
const MAX_ROUNDS = 4;

/**
 * Builds the folders Flux Kustomizations point at, commit by commit, as the kustomize-controller
 * would (flux.ts, flux-substitute.ts): each Kustomization's objects land in its targetNamespace with
 * its postBuild variables filled in. A file or folder such a build reads is "governed": the plain
 * capture leaves it to the build, so an object never has two competing versions.
 * ConfigMap values named by substituteFrom are held in memory for the capture only; of a Secret only
 * the keyed hash of each value is ever held, and what the repository cannot tell is marked unknown.
 */
export class FluxRenderer {
  private readonly specs = new Map<string, FluxKustomization>();
  private readonly configData = new Map<string, Record<string, string>>();
  private readonly secretHashes = new Map<string, Record<string, string> | 'encrypted'>();
  private readonly fluxIn = new Map<string, Set<string>>(); // state key → Flux Kustomization URNs it defines
  private readonly units = new Map<string, Unit>();
  private governedFiles = new Set<string>();
  private governedDirs = new Set<string>();
  private prefix: string | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly o: FluxRendererOptions) {}

  /** Called for every object the capture reads (before its values are protected). */
  observe(urn: string, obj: Record<string, any>, namespace: string | undefined): void {
    if (isFluxKustomization(obj)) this.specs.set(urn, readFluxKustomization(obj, urn, namespace ?? 'default'));
    else if (obj.kind === 'ConfigMap' && obj.apiVersion === 'v1') {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj.data ?? {})) data[k] = String(v);
      this.configData.set(urn, data);
    } else if (obj.kind === 'Secret' && obj.apiVersion === 'v1') {
      if (obj.sops) {
        this.secretHashes.set(urn, 'encrypted');
        return;
      }
      const hashes: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj.data ?? {})) hashes[k] = this.o.ctx.fingerprint(Buffer.from(String(v), 'base64').toString('utf8'));
      for (const [k, v] of Object.entries(obj.stringData ?? {})) hashes[k] = this.o.ctx.fingerprint(String(v));
      this.secretHashes.set(urn, hashes);
    }
  }

  /** The folder a state key stands for: a Flux build's path in the repository (undefined for a plain key). */
  folderOf(key: string): string | undefined {
    return key.startsWith('flux:') ? this.units.get(key.slice('flux:'.length))?.dir : undefined;
  }

  /** The state key of the Flux build that reads a file, if one does. */
  builderOf(path: string): string | undefined {
    for (const [urn, u] of this.units) if (u.files.has(path) || u.entryPath === path) return unitKey(urn);
    return undefined;
  }

  /** True when a repository path (file or kustomize folder) is read through a Flux build. */
  governs(path: string): boolean {
    return this.governedFiles.has(path) || this.governedDirs.has(path);
  }

  /**
   * After the plain capture of one commit: rebuilds every Flux Kustomization whose inputs changed,
   * drops those that are gone, and empties the plain state of what the builds now govern.
   */
  async applyCommit(commit: GitCommit, files: Map<string, { objects: Map<string, string> }>, touched: Map<string, Map<string, string>>): Promise<void> {
    for (const [key, objects] of touched) this.note(key, objects);
    let tree: CommitTree | undefined;
    const treeOf = async () => (tree ??= new CommitTree(parseTree(await this.o.git.runNul('ls-tree', lsTreeArgs(commit.sha, undefined)))));
    const built = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const active = new Set<string>();
      for (const urns of this.fluxIn.values()) for (const urn of urns) active.add(urn);
      let changed = false;
      for (const urn of [...this.units.keys()]) {
        if (active.has(urn)) continue;
        this.units.delete(urn);
        touched.set(unitKey(urn), new Map());
        this.note(unitKey(urn), new Map());
        changed = true;
      }
      // Outer Kustomizations first: what they build may patch the inner ones.
      const order = [...active].map((urn) => this.specs.get(urn)!).filter((k) => k && k.sourceKind === 'GitRepository').sort((a, b) => a.path.length - b.path.length || (a.urn < b.urn ? -1 : 1));
      for (const ks of order) {
        const vars = this.variablesFor(ks, files, touched);
        const inputs = JSON.stringify([ks, [...vars.values], vars.unsetUnknown ?? null]);
        const unit = this.units.get(ks.urn);
        if (unit && unit.inputs === inputs && (built.has(ks.urn) || !this.touches(unit, commit))) continue;
        built.add(ks.urn);
        const objects = await this.build(ks, vars, unit, commit, await treeOf());
        if (!objects) continue;
        touched.set(unitKey(ks.urn), objects);
        this.note(unitKey(ks.urn), objects);
        changed = true;
      }
      if (!changed) break;
    }
    // Only the final attempt of this commit counts: an earlier round may have used an outer build's older output.
    for (const [urn, u] of this.units) {
      if (!u.failure || !built.has(urn)) continue;
      this.o.ctx.fail(`${urn}@${commit.sha.slice(0, 12)}`, u.failure);
      u.failure = undefined;
    }
    this.governedFiles = new Set();
    this.governedDirs = new Set();
    for (const u of this.units.values()) {
      for (const f of u.files) this.governedFiles.add(f);
      if (u.entryPath) this.governedFiles.add(u.entryPath);
      for (const f of [...u.files, ...(u.entryPath ? [u.entryPath] : [])]) this.governedDirs.add(posix.dirname(f));
      if (u.dir) this.governedDirs.add(u.dir);
    }
    for (const key of new Set([...files.keys(), ...touched.keys()])) {
      if (key.startsWith('flux:') || !this.governs(key)) continue;
      if ((touched.get(key) ?? files.get(key)?.objects)?.size) {
        touched.set(key, new Map());
        this.note(key, new Map());
      }
    }
  }

  private note(key: string, objects: Map<string, string>): void {
    const urns = new Set([...objects.keys()].filter((u) => this.specs.has(u)));
    if (urns.size) this.fluxIn.set(key, urns);
    else this.fluxIn.delete(key);
  }

  private touches(unit: Unit, commit: GitCommit): boolean {
    return commit.changes.some((c) => unit.files.has(c.path) || c.path === unit.entryPath || (c.status !== 'M' && unit.scanned.some((d) => d === '.' || c.path.startsWith(d + '/'))));
  }

  private definedNow(urn: string, files: Map<string, { objects: Map<string, string> }>, touched: Map<string, Map<string, string>>): boolean {
    for (const [key, state] of files) if ((touched.get(key) ?? state.objects).has(urn)) return true;
    for (const [key, objects] of touched) if (!files.has(key) && objects.has(urn)) return true;
    return false;
  }

  /** postBuild variables: substituteFrom in order (later ones win), then the inline ones on top. */
  private variablesFor(ks: FluxKustomization, files: Map<string, { objects: Map<string, string> }>, touched: Map<string, Map<string, string>>): { values: Map<string, SubstitutionValue>; enabled: boolean; unsetUnknown?: string } {
    const values = new Map<string, SubstitutionValue>();
    const unreadable: string[] = [];
    for (const ref of ks.substituteFrom) {
      const urn = k8sUrn(this.o.target, ks.namespace, ref.kind, ref.name);
      const where = `${ref.kind} ${ks.namespace}/${ref.name}`;
      const present = this.definedNow(urn, files, touched);
      if (ref.kind === 'ConfigMap' && present && this.configData.has(urn)) {
        for (const [k, v] of Object.entries(this.configData.get(urn)!)) values.set(k, { kind: 'value', value: v });
      } else if (ref.kind === 'Secret' && present && this.secretHashes.get(urn) === 'encrypted') {
        unreadable.push(`${where} is encrypted in the repository`);
      } else if (ref.kind === 'Secret' && present && this.secretHashes.has(urn)) {
        for (const [k, hash] of Object.entries(this.secretHashes.get(urn) as Record<string, string>)) values.set(k, { kind: 'hashed', marker: `<secret:${ks.namespace}/${ref.name}/${k}:${hash}>` });
      } else {
        unreadable.push(`${where} is not in the repository (only the cluster holds it)`);
      }
    }
    for (const [k, v] of Object.entries(ks.substitute)) values.set(k, { kind: 'value', value: v });
    return { values, enabled: Object.keys(ks.substitute).length > 0 || ks.substituteFrom.length > 0, unsetUnknown: unreadable.length ? unreadable.join('; ') : undefined };
  }

  private warnOnce(where: string, message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.o.ctx.warn(where, message);
  }

  /** One build; undefined when it cannot be made (reported; the last known objects stay). */
  private async build(ks: FluxKustomization, vars: ReturnType<FluxRenderer['variablesFor']>, previous: Unit | undefined, commit: GitCommit, tree: CommitTree): Promise<Map<string, string> | undefined> {
    const { label, ctx, git } = this.o;
    const short = commit.sha.slice(0, 12);
    const name = `Flux Kustomization ${ks.namespace}/${ks.name}`;
    const inputs = JSON.stringify([ks, [...vars.values], vars.unsetUnknown ?? null]);
    const keep = (unit: Partial<Unit>) => this.units.set(ks.urn, { files: new Set(), scanned: [], ...previous, failure: undefined, ...unit, inputs });
    const fail = (message: string, cause?: unknown): undefined => {
      keep({ failure: new AppError('SOURCE_BAD_DATA', `${label}: ${name} (path ${ks.path}) at ${short}: ${message} — its objects keep their last known state`, { cause }) });
      return undefined;
    };
    const resolved = resolveFluxPath(ks.path, tree, this.prefix);
    if (!resolved) {
      this.warnOnce(ks.urn, `${label}: ${name} builds "${ks.path}", which is not a folder of this repository at ${short} (another source, or a folder not yet added) — its objects are not in the desired state`);
      keep({ dir: undefined, files: new Set(), scanned: [] });
      return undefined;
    }
    if (resolved.dropped) this.prefix = resolved.dropped;
    const kubectl = this.o.kubectl();
    if (!kubectl) return fail('building it needs kubectl (kustomize is built in) — install kubectl');
    const read = async (paths: string[]) => {
      const blobs = await git.readBlobs(paths.map((p) => tree.blobs.get(p)!).filter(Boolean));
      return new Map(paths.map((p) => [p, blobs.get(tree.blobs.get(p)!)?.toString('utf8') ?? '']));
    };
    let text: string;
    let plan: Awaited<ReturnType<typeof planFluxBuild>>;
    try {
      plan = await planFluxBuild(ks, resolved.dir, tree, read);
      const blobs = await git.readBlobs([...plan.files].map((p) => tree.blobs.get(p)!));
      const buildFiles = new Map<string, Buffer>();
      for (const p of plan.files) { const b = blobs.get(tree.blobs.get(p)!); if (b) buildFiles.set(p, b); }
      buildFiles.set(plan.entry.path, Buffer.from(plan.entry.content));
      text = await renderKustomization(kubectl, buildFiles, ctx.signal, resolved.dir);
    } catch (err) {
      return fail((err as Error).message, err);
    }
    keep({ dir: resolved.dir, files: plan.files, entryPath: plan.entry.path, scanned: plan.scanned });
    if (vars.enabled) text = this.substitute(text, vars, ks, name, short);
    text = finishFluxObjects(text, ks.commonMetadata, ks.decryption);
    return this.o.objectsOf(text, `${resolved.dir}@${short} (${name})`);
  }

  /** Substitutes every resource of a build that does not opt out; unknown values are reported once per change. */
  private substitute(text: string, vars: ReturnType<FluxRenderer['variablesFor']>, ks: FluxKustomization, name: string, short: string): string {
    const unknown = new Map<string, string>();
    const parts: string[] = [];
    for (const doc of parseAllDocuments(text)) {
      const source = doc.toString();
      const obj = doc.toJS({ maxAliasCount: 100 });
      if (!obj || typeof obj !== 'object' || substitutionDisabled(obj)) {
        parts.push(source);
        continue;
      }
      const r = substituteVariables(source, vars.values, vars.unsetUnknown);
      for (const u of r.unknown) unknown.set(u.name, u.reason);
      parts.push(r.text);
    }
    const note = [...unknown].map(([v, why]) => `\${${v}} (${why})`).join(', ');
    const unit = this.units.get(ks.urn)!;
    if (note && note !== unit.unknownNote) {
      this.o.ctx.warn(ks.urn, `${this.o.label}: ${name} at ${short}: postBuild variables unknown here: ${note} — shown as "<unknown:\${…}>", not guessed; add the ConfigMap to the repository, or compare with a live scan`);
    }
    unit.unknownNote = note;
    return parts.join('---\n');
  }
}
