import { z } from 'zod';
import { k8sUrn } from '../../shared/core/model/urn.js';
import { hideSecretValues, isSecret } from '../../shared/node/sources/kubernetes/secret-values.js';
import { registerSource } from '../../shared/node/sources/registry.js';
import { defineSource, type CaptureRecord } from '../../shared/node/sources/source.js';

/**
 * Stand-ins for the kubernetes and git source kinds, for analyzer tests: they yield config records
 * exactly as the real sources do (same URNs, origins, commit fields, Secret values hashed with the
 * workspace key), so the workspace is filled by the real scan pipeline. The real sources are tested
 * against a real API server (proven with kubectl) and real git histories in their own folders.
 */
export type Manifest = Record<string, any>;

export interface StandInCommit {
  revision: string;
  author: string;
  time: string;
  message: string;
  /** `namespace` overrides the manifest's own (kustomize-style manifests leave it out). */
  objects: { namespace?: string; manifest: Manifest }[];
}

/** What each stand-in cluster holds at its next capture, and each stand-in repository's history. */
export interface StandIns {
  clusters: Map<string, Manifest[]>;
  repositories: Map<string, StandInCommit[]>;
}

const hidden = (object: Manifest, fingerprint: (value: string) => string): Manifest => (isSecret(object) ? hideSecretValues(object, fingerprint) : object);

/** Registers both stand-ins (in this test file's process only) and returns what they read from. */
export function registerConfigStandIns(): StandIns {
  const standIns: StandIns = { clusters: new Map(), repositories: new Map() };
  registerSource(defineSource({
    kind: 'kubernetes',
    configSchema: z.looseObject({ name: z.string(), kind: z.literal('kubernetes'), region: z.string() }),
    testConnection: async () => ({ ok: true, message: 'stand-in' }),
    async *capture(config, ctx) {
      for (const object of standIns.clusters.get(config.name) ?? []) {
        yield { type: 'config', origin: 'live', urn: k8sUrn(config.name, object.metadata.namespace, object.kind, object.metadata.name), content: hidden(object, ctx.fingerprint) } satisfies CaptureRecord;
      }
    },
  }));
  registerSource(defineSource({
    kind: 'git',
    configSchema: z.looseObject({ name: z.string(), kind: z.literal('git'), region: z.string(), desiredFor: z.string() }),
    testConnection: async () => ({ ok: true, message: 'stand-in' }),
    async *capture(config, ctx) {
      for (const commit of standIns.repositories.get(config.name) ?? []) {
        for (const { namespace, manifest } of commit.objects) {
          yield {
            type: 'config', origin: 'desired', urn: k8sUrn(config.desiredFor, namespace ?? manifest.metadata.namespace, manifest.kind, manifest.metadata.name), content: hidden(manifest, ctx.fingerprint),
            author: commit.author, time: commit.time, message: commit.message, revision: commit.revision,
          } satisfies CaptureRecord;
        }
      }
    },
  }));
  return standIns;
}
